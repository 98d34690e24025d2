"""Conditions of the deadlines of detention, reception conditions and age assessment (RCD
(EU) 2024/1346, AMMR Art 45, RBPR, APR Art 25). Registered in
`ledger.deadlines.conditions.CONDITIONS`."""

from __future__ import annotations

from typing import Any

from ledger.case.age_assessment.values import MINOR_RESULTS
from ledger.case.detention.values import GROUNDS, OrderingAuthority
from ledger.case.reception.steps import excluded_from_labour_market
from ledger.case.state import CaseState


def _is(event: Any, name: str) -> bool:
    return type(event).__name__ == name


def _finds_unaccompanied_minor(event: Any, before: CaseState) -> bool:
    assessment = before.age_assessment
    return (event.result in MINOR_RESULTS and assessment is not None
            and assessment.unaccompanied)


# --- minority (APR Art 25; AMMR Art 23(2)) ----------------------------------------------------
def unaccompanied_minor(event: Any, before: CaseState) -> bool:
    """AMMR Art 23(2)(a): a representative for an unaccompanied minor: one who claimed to be
    one when the case opened, or one an age assessment found (without a representative yet)."""
    if _is(event, "CaseOpened"):
        return bool(event.unaccompanied_minor)
    return (_is(event, "AgeAssessed") and not before.unaccompanied_minor
            and before.representative is None and _finds_unaccompanied_minor(event, before))


def minority_ends(event: Any, before: CaseState) -> bool:
    """APR Art 25: an assessment that does not find an unaccompanied minor ends what was owed
    to one (the representative deadline); every other stopping event stops it as always."""
    return not _is(event, "AgeAssessed") or not _finds_unaccompanied_minor(event, before)


# --- detention (RCD Art 11(3); APR Art 51(2); AMMR Art 45(3); RBPR Art 4(2)) -----------------
def detention_review_ex_officio(event: Any, before: CaseState) -> bool:
    """RCD Art 11(3): an administrative order is reviewed by a court within 15 days."""
    return (_is(event, "DetentionOrdered") and not event.exceptional_situation
            and event.ordered_by == OrderingAuthority.ADMINISTRATIVE.value)


def detention_review_exceptional(event: Any, before: CaseState) -> bool:
    """RCD Art 11(3): within 21 days in an exceptional situation."""
    return (_is(event, "DetentionOrdered") and bool(event.exceptional_situation)
            and event.ordered_by == OrderingAuthority.ADMINISTRATIVE.value)


def _capped_by(code: str) -> Any:
    def capped(event: Any, before: CaseState) -> bool:
        return _is(event, "DetentionOrdered") and GROUNDS[event.ground].maximum == code
    return capped


def detained_in_border_procedure(event: Any, before: CaseState) -> bool:
    """APR Art 51(2), Art 54(1): detention in the border procedure ends with it."""
    return bool(_capped_by("DETENTION_MAX_BORDER")(event, before))


def detained_for_transfer(event: Any, before: CaseState) -> bool:
    """AMMR Arts 44, 45(3): detention to secure a transfer."""
    return bool(_capped_by("DETENTION_MAX_TRANSFER")(event, before))


def detained_in_return_border_procedure(event: Any, before: CaseState) -> bool:
    """RBPR Arts 4(2), 5: at most the 12 weeks of the return border procedure."""
    return bool(_capped_by("DETENTION_MAX_RETURN_BORDER")(event, before))


# --- reception (RCD Art 17) -------------------------------------------------------------------
def labour_market_obligation_ends(event: Any, before: CaseState) -> bool:
    """RCD Art 17(1)-(2): the obligation lapses with a first-instance decision, or with the
    accelerated procedure on APR Art 42(1)(a)-(f); every other stopping event stops it."""
    if _is(event, "ProcedureAssigned"):
        return excluded_from_labour_market(event.procedure, tuple(event.grounds))
    return True


CUSTODY_CONDITIONS = {f.__name__: f for f in (
    unaccompanied_minor,
    minority_ends,
    detention_review_ex_officio,
    detention_review_exceptional,
    detained_in_border_procedure,
    detained_for_transfer,
    detained_in_return_border_procedure,
    labour_market_obligation_ends,
)}
