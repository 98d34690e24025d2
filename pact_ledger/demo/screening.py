"""Screening (Regulation (EU) 2024/1356): where people arrive, the checks, the referral.

Every screening records its start, biometrics and the screening form (Arts 17-18). The four
checks (health, vulnerability, identity, security: Arts 12, 14, 15) are recorded one by one
when they find something, and otherwise for a few people (for the rest, routine results are on
the form only); the information given (Art 11) is recorded with its language for some.
Unaccompanied minors get a representative within a day, mostly (Art 13). Most people apply
for protection during screening and are referred to registration (or, for some in the states
that benefit from solidarity, to relocation); the others are referred to return.
"""

from __future__ import annotations

import random
from datetime import timedelta

from ledger.case.commands import (
    AssignRepresentative,
    CompleteScreening,
    MakeApplication,
    ProvideInformation,
    RecordHealthCheck,
    RecordIdentityCheck,
    RecordSecurityCheck,
    RecordVulnerabilityCheck,
    StartScreening,
)
from ledger.vocabulary import EurodacCategory as E
from ledger.vocabulary import ScreeningOutcome as O
from ledger.vocabulary import ScreeningTrigger as T
from pact_ledger.demo import eurodac
from pact_ledger.demo.catalogue import SO, MemberStateProfile
from pact_ledger.demo.nationalities import LANGUAGE, LOW_RECOGNITION
from pact_ledger.demo.plan import CasePlan

ROUTINE_CHECK_SHARE = 0.12  # routine (clear) checks recorded as their own step
OVERRUN_SHARE = 0.04  # screening takes longer than Art 8(3)-(4) allow
LATE_REPRESENTATIVE_SHARE = 0.15
NEEDS = ("TORTURE_SURVIVOR", "PREGNANT", "DISABILITY", "SERIOUS_ILLNESS", "VICTIM_OF_TRAFFICKING",
         "SINGLE_PARENT", "ELDERLY")
#: Share of people screened who do not apply for protection (tripled for low recognition).
_NOT_APPLYING = {T.IRREGULAR_CROSSING.value: 0.05, T.SEARCH_AND_RESCUE.value: 0.03,
                 T.BORDER_CROSSING_POINT_APPLICATION.value: 0.0, T.WITHIN_TERRITORY.value: 0.12}
INFORMATION = ("SCREENING_PURPOSE", "RIGHT_TO_APPLY", "RIGHTS_AND_OBLIGATIONS", "DATA_PROTECTION")


def entry(rng: random.Random, st: MemberStateProfile, surge: bool) -> tuple[str | None, str]:
    """Screening trigger and place; no trigger when the person applies inland unscreened."""
    r = rng.random() * (0.78 if surge else 1.0)
    if st.external_border:
        if st.sea and r < 0.5:
            return T.SEARCH_AND_RESCUE.value, rng.choice(st.sea)
        if r < 0.78:
            return T.IRREGULAR_CROSSING.value, rng.choice(st.land or st.sea)
        r = (r - 0.78) / 0.22 * 0.5  # the rest: airport, inland screening or direct
    if r < 0.06:
        return T.BORDER_CROSSING_POINT_APPLICATION.value, st.airport
    if r < 0.4:
        return T.WITHIN_TERRITORY.value, rng.choice(st.inland)
    return None, rng.choice(st.inland)


def _limit(trigger: str, held: bool) -> float:
    """Days screening may last (Art 8(3)-(4))."""
    if trigger == T.WITHIN_TERRITORY.value:
        return 3
    return 4 if held else 7


def screen(case: CasePlan, place: str) -> bool:
    """Screening; False when the person does not apply and is referred to return."""
    rng, trigger = case.rng, case.trigger
    assert trigger is not None
    held = trigger == T.IRREGULAR_CROSSING.value and case.chance(0.15)
    case.step(0, StartScreening(case.ms, case.ref, case.person, trigger, place, held), SO,
              office=False)
    limit = _limit(trigger, held)
    length = (rng.uniform(limit + 0.3, limit + 4) if case.chance(OVERRUN_SHARE)
              else rng.uniform(0.3, min(limit - 0.2, 4)))
    end = case.t + timedelta(days=length)
    representative = AssignRepresentative(case.id, "PROVISIONAL",
                                          f"REP-{case.ms}-{rng.randint(1000, 9999)}")
    late_representative = case.minor and case.chance(LATE_REPRESENTATIVE_SHARE)
    if case.minor and not late_representative:  # within 24 hours (AMMR Art 23(2)(a))
        case.step(rng.uniform(0.05, 0.9), representative, SO, office=False)
    applies = case.minor or trigger == T.BORDER_CROSSING_POINT_APPLICATION.value \
        or not case.chance(_NOT_APPLYING[trigger] * (3 if case.nationality in LOW_RECOGNITION
                                                      else 1))
    gap = length / 8
    _health(case, gap)
    if applies:
        case.step(rng.uniform(0.02, min(gap * 2, 1)), MakeApplication(case.ms, case.ref, place),
                  SO, office=False)
        case.made_at = case.t
    _vulnerability(case, gap)
    _identity(case, gap)
    _security(case, gap)
    if case.chance(0.3):
        language = LANGUAGE.get(case.nationality, "en")
        case.step(rng.uniform(0, gap), ProvideInformation(case.id, INFORMATION, language), SO,
                  office=False)
    category = E.APPLICANT.value if applies else eurodac.NOT_APPLYING[trigger]
    eurodac.capture(case, category)
    if not applies:
        eurodac.transmit(case, within_days=1)
    outcome = (O.REFER_TO_RETURN if not applies
               else O.REFER_TO_RELOCATION if case.relocation and case.chance(0.5)
               else O.REFER_TO_REGISTRATION)
    incomplete = (rng.choice(("HEALTH", "IDENTITY", "VULNERABILITY")),) if case.chance(0.06) \
        else ()
    form = case.ref.replace("-", "-SF-", 1)
    case.at(max(end, case.t), CompleteScreening(case.id, outcome.value, form, incomplete), SO)
    if late_representative:
        case.at(case.t + case.days(1.1, 3), representative, SO)
    if applies:
        case.clock_from = case.t
    return applies


def _health(case: CasePlan, gap: float) -> None:
    sar = case.trigger == T.SEARCH_AND_RESCUE.value
    r = case.rng.random()
    result = ("EMERGENCY_CARE_GIVEN" if r < (0.06 if sar else 0.015)
              else "NEEDS_CARE" if r < 0.1 else "NO_NEEDS")
    if result != "NO_NEEDS" or case.chance(ROUTINE_CHECK_SHARE):
        case.step(case.rng.uniform(0.01, gap), RecordHealthCheck(case.id, result), SO,
                  office=False)


def _vulnerability(case: CasePlan, gap: float) -> None:
    needs: tuple[str, ...] = ("UNACCOMPANIED_MINOR",) if case.minor else ()
    if case.chance(0.1):
        needs += (case.rng.choice(NEEDS),)
    if needs or case.chance(ROUTINE_CHECK_SHARE):
        case.step(case.rng.uniform(0.01, gap), RecordVulnerabilityCheck(case.id, needs), SO,
                  office=False)


def _identity(case: CasePlan, gap: float) -> None:
    documents = case.chance(0.3)
    established = documents or case.chance(0.8)
    if not established or case.chance(ROUTINE_CHECK_SHARE):
        method = "BIOMETRICS_AND_DOCUMENT" if documents else "BIOMETRICS_AND_INTERVIEW"
        case.step(case.rng.uniform(0.01, gap), RecordIdentityCheck(case.id, method, established),
                  SO, office=False)


def _security(case: CasePlan, gap: float) -> None:
    if case.security or case.chance(ROUTINE_CHECK_SHARE):
        databases = ("SIS", "ECRIS-TCN", "Europol", "Interpol SLTD")
        case.step(case.rng.uniform(0.01, gap), RecordSecurityCheck(case.id, case.security,
                                                                   databases), SO, office=False)
