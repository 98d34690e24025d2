"""One case from arrival to wherever it has got: the phases in the order the law sets them.

Arrival (screening at the border or in the territory, or an application at an office),
registration and lodging, who is responsible (Dublin, relocation, or here), the examination
under the procedure chosen at arrival, the decision, and what follows it. Steps may run past
`now`; the script leaves those out, so recent cases are still open at every stage.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

from ledger.case.commands import CloseCase
from ledger.vocabulary import ClosureReason as C
from ledger.vocabulary import DecisionType as D
from ledger.vocabulary import Procedure as P
from pact_ledger.demo import (
    access,
    custody,
    decisions,
    dublin,
    examination,
    monitoring,
    people,
    relocation,
    remedies,
    returns,
    screening,
)
from pact_ledger.demo.catalogue import CW, STATE_WEIGHTS, STATES
from pact_ledger.demo.crisis import SURGE_SHARE, CrisisPeriod
from pact_ledger.demo.nationalities import ARRIVALS, GROUNDS
from pact_ledger.demo.plan import CasePlan, office_hours

WINDOW_DAYS = 450  # cases open within this many days before `now`, more of them recently
RECENCY = 1.5  # above 1: more cases opened recently (arrivals grow, older cases are fewer)
SECURITY_SHARE = 0.015


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _start(rng: random.Random, anchor: datetime, surge: CrisisPeriod | None,
           screened: bool) -> datetime:
    if surge is not None:  # arrivals during the crisis
        start = surge.starts_at + (surge.end - surge.starts_at) * rng.random()
    elif rng.random() < 0.02:  # the last few days' arrivals, still in screening
        start = anchor - timedelta(days=rng.uniform(0, 3))
    else:
        start = anchor - timedelta(days=WINDOW_DAYS * rng.random() ** RECENCY)
    if not screened:  # applications are made at an office, in office hours
        start = office_hours(start)
        start -= timedelta(days=7) if start > anchor else timedelta(0)
    return start


def plan_case(rng: random.Random, anchor: datetime, numbers: Counter[tuple[str, int]],
              crisis: CrisisPeriod | None) -> CasePlan:
    """Plan one case; `numbers` counts national references by member state and year. The
    monitoring mechanism comes last: it goes on after the case's own steps."""
    case = _plan_case(rng, anchor, numbers, crisis)
    monitoring.allegations(case)
    return case


def _plan_case(rng: random.Random, anchor: datetime, numbers: Counter[tuple[str, int]],
               crisis: CrisisPeriod | None) -> CasePlan:
    surge = crisis is not None and rng.random() < SURGE_SHARE
    ms = crisis.member_state if surge and crisis else _pick(rng, STATE_WEIGHTS)
    nationality = _pick(rng, ARRIVALS[STATES[ms].region])
    trigger, place = screening.entry(rng, STATES[ms], surge)
    start = _start(rng, anchor, crisis if surge else None, trigger is not None)
    numbers[(ms, start.year)] += 1
    ref = f"{ms}-{start.year}-{numbers[(ms, start.year)]:06d}"
    case = CasePlan(rng, ms, ref, people.person(rng, nationality, start), start,
                    people.staff(rng, ms), crisis, trigger)
    case.security = (case.age() or 30) >= 14 and case.chance(SECURITY_SHARE)
    case.relocation = relocation.candidate(case)
    examination.choose_procedure(case)
    if trigger is None:
        access.apply_inland(case, place)
    elif not screening.screen(case, place):
        returns.after_referral(case)
        return case
    access.register(case)
    custody.after_registration(case)
    if access.moves_on(case):
        _moved_on(case)
        return case
    if case.procedure == P.BORDER.value:  # runs from registration (APR Art 51(2))
        examination.arrived_by_transfer(case)
        examination.assign(case, (0, 1))
        access.lodge(case, (1, 5), late_share=0)
        dublin.establish_here(case)
        custody.border_detention(case)
    elif _leaves(case):
        return case
    else:
        examination.assign(case)
    decided_at = examination.decision_time(case)
    custody.labour_market(case, decided_at)
    decisions.decide(case, decided_at)
    return case


def _leaves(case: CasePlan) -> bool:
    """Lodging and who is responsible; True when the person left for another member state."""
    if case.hit is not None:  # lodged at once: the notification or request follows the hit
        access.lodge(case, (0.5, 5), late_share=0.01)
        return dublin.determine(case)
    access.lodge(case)
    if dublin.wants_family_transfer(case):
        return dublin.determine(case)
    if case.relocation:
        if relocation.relocate(case):
            return True
        dublin.establish_here(case)
        return False
    dublin.establish_here(case)
    return False


def _moved_on(case: CasePlan) -> None:
    """The applicant left before lodging: implicit withdrawal (APR Art 41(1))."""
    case.procedure = None
    access.absconds(case)
    kind = D.IMPLICITLY_WITHDRAWN
    notified = decisions.issue(case, office_hours(case.t + case.days(10, 40)), kind,
                               GROUNDS[kind])
    if remedies.after_rejection(case, kind, notified) == remedies.FINAL_HERE \
            and case.chance(0.75):
        case.step(case.rng.uniform(5, 40), CloseCase(case.id, C.WITHDRAWN.value), CW)
