"""Access to the procedure (APR (EU) 2024/1348 Arts 26-28, 41): registration within five days
(four weeks while a crisis derogation applies, Crisis Regulation Art 10), Eurodac
transmission, lodging within 21 days, and applicants who move on before lodging (implicit
withdrawal).

Some registrations and lodgings are late, on purpose: the deadline read model should show a
realistic share of breaches.
"""

from __future__ import annotations

from datetime import timedelta

from ledger.case.commands import (
    AssignRepresentative,
    LodgeApplication,
    MakeApplication,
    ProvideInformation,
    RecordAbsconding,
    RegisterApplication,
)
from ledger.vocabulary import EurodacCategory as E
from pact_ledger.demo import eurodac, safeguards
from pact_ledger.demo.catalogue import CW, STATES
from pact_ledger.demo.nationalities import LANGUAGE
from pact_ledger.demo.plan import CasePlan, office_hours

LATE_REGISTRATION_SHARE = 0.07
LATE_LODGING_SHARE = 0.05
MOVED_ON_SHARE = {"frontline": 0.07, "inland": 0.03}
INFORMATION = ("APPLICATION_PROCEDURE", "RIGHTS_AND_OBLIGATIONS", "LEGAL_COUNSELLING",
               "RESPONSIBILITY_CRITERIA")


def apply_inland(case: CasePlan, place: str) -> None:
    """An application made at an office without screening: opens the case (APR Art 26)."""
    case.step(0, MakeApplication(case.ms, case.ref, place, case.person), CW)
    case.made_at = case.clock_from = case.t
    if case.minor:  # within 24 hours (AMMR Art 23(2)(a)), mostly
        late = case.chance(0.15)
        case.step(case.rng.uniform(1.1, 3) if late else case.rng.uniform(0.05, 0.9),
                  AssignRepresentative(case.id, "PROVISIONAL",
                                       f"REP-{case.ms}-{case.rng.randint(1000, 9999)}"), CW,
                  office=False)


def register(case: CasePlan) -> None:
    """Registration (Art 27), biometrics and transmission (Eurodac Art 15), information."""
    rng = case.rng
    assert case.clock_from is not None
    if "REGISTRATION" in case.derogations(case.clock_from):  # four weeks (Crisis Reg Art 10)
        delay = rng.uniform(29, 38) if case.chance(0.04) else rng.triangular(1, 27, 10)
    elif case.chance(LATE_REGISTRATION_SHARE):
        delay = rng.uniform(5.5, 20)
    else:
        delay = rng.uniform(0.2, 3.5)
    registered = office_hours(max(case.clock_from + timedelta(days=delay),
                                  case.t + timedelta(hours=2)))
    case.registered_at = case.at(registered, RegisterApplication(case.id), CW)
    safeguards.at_registration(case)
    if not case.captured:
        eurodac.capture(case, E.APPLICANT.value, CW)
    eurodac.plan_hit(case)
    eurodac.transmit(case)
    eurodac.record_hit(case)
    eurodac.flag_security(case)
    if case.chance(0.08 if case.trigger else 0.35):
        language = LANGUAGE.get(case.nationality, "en")
        case.step(rng.uniform(0, 2), ProvideInformation(case.id, INFORMATION, language), CW)
    if case.minor and case.chance(0.75):  # the permanent representative
        case.step(rng.uniform(2, 12), AssignRepresentative(
            case.id, "PERMANENT", f"REP-{case.ms}-{rng.randint(1000, 9999)}"), CW)


def lodge(case: CasePlan, days: tuple[float, float] = (1, 18),
          late_share: float = LATE_LODGING_SHARE) -> None:
    """Lodging (Art 28), within 21 days of registration unless late."""
    assert case.registered_at is not None
    late = case.chance(late_share)
    delay = case.rng.uniform(22, 40) if late else case.rng.uniform(*days)
    t = office_hours(case.registered_at + timedelta(days=delay))
    case.lodged_at = case.at(t, LodgeApplication(case.id), CW)


def moves_on(case: CasePlan) -> bool:
    """Whether the applicant leaves before lodging (to be declared implicitly withdrawn)."""
    frontline = STATES[case.ms].external_border
    return case.chance(MOVED_ON_SHARE["frontline" if frontline else "inland"])


def absconds(case: CasePlan) -> None:
    """The applicant no longer appears (then APR Art 41(1)(b) implicit withdrawal)."""
    case.step(case.rng.uniform(3, 15), RecordAbsconding(case.id), CW)
