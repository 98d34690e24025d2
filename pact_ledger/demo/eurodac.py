"""Eurodac steps (Regulation (EU) 2024/1358): capture from age six, transmission (72 hours after
registration for applicants, Art 15(1)), hits on earlier records, security flags, marking.

Hits decide the Dublin route: a hit on an earlier application leads to a take back
notification (AMMR Art 41), a hit on an irregular crossing or disembarkation to a take charge
request (Art 39). Hits are rare at the external border and common inland (onward movement).
"""

from __future__ import annotations

from datetime import timedelta

from ledger.case.commands import (
    CaptureBiometrics,
    MarkInEurodac,
    RecordEurodacHit,
    RecordSecurityFlag,
    TransmitToEurodac,
)
from ledger.vocabulary import EurodacCategory as E
from ledger.vocabulary import ScreeningTrigger as T
from pact_ledger.demo.catalogue import CW, DU, EARLIER_APPLICATION, FIRST_ENTRY, SO, STATES
from pact_ledger.demo.people import estimated_age
from pact_ledger.demo.plan import CasePlan

#: Capture category of a person screened without applying (Arts 22-24).
NOT_APPLYING = {T.IRREGULAR_CROSSING.value: E.IRREGULAR_CROSSING.value,
                T.SEARCH_AND_RESCUE.value: E.SEARCH_AND_RESCUE.value,
                T.BORDER_CROSSING_POINT_APPLICATION.value: E.IRREGULAR_CROSSING.value,
                T.WITHIN_TERRITORY.value: E.ILLEGALLY_STAYING.value}
HIT_SHARE = {"inland": 0.24, "frontline": 0.03}
LATE_TRANSMISSION_SHARE = 0.05


def capture(case: CasePlan, category: str, role: str = SO) -> None:
    """Biometrics from persons aged six or over (a person without a birth date: an estimate)."""
    age = case.age()
    if age is not None and age < 6:
        return
    estimate = estimated_age(case.rng) if age is None else None
    case.step(case.rng.uniform(0.01, 0.1), CaptureBiometrics(case.id, category, estimate), role,
              office=False)
    case.captured = True


def transmit(case: CasePlan, within_days: float = 2.5) -> None:
    """Transmission, mostly within 72 hours (`within_days`), sometimes late."""
    if not case.captured or case.transmitted_at is not None:
        return
    late = case.chance(LATE_TRANSMISSION_SHARE)
    days = case.rng.uniform(3.3, 8) if late else case.rng.uniform(0.05, within_days)
    reference = f"EDC-{case.ms}-{case.ref[-6:]}-{case.rng.randint(100, 999)}"
    case.transmitted_at = case.step(days, TransmitToEurodac(case.id, reference), CW,
                                    office=False)


def plan_hit(case: CasePlan) -> None:
    """Whether the transmission will find an earlier record, and of what kind."""
    inland = not STATES[case.ms].external_border
    if case.procedure == "BORDER":  # determined within the border procedure, without hits
        return
    if not case.captured or not case.chance(HIT_SHARE["inland" if inland else "frontline"]):
        return
    earlier = {ms: w for ms, w in EARLIER_APPLICATION.items() if ms != case.ms}
    entry = {ms: w for ms, w in FIRST_ENTRY.items() if ms != case.ms}
    if inland and case.chance(0.45):
        origin = case.rng.choices(list(entry), list(entry.values()))[0]
        category = (E.SEARCH_AND_RESCUE.value if STATES[origin].sea and case.chance(0.5)
                    else E.IRREGULAR_CROSSING.value)
    else:
        origin = case.rng.choices(list(earlier), list(earlier.values()))[0]
        category = E.APPLICANT.value
    case.hit = (category, origin, f"HIT-{origin}-{case.rng.randint(100000, 999999)}")


def record_hit(case: CasePlan) -> None:
    if case.hit is None or case.transmitted_at is None:
        case.hit = None
        return
    category, origin, ref = case.hit
    case.at(case.transmitted_at + timedelta(minutes=case.rng.randint(2, 90)),
            RecordEurodacHit(case.id, category, origin, ref), DU)


def flag_security(case: CasePlan) -> None:
    """The Eurodac security flag (Art 17) for a person found to be a security threat."""
    if case.security:
        case.step(case.rng.uniform(0.1, 2), RecordSecurityFlag(
            case.id, "Reasonable grounds: threat to internal security (AMMR Art 16(4))"), CW)


def mark(case: CasePlan) -> None:
    """Marking once protection is granted (Art 31(1)), where data were sent."""
    if case.transmitted_at is not None:
        case.step(case.rng.uniform(0.5, 5), MarkInEurodac(case.id), CW)
