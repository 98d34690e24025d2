"""Conditions of the deadlines before the examination: screening, access to the procedure,
Eurodac and responsibility. Registered in `ledger.deadlines.conditions.CONDITIONS`."""

from __future__ import annotations

from typing import Any

from ledger.case.state import CaseState
from ledger.vocabulary import EurodacCategory, ScreeningOutcome, ScreeningTrigger


def _is(event: Any, name: str) -> bool:
    return type(event).__name__ == name


# --- screening (Screening Regulation (EU) 2024/1356 Art 8(3)-(4)) ----------------------------
def border_screening(event: Any, before: CaseState) -> bool:
    """Art 8(3): 7 days at the external border, unless the 4-day limit applies."""
    return (_is(event, "ScreeningStarted") and not event.held_over_72h
            and event.trigger != ScreeningTrigger.WITHIN_TERRITORY.value)


def held_over_72h(event: Any, before: CaseState) -> bool:
    """Art 8(3): 4 days for persons held at the border for more than 72 hours."""
    return (_is(event, "ScreeningStarted") and bool(event.held_over_72h)
            and event.trigger != ScreeningTrigger.WITHIN_TERRITORY.value)


def territory_screening(event: Any, before: CaseState) -> bool:
    """Art 8(4): screening of persons found within the territory (Art 7)."""
    return (_is(event, "ScreeningStarted")
            and event.trigger == ScreeningTrigger.WITHIN_TERRITORY.value)


# --- access to the procedure (APR (EU) 2024/1348 Art 27(1)) --------------------------------
_REFERRED = (ScreeningOutcome.REFER_TO_REGISTRATION.value,
             ScreeningOutcome.REFER_TO_RELOCATION.value)


def registration_starts(event: Any, before: CaseState) -> bool:
    """Art 27(1) counts 5 days from the making of the application. Our reading: an application
    cannot be registered while screening runs (Screening Reg Art 18(1)(b) refers the applicant
    to registration when screening ends), so an application made during screening starts the
    clock at the referral; one made outside screening starts it at once."""
    if _is(event, "ApplicationMade"):
        return before.screening != "IN_PROGRESS"
    if _is(event, "ScreeningCompleted"):
        return (event.outcome in _REFERRED and before.application_made_at is not None
                and before.registered_at is None)
    return False


def aged_six_or_unknown(event: Any, before: CaseState) -> bool:
    """Eurodac Art 15(1): biometrics of applicants aged 6 or over (age unknown: assume so).
    Decided when the application was registered, from the sealed date of birth
    (`ApplicationRegistered.biometrics_due`): the date of birth itself is not in clear."""
    return bool(getattr(event, "biometrics_due", True))


# --- responsibility (AMMR (EU) 2024/1351 Arts 39-41) ----------------------------------------
def hit_irregular(event: Any, before: CaseState) -> bool:
    """Art 39(1): a Eurodac hit on data recorded other than as an applicant (Arts 22, 24)."""
    return (_is(event, "EurodacHitReceived")
            and event.category != EurodacCategory.APPLICANT.value)


def hit_applicant(event: Any, before: CaseState) -> bool:
    """Art 41(1): a hit on an earlier application (take back)."""
    return (_is(event, "EurodacHitReceived")
            and event.category == EurodacCategory.APPLICANT.value)


def hit_based(event: Any, before: CaseState) -> bool:
    """Art 40(2): a request based on a Eurodac hit is answered within 2 weeks."""
    return _is(event, "TakeChargeRequested") and bool(event.hit_based)


def not_hit_based(event: Any, before: CaseState) -> bool:
    return _is(event, "TakeChargeRequested") and not event.hit_based


def transfer_limit_starts(event: Any, before: CaseState) -> bool:
    """AMMR Art 46(1): the transfer limit runs from acceptance or confirmation, or again from
    the final decision on an appeal whose transfer the court suspended (not if it annulled the
    transfer decision)."""
    if not _is(event, "TransferAppealDecided"):
        return True
    appeal = before.responsibility.transfer_appeal
    return appeal is not None and appeal.suspension == "GRANTED" and not event.annulled


def suspends_transfer(event: Any, before: CaseState) -> bool:
    """A suspension granted stops the running transfer limit (Art 43(3)); a refusal does not."""
    return not _is(event, "TransferSuspensionDecided") or bool(event.suspended)


def suspension_requested(event: Any, before: CaseState) -> bool:
    """Art 43(3): with the appeal, or after it (`TransferSuspensionRequested`)."""
    return _is(event, "TransferSuspensionRequested") or (
        _is(event, "TransferAppealLodged") and bool(event.suspension_requested))


# --- safeguards and monitoring (APR Art 15(2); Screening Art 10) ----------------------------
def not_informed_of_counselling(event: Any, before: CaseState) -> bool:
    """APR Art 15(2): due at registration, unless the person was informed already."""
    return before.safeguards.informed_at is None


def substantiated_allegation(event: Any, before: CaseState) -> bool:
    """Screening Art 10(2)(b): substantiated allegations are dealt with without undue delay."""
    return bool(event.substantiated)


ENTRY_CONDITIONS = {f.__name__: f for f in (
    transfer_limit_starts,
    suspends_transfer,
    suspension_requested,
    not_informed_of_counselling,
    substantiated_allegation,
    border_screening,
    held_over_72h,
    territory_screening,
    registration_starts,
    aged_six_or_unknown,
    hit_irregular,
    hit_applicant,
    hit_based,
    not_hit_based,
)}
