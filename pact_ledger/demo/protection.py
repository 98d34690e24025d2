"""After protection is granted: Eurodac marking (Eurodac Art 31), the residence permit
(Qualification Regulation Art 24), an appeal for refugee status by some beneficiaries of
subsidiary protection (APR Art 67(1)), finality and closure.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ledger.case.commands import (
    CloseCase,
    DecideAppeal,
    DeclareDecisionFinal,
    IssueResidencePermit,
    LodgeAppeal,
)
from ledger.vocabulary import AppealOutcome as A
from ledger.vocabulary import ClosureReason as C
from ledger.vocabulary import DecisionType as D
from pact_ledger.demo import eurodac, withdrawal
from pact_ledger.demo.catalogue import AB, CW
from pact_ledger.demo.plan import CasePlan, office_hours

#: Years a first permit is valid (QR Art 24: at least three years for refugees, one for
#: beneficiaries of subsidiary protection; the demo uses the minimum).
PERMIT_YEARS = {D.REFUGEE_STATUS: 3, D.SUBSIDIARY_PROTECTION: 1}
UPGRADE_APPEAL_SHARE = 0.12


def after_grant(case: CasePlan, kind: D, notified: datetime, by_court: bool = False) -> None:
    rng = case.rng
    case.wait_until(notified)
    eurodac.mark(case)
    appeal = not by_court and kind is D.SUBSIDIARY_PROTECTION and case.chance(UPGRADE_APPEAL_SHARE)
    if appeal:
        case.at(office_hours(notified + case.days(5, 28)),
                LodgeAppeal(case.id, case.staff[AB].authority), AB)
    permit = case.step(rng.uniform(10, 45), IssueResidencePermit(
        case.id, f"RP-{case.ms}-{rng.randint(10**7, 10**8 - 1)}", date_after(case.t, kind)), CW)
    if appeal:
        upgraded = case.chance(0.25)
        outcome = DecideAppeal(case.id, A.OVERTURNED.value, D.REFUGEE_STATUS.value) if upgraded \
            else DecideAppeal(case.id, A.UPHELD.value)
        case.step(rng.uniform(60, 240), outcome, AB)
        final = case.t + case.days(1, 15)
    elif by_court or kind is D.REFUGEE_STATUS:  # nothing left to appeal
        final = max(notified, permit) + case.days(1, 10)
    else:  # the appeal period (a month) passes
        final = case.due("APPEAL_STANDARD", notified) + case.days(1, 15)
    case.at(office_hours(max(final, case.t)), DeclareDecisionFinal(case.id), CW)
    case.final = True
    if case.chance(0.75):
        case.step(rng.uniform(5, 60), CloseCase(case.id, C.PROTECTION_GRANTED.value), CW)
    withdrawal.reconsider(case, kind)


def date_after(t: datetime, kind: D) -> date:
    """The end of the permit's validity."""
    return (t + timedelta(days=round(365.25 * PERMIT_YEARS[kind]))).date()
