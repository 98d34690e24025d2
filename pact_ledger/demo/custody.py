"""Reception conditions, age assessment and detention (RCD (EU) 2024/1346, APR Art 25): the
phases that run beside the examination.

Most applicants are allocated accommodation soon after registration and have their special
reception needs assessed within the 30 days of RCD Art 25(1) (some never are: the deadline read
model shows those breaches); a few have material conditions reduced. Some who claim to be
unaccompanied minors are assessed (APR Art 25): most are found minors, some adults (from then on
the case plans them as adults), a few get the benefit of the doubt. Some applicants in the border
procedure are detained on that ground, reviewed by a court within 15 days (RCD Art 11(3)), mostly,
and released before the decision. Applicants in the regular procedure still undecided after five
months get access to the labour market before the six months of RCD Art 17(1).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from ledger.case.commands import (
    AllocateReception,
    AssessSpecialReceptionNeeds,
    DecideDetentionReview,
    GrantLabourMarketAccess,
    InitiateAgeAssessment,
    OrderDetention,
    RecordAgeAssessmentResult,
    ReduceMaterialConditions,
    ReleaseFromDetention,
)
from ledger.vocabulary import Procedure as P
from pact_ledger.demo.catalogue import AB, CW, DM
from pact_ledger.demo.plan import CasePlan, office_hours

ALLOCATED_SHARE = 0.85
NEEDS_ASSESSED_SHARE = 0.8
REDUCED_SHARE = 0.02
AGE_ASSESSED_SHARE = 0.3  # of claimed unaccompanied minors
BORDER_DETENTION_SHARE = 0.15
NEEDS = ("PREGNANCY", "SERIOUS_ILLNESS", "TORTURE_SURVIVOR", "DISABILITY", "MENTAL_HEALTH")
REDUCTIONS = (("REDUCE", "HOUSE_RULES_BREACH", "Repeated breaches of the centre's rules"),
              ("WITHDRAW", "ABANDONED_RESIDENCE", "Left the assigned centre without permission"),
              ("REDUCE", "CONCEALED_RESOURCES", "Undeclared income found"))


def after_registration(case: CasePlan) -> None:
    """Age assessment of a claimed minor, then reception (both within days of registration)."""
    rng = case.rng
    if case.minor and case.chance(AGE_ASSESSED_SHARE):
        case.step(rng.uniform(0.5, 3), InitiateAgeAssessment(case.id, "MULTIDISCIPLINARY"), CW)
        r = rng.random()
        result = "MINOR" if r < 0.7 else "ADULT" if r < 0.9 else "BENEFIT_OF_DOUBT"
        case.step(rng.uniform(2, 8), RecordAgeAssessmentResult(
            case.id, result, 19 if result == "ADULT" else None), CW)
        if result == "ADULT":  # from now on the ledger, and the plan, treat them as an adult
            case.person = replace(case.person, unaccompanied_minor=False)
    if not case.chance(ALLOCATED_SHARE):
        return
    kind = rng.choices(["ACCOMMODATION", "GEOGRAPHICAL_AREA", "SPECIFIC_RESIDENCE"],
                       [85, 12, 3])[0]
    case.step(rng.uniform(0, 2), AllocateReception(
        case.id, kind, f"{case.ms}-RC-{rng.randint(1, 40):02d}",
        "RISK_OF_ABSCONDING" if kind == "SPECIFIC_RESIDENCE" else None), CW)
    if case.chance(NEEDS_ASSESSED_SHARE):
        needs = tuple(rng.sample(NEEDS, 1)) if case.chance(0.2) else ()
        case.step(rng.uniform(0.5, 6), AssessSpecialReceptionNeeds(case.id, needs), CW)
    if case.chance(REDUCED_SHARE):
        measure, ground, reason = rng.choice(REDUCTIONS)
        case.step(rng.uniform(1, 8), ReduceMaterialConditions(case.id, measure, ground, reason),
                  DM)


def border_detention(case: CasePlan) -> None:
    """Detention on the border procedure's ground (APR Art 54(1), RCD Art 10(4)), its review
    (RCD Art 11(3): 15 days; a few late) and release before the decision."""
    if case.minor or not case.chance(BORDER_DETENTION_SHARE):
        return
    rng = case.rng
    case.step(rng.uniform(0.2, 2), OrderDetention(
        case.id, "BORDER_PROCEDURE", f"DO-{case.ms}-{rng.randint(10000, 99999)}", True), CW)
    late = case.chance(0.1)
    lawful = case.chance(0.9)
    case.step(rng.uniform(16, 22) if late else rng.uniform(3, 13),
              DecideDetentionReview(case.id, lawful), AB)
    if lawful:
        case.step(rng.uniform(2, 20), ReleaseFromDetention(
            case.id, rng.choice(["GROUND_CEASED", "ALTERNATIVE_MEASURE"])), CW)


def labour_market(case: CasePlan, decided_at: datetime) -> None:
    """RCD Art 17(1): access before six months from registration when no decision is near."""
    if case.procedure != P.REGULAR.value or case.registered_at is None:
        return
    t = office_hours(case.registered_at + timedelta(days=case.rng.uniform(150, 178)))
    if case.t < t < decided_at - timedelta(days=1):
        case.at(t, GrantLabourMarketAccess(case.id), CW)
