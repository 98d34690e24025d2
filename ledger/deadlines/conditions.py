"""The named conditions the deadline catalogue refers to (`when`, `met_when`).

Each is a pure function of an event and the case state *before* that event, so the catalogue
stays data: a rule names its condition, the function says what the name means. A condition is
registered under its function's name; every name used in `ledger.deadlines.catalogue` must be
here (a unit test checks it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ledger.case.state import CaseState
from ledger.deadlines.custody_conditions import CUSTODY_CONDITIONS
from ledger.deadlines.decision_conditions import DECISION_CONDITIONS
from ledger.deadlines.entry_conditions import ENTRY_CONDITIONS

Condition = Callable[[Any, CaseState], bool]

#: Every condition, by the name the catalogue uses.
CONDITIONS: dict[str, Condition] = {**ENTRY_CONDITIONS, **DECISION_CONDITIONS,
                                   **CUSTODY_CONDITIONS}
