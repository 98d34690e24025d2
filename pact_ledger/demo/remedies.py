"""Remedies after a rejection (APR (EU) 2024/1348 Arts 67-68).

Many rejections are appealed, mostly within the appeal period (10 days for inadmissibility and
accelerated or border rejections, a month otherwise), a few late. The appeal's suspensive effect
is the ledger's to decide (Art 68); where it has none, most appellants ask the court to let
them remain, and where there is no such request, or the court refuses it, the right to remain
ends. Courts mostly dismiss appeals, overturn some (granting protection) and remit some.
Without an appeal, the decision is declared final once the appeal period has passed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ledger.case.commands import (
    DecideAppeal,
    DecideRequestToRemain,
    LodgeAppeal,
    LodgeRequestToRemain,
)
from ledger.case.remedies.steps import automatic_suspensive_effect
from ledger.vocabulary import AppealOutcome as A
from ledger.vocabulary import DecisionType as D
from ledger.vocabulary import Procedure as P
from pact_ledger.demo import protection, returns, safeguards
from pact_ledger.demo.catalogue import AB
from pact_ledger.demo.plan import CasePlan, office_hours
from pact_ledger.demo.returns import declare_final, end_right

REMITTED, FINAL_HERE, DONE = "REMITTED", "FINAL_HERE", "DONE"
LATE_APPEAL_SHARE = 0.03
APPEAL_DAYS = {P.BORDER.value: (7, 25), P.REGULAR.value: (60, 270)}  # others: 20-90 days


def _appeal_share(kind: D, procedure: str | None) -> float:
    if kind is D.IMPLICITLY_WITHDRAWN:
        return 0.06
    if kind is D.INADMISSIBLE:
        return 0.45
    return 0.65 if procedure == P.REGULAR.value else 0.5


def after_rejection(case: CasePlan, kind: D, notified: datetime) -> str:
    """Appeal or finality after a rejection notified at `notified`; returns REMITTED (decide
    again), FINAL_HERE (final, the person is still here) or DONE."""
    procedure = case.procedure
    border = procedure == P.BORDER.value
    suspensive = automatic_suspensive_effect(kind.value, procedure, case.minor)
    short = kind is D.INADMISSIBLE or procedure in (P.BORDER.value, P.ACCELERATED.value)
    due = case.due("APPEAL_SHORT" if short else "APPEAL_STANDARD", notified)
    case.wait_until(notified)
    no_suspension = "No automatic suspensive effect (APR Art 68(3))"
    if not case.chance(_appeal_share(kind, procedure)):
        if not suspensive and (border or case.chance(0.4)):
            end_right(case, no_suspension)
        if border:
            returns.return_border(case, final_after=due)
            return DONE
        return FINAL_HERE if declare_final(case, due) else DONE
    period = (due - notified) / timedelta(days=1)
    lodged = (due + case.days(0.5, 8) if case.chance(LATE_APPEAL_SHARE)
              else notified + case.days(0.3, period - 0.5))
    case.at(office_hours(lodged), LodgeAppeal(case.id, case.staff[AB].authority), AB)
    lodged = case.t
    safeguards.assistance_on_appeal(case)
    if not suspensive:
        if case.chance(0.7):
            case.step(case.rng.uniform(0, 2), LodgeRequestToRemain(case.id), AB)
            granted = case.chance(0.35)
            case.step(case.rng.uniform(3, 15), DecideRequestToRemain(case.id, granted), AB)
            if not granted:
                end_right(case, "Request to remain refused (APR Art 68(5))")
        else:
            end_right(case, no_suspension)
    decided = office_hours(lodged + case.days(*APPEAL_DAYS.get(procedure or "", (20, 90))))
    r = case.rng.random()
    withdrawn = kind is D.IMPLICITLY_WITHDRAWN
    if r < 0.12 and suspensive and not border and not case.remitted and not withdrawn:
        case.at(decided, DecideAppeal(case.id, A.REMITTED.value), AB)
        case.return_decision = False
        return REMITTED
    if r > 0.88 and not withdrawn:
        granted_type = D.SUBSIDIARY_PROTECTION if case.chance(0.7) else D.REFUGEE_STATUS
        case.at(decided, DecideAppeal(case.id, A.OVERTURNED.value, granted_type.value), AB)
        case.return_decision = False
        protection.after_grant(case, granted_type, case.t, by_court=True)
        return DONE
    case.at(decided, DecideAppeal(case.id, A.UPHELD.value), AB)
    if border:
        if not suspensive:  # after a suspensive appeal only finality ends it
            end_right(case, "Appeal dismissed (APR Art 68(1))")
        returns.return_border(case, final_after=case.t)
        return DONE
    return FINAL_HERE if declare_final(case) else DONE
