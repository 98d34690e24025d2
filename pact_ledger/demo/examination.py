"""Examination (APR (EU) 2024/1348 Arts 11-14, 35-53): the procedure, interviews, extensions,
and when the decision falls.

The border procedure is for low-recognition nationalities (and security threats) screened at
the external border, never for unaccompanied minors without a security flag nor for families
with young children; it runs from registration and, when its twelve weeks (eighteen in crisis)
run out without the right to remain ending, entry is authorised and the examination continues
on the territory. The accelerated procedure takes other low-recognition cases, admissibility
(here: cases found inadmissible) a few more, the regular procedure the rest.

Decisions mostly fall within the time limit of their procedure; some are late, and some of
those have the time limit extended (Art 35(2), (5)) beforehand.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ledger.case.commands import (
    AssignProcedure,
    AuthoriseEntry,
    ExtendExamination,
    RecordArrivalByTransfer,
    RecordInterview,
)
from ledger.case.examination.steps import MAX_EXTENSION_MONTHS
from ledger.vocabulary import Procedure as P
from ledger.vocabulary import ScreeningTrigger as T
from pact_ledger.demo.catalogue import CW, DM
from pact_ledger.demo.extra_steps import add, rng_for
from pact_ledger.demo.nationalities import INADMISSIBLE, LANGUAGE, LOW_RECOGNITION, OFFICIAL
from pact_ledger.demo.plan import CasePlan, office_hours

AT_BORDER = (T.IRREGULAR_CROSSING.value, T.SEARCH_AND_RESCUE.value,
             T.BORDER_CROSSING_POINT_APPLICATION.value)
#: Days from the start of the clock to the decision: (usual range, late share, late range).
TIMING = {
    P.BORDER.value: ((12, 70), 0.14, (86, 140)),
    P.ADMISSIBILITY.value: ((15, 55), 0.1, (62, 110)),
    P.ACCELERATED.value: ((20, 85), 0.09, (93, 130)),
    P.REGULAR.value: ((45, 175), 0.15, (185, 330)),
}
DEADLINE = {P.BORDER.value: "BORDER_PROCEDURE", P.ADMISSIBILITY.value: "ADMISSIBILITY",
            P.ACCELERATED.value: "ACCELERATED", P.REGULAR.value: "REGULAR"}
EXTENSION_REASONS = ("Complex issues of fact or law (APR Art 35(2))",
                     "A disproportionate number of applications lodged at the same time "
                     "(APR Art 35(2))")


def choose_procedure(case: CasePlan) -> None:
    """The procedure the case will be examined under, and its grounds (planned at arrival)."""
    low = case.nationality in LOW_RECOGNITION
    at_border = case.trigger in AT_BORDER
    adult = not case.minor and not case.child
    if case.security and at_border:
        case.procedure, case.grounds = P.BORDER.value, (
            "Danger to national security or public order (APR Art 45(1)(b))",)
    elif case.relocation:
        case.procedure = P.REGULAR.value
    elif not case.minor and case.chance(0.05):
        case.procedure, case.grounds = P.ADMISSIBILITY.value, (case.rng.choice(INADMISSIBLE),)
    elif low and at_border and adult and case.chance(0.75):
        case.procedure, case.grounds = P.BORDER.value, (
            "Recognition rate of 20% or lower (APR Art 45(1)(c))",)
    elif low and not case.minor and case.chance(0.7):
        case.procedure, case.grounds = P.ACCELERATED.value, (
            "Recognition rate of 20% or lower (APR Art 42(1)(j))",)
    elif not case.minor and case.chance(0.06):
        case.procedure, case.grounds = P.ACCELERATED.value, (
            "Only issues not relevant to protection raised (APR Art 42(1)(a))",)
    else:
        case.procedure = P.REGULAR.value


def assign(case: CasePlan, days: tuple[float, float] = (0, 7)) -> None:
    assert case.procedure is not None
    case.step(case.rng.uniform(*days), AssignProcedure(case.id, case.procedure, case.grounds), CW)


def interview(case: CasePlan, before: datetime) -> None:
    """The personal interview, some time before the decision (`before`)."""
    if case.chance(0.5 if case.procedure == P.ADMISSIBILITY.value else 0.07):
        return  # omitted (APR Art 13(11)) or not recorded apart from the decision
    language = LANGUAGE.get(case.nationality, "en")
    interpreter = language != OFFICIAL[case.ms]
    count = 2 if case.procedure == P.REGULAR.value and case.chance(0.06) else 1
    for n in range(1, count + 1):
        span = max((before - case.t).total_seconds() / 86400, 0.2)
        case.step(span * case.rng.uniform(0.15, 0.6), RecordInterview(
            case.id, f"INT-{case.ref}-{n}", language, interpreter), CW)


#: Border cases of persons transferred here under the AMMR (APR Art 51(2): 16 weeks).
ARRIVED_BY_TRANSFER_SHARE = 0.1


def arrived_by_transfer(case: CasePlan) -> None:
    """A few border cases are of persons transferred here under the AMMR (Art 46), recorded
    before the procedure is assigned (from their own random sequence)."""
    rng = rng_for(case, "arrival")
    if rng.random() < ARRIVED_BY_TRANSFER_SHARE:
        case.arrived_from = rng.choice([s for s in ("EL", "DE", "NL", "BE") if s != case.ms])
        add(case, case.t, RecordArrivalByTransfer(case.id, case.arrived_from), CW)


def decision_time(case: CasePlan) -> datetime:
    """When the first-instance decision falls; plans the interview and any extension, and
    authorises entry when a border procedure runs out first."""
    procedure = case.procedure
    assert procedure is not None and case.registered_at and case.lodged_at
    start = case.registered_at if procedure == P.BORDER.value else case.lodged_at
    usual, late_share, late = TIMING[procedure]
    t = start + case.days(*(late if case.chance(late_share) else usual))
    t = office_hours(max(t, case.t + case.days(3, 15)))
    code = DEADLINE[procedure]
    if procedure == P.BORDER.value and case.arrived_from:  # 16 weeks (APR Art 51(2))
        code = "BORDER_PROCEDURE_AFTER_TRANSFER"
    limit = case.due(code, start)
    if procedure == P.BORDER.value and t > limit:
        interview(case, limit)
        case.at(office_hours(limit + case.days(0.2, 3)), AuthoriseEntry(case.id), CW)
        case.procedure = P.REGULAR.value
        return office_hours(case.t + case.days(20, 120))
    most = MAX_EXTENSION_MONTHS.get(procedure, 0)
    extend = t > limit and most and case.t < limit - timedelta(days=5) and case.chance(0.5)
    if extend:
        wanted = (t - limit).days // 28 + 1
        months = next((m for m in (2, 3, 6) if wanted <= m <= most), most)
        case.at(limit - case.days(1, 4), ExtendExamination(
            case.id, case.rng.choice(EXTENSION_REASONS), months=months), DM)
    interview(case, t)
    return max(t, case.t + timedelta(hours=2))
