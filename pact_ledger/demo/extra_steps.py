"""Steps the demo adds to a case without drawing on the case's own random sequence.

Each case keeps one random sequence (`CasePlan.rng`) that decides its whole lifecycle; the
procedures added later (safeguards, monitoring, withdrawal; issue 11 part 5) draw from their own
sequence, seeded by the case's reference, and enter their steps on time, so the rest of every
case is planned exactly as before.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from pact_ledger.demo.plan import CasePlan, Planned


def rng_for(case: CasePlan, purpose: str) -> random.Random:
    return random.Random(f"pact-ledger-demo:{case.ref}:{purpose}")


def add(case: CasePlan, t: datetime, command: Any, role: str) -> datetime:
    """Plan `command` at `t` (not before the last step), entered on time."""
    t = max(t, case.t)
    case.t = t
    case.steps.append(Planned(t, command, case.staff[role], timedelta(0)))
    return t
