"""After a rejection or a referral to return: the end of the right to remain (APR Art 68),
finality, the return border procedure (Regulation (EU) 2024/1349), voluntary departure (Return
Directive Art 7), and what happens to the person: returned, absconded, or still here.

Returns are the exception, as in the statistics: about a third of final rejections end in a
recorded return, more in the return border procedure (most within its twelve weeks).
"""

from __future__ import annotations

from datetime import datetime

from ledger.case.commands import (
    CloseCase,
    DeclareDecisionFinal,
    EndRightToRemain,
    GrantVoluntaryDeparture,
    IssueReturnDecision,
    RecordAbsconding,
    RecordReturn,
    StartReturnBorderProcedure,
)
from ledger.vocabulary import ClosureReason as C
from pact_ledger.demo.catalogue import CW, DM, RO
from pact_ledger.demo.plan import CasePlan, office_hours

FINALITY_RECORDED_SHARE = 0.97


def end_right(case: CasePlan, reason: str) -> None:
    """The right to remain ends (APR Art 68), once."""
    if not case.right_ended:
        case.step(case.rng.uniform(0.05, 2), EndRightToRemain(case.id, reason), CW)
        case.right_ended = True


def declare_final(case: CasePlan, after: datetime | None = None) -> bool:
    """A rejection becomes final (after `after`, the end of its appeal period, if given);
    sometimes this is never recorded."""
    if case.final or not case.chance(FINALITY_RECORDED_SHARE):
        return case.final
    t = max(after + case.days(0.5, 10), case.t) if after else case.t + case.days(1, 15)
    case.at(office_hours(t), DeclareDecisionFinal(case.id), CW)
    case.final = case.right_ended = True
    return True


def after_referral(case: CasePlan) -> None:
    """A person screened who did not apply: a return decision (Return Directive Art 6)."""
    days = None if case.chance(0.3) else case.rng.choice((7, 14, 30))
    case.step(case.rng.uniform(0.5, 4), IssueReturnDecision(case.id, days), DM)
    case.return_decision = True
    _fate(case, returned=0.4, absconded=0.25, voluntary=0.25)


def depart(case: CasePlan) -> None:
    """After a final rejection in another procedure than the border procedure."""
    if case.return_decision and case.right_ended:
        _fate(case, returned=0.3, absconded=0.15, voluntary=0.3)


def return_border(case: CasePlan, final_after: datetime) -> None:
    """A rejection in the border procedure: the return border procedure once the right to
    remain ended (by its own step, or by finality), mostly a return within twelve weeks."""
    if not case.right_ended and not declare_final(case, final_after):
        return
    if not case.return_decision:
        declare_final(case, final_after)
        return
    case.step(case.rng.uniform(0, 2), StartReturnBorderProcedure(case.id), RO)
    declare_final(case, final_after)
    _fate(case, returned=0.55, absconded=0.15, voluntary=0.5, within=(3, 70), most=15)


def _fate(case: CasePlan, returned: float, absconded: float, voluntary: float,
          within: tuple[float, float] = (15, 150), most: int = 30) -> None:
    """Voluntary departure (at most `most` days) for some; then returned, absconded, still
    here, or returned after a long time."""
    rng = case.rng
    if case.chance(voluntary):
        days = rng.choice([d for d in (7, 10, 14, 15, 21, 30) if d <= most])
        case.step(rng.uniform(2, 15), GrantVoluntaryDeparture(case.id, days), DM)
        if case.chance(0.6):
            _returned(case, rng.uniform(1, days))
            return
    r = rng.random()
    if r < returned:
        _returned(case, rng.uniform(*within))
    elif r < returned + absconded:
        case.step(rng.uniform(10, 120), RecordAbsconding(case.id), RO)
        if case.chance(0.5):
            case.step(rng.uniform(30, 120), CloseCase(case.id, C.ABSCONDED.value), CW)
    elif r < returned + absconded + 0.08:
        _returned(case, rng.uniform(90, 200))  # returned, but late


def _returned(case: CasePlan, days: float) -> None:
    if case.nationality == "XX":  # nowhere to return a stateless person to
        return
    case.step(days, RecordReturn(case.id, case.nationality), RO, office=False)
    if case.chance(0.85):
        case.step(case.rng.uniform(1, 15), CloseCase(case.id, C.RETURNED.value), CW)
