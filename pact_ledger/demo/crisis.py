"""One crisis period in the demo (Crisis and Force Majeure Regulation (EU) 2024/1359).

A frontline member state under mass arrivals is authorised to derogate from the registration
deadline (Art 10), the border procedure's duration (Art 11(1)) and the AMMR time limits
(Art 12) for three months; the period is extended once (Art 5(2)) and repealed before its end.
Cases planned in that state during the period run under the crisis deadlines, and more people
arrive there while it lasts.

The planner needs the period before any case is planned (its deadlines decide when steps may
happen), so the period is fixed by the seed and the day. Its commands are recorded before any
step that relies on it (legal time and recording order are the same for them).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ledger.crisis.commands import DeclareCrisis, EndCrisis, ExtendCrisis
from ledger.deadlines.catalogue import calendar_state, version_for
from ledger.deadlines.periods import due as period_due
from ledger.envelope import Actor
from pact_ledger.demo.catalogue import STATES

#: The derogations the demo's Council decision authorises.
DEROGATIONS = ("REGISTRATION", "BORDER_PROCEDURE", "AMMR_TIME_LIMITS")
#: Share of cases added as arrivals in the crisis member state during the period.
SURGE_SHARE = 0.06
_WHERE = {"IT": 4, "EL": 3, "ES": 3}


@dataclass(frozen=True)
class CrisisPeriod:
    member_state: str
    declared_at: datetime  # the Council implementing decision
    starts_at: datetime
    until: datetime  # as first declared (three months)
    extended_at: datetime
    extended_until: datetime  # after the one extension (Art 5(2))
    ended_at: datetime  # repealed early
    decision_ref: str

    @property
    def end(self) -> datetime:
        return min(self.ended_at, self.extended_until)

    def derogations_at(self, member_state: str, moment: datetime) -> frozenset[str]:
        """As the ledger will answer it once the period's commands are recorded."""
        if member_state == self.member_state and self.starts_at <= moment < self.end:
            return frozenset(DEROGATIONS)
        return frozenset()

    def commands(self) -> list[tuple[datetime, Any, Actor]]:
        """Declare, extend, end: (legal time, command, actor)."""
        ms = self.member_state
        actor = Actor(f"{ms.lower()}-crisis-01", "ADMINISTRATOR",
                      f"{ms} {STATES[ms].asylum}", ms)
        ref = self.decision_ref
        return [
            (self.declared_at, DeclareCrisis(
                ms, "MASS_ARRIVALS", self.starts_at, self.until, DEROGATIONS, ref), actor),
            (self.extended_at, ExtendCrisis(
                ms, self.extended_until, f"{ref}, extended (Art 5(2))"), actor),
            (self.ended_at, EndCrisis(ms), actor),
        ]


def crisis_period(seed: int, anchor: datetime) -> CrisisPeriod:
    """The seed's crisis period, ending well before `anchor`."""
    rng = random.Random(f"pact-ledger-demo:{seed}:crisis")
    ms = rng.choices(list(_WHERE), list(_WHERE.values()))[0]
    day = anchor.replace(hour=0, minute=0, second=0, microsecond=0)
    starts = day - timedelta(days=rng.randint(230, 320))
    until = starts + timedelta(days=89)  # within three calendar months (Crisis Reg. Art 5)
    return CrisisPeriod(
        member_state=ms,
        declared_at=starts - timedelta(days=2, hours=-10),
        starts_at=starts,
        until=until,
        extended_at=until - timedelta(days=6, hours=-11),
        extended_until=until + timedelta(days=42),
        ended_at=starts + timedelta(days=rng.randint(110, 125)),
        decision_ref=f"Council Implementing Decision (EU) {starts.year}/{rng.randint(1100, 1999)}",
    )


def due(code: str, derogations: frozenset[str], start: datetime, member_state: str,
        other: str | None = None) -> datetime:
    """When obligation `code` started at `start` runs out, under the derogations given, counted
    as the ledger counts it (Reg. 1182/71, in the acting member state's calendar)."""
    rule = version_for(code, derogations)
    assert rule.duration is not None
    return period_due(rule.duration, start, calendar_state(rule, member_state, other))
