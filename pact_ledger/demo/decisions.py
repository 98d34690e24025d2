"""First-instance decisions (APR Arts 35-41) and where each one leads.

A rejection comes with a joint return decision (Art 37), or with a recorded exception (Return
Directive Art 6(2)-(4)). Most decisions are notified with them; some are notified in a later
step. Grants go on to `protection`; rejections to `remedies` (appeals, finality) and then to
`returns`, or, for some, a subsequent application (Art 55): a preliminary examination that
finds most of them inadmissible for want of new elements.
"""

from __future__ import annotations

from datetime import datetime

from ledger.case.commands import (
    AssignProcedure,
    CloseCase,
    IssueDecision,
    MakeSubsequentApplication,
    NotifyDecision,
)
from ledger.vocabulary import ClosureReason as C
from ledger.vocabulary import DecisionType as D
from ledger.vocabulary import Procedure as P
from pact_ledger.demo import protection, remedies, returns
from pact_ledger.demo.catalogue import CW, DM
from pact_ledger.demo.nationalities import (
    CONFLICT,
    GROUNDS,
    NO_NEW_ELEMENTS,
    RETURN_EXCEPTIONS,
    grant_rate,
)
from pact_ledger.demo.plan import CasePlan, office_hours

EXPLICIT_WITHDRAWAL_SHARE = 0.025
RETURN_EXCEPTION_SHARE = 0.05
SUBSEQUENT_SHARE = 0.14  # of final rejections of people still here
#: How decisions are notified: at once, later in a step of its own, or later and entered (with
#: the time of notification) only then.
NOTIFIED_AT_ONCE, NOTIFIED_IN_A_STEP = 0.45, 0.3


def voluntary_departure(case: CasePlan) -> int | None:
    """Days for voluntary departure, or None (risk of absconding)."""
    if case.chance(0.15):
        return None
    return case.rng.choice((7, 10, 15) if case.procedure == P.BORDER.value else (7, 14, 21, 30))


def issue(case: CasePlan, t: datetime, kind: D, ground: str) -> datetime:
    """Plan a decision at `t`; returns when it is notified."""
    rng = case.rng
    r = rng.random()
    separate = NOTIFIED_AT_ONCE <= r < NOTIFIED_AT_ONCE + NOTIFIED_IN_A_STEP
    notified = t if r < NOTIFIED_AT_ONCE else office_hours(t + case.days(0.5, 6))
    with_return, days, exception = False, None, None
    if kind.is_rejection:
        if case.chance(RETURN_EXCEPTION_SHARE):
            exception = rng.choice(RETURN_EXCEPTIONS)
        else:
            with_return, days = True, voluntary_departure(case)
    case.at(t, IssueDecision(case.id, kind.value, ground, None if separate else notified,
                             with_return, days, exception), DM)
    case.return_decision = with_return
    if separate:
        notified = case.at(notified, NotifyDecision(case.id), CW)
    return notified


def decide(case: CasePlan, t: datetime) -> None:
    """The decision at `t` and everything after it (remittals decide again)."""
    while True:
        if case.chance(EXPLICIT_WITHDRAWAL_SHARE):
            kind = D.EXPLICITLY_WITHDRAWN
            issue(case, t, kind, GROUNDS[kind])
            if case.chance(0.8):
                case.step(case.rng.uniform(1, 10), CloseCase(case.id, C.WITHDRAWN.value), CW)
            return
        kind, ground = _outcome(case)
        notified = issue(case, t, kind, ground)
        if kind.grants_protection:
            protection.after_grant(case, kind, notified)
            return
        outcome = remedies.after_rejection(case, kind, notified)
        if outcome == remedies.REMITTED:
            case.remitted = True
            t = office_hours(case.t + case.days(30, 120))
            continue
        if outcome != remedies.FINAL_HERE:
            return
        if not case.subsequent and case.chance(SUBSEQUENT_SHARE):
            t = subsequent_application(case)
            continue
        returns.depart(case)
        return


def _outcome(case: CasePlan) -> tuple[D, str]:
    if case.procedure == P.ADMISSIBILITY.value:
        return D.INADMISSIBLE, case.grounds[0]
    rate = 0.25 if case.subsequent else grant_rate(case.nationality) + 0.3 * case.remitted
    if case.chance(rate):
        subsidiary = case.chance(0.45 if case.nationality in CONFLICT else 0.15)
        kind = D.SUBSIDIARY_PROTECTION if subsidiary else D.REFUGEE_STATUS
    else:
        fast = case.procedure in (P.BORDER.value, P.ACCELERATED.value)
        kind = D.MANIFESTLY_UNFOUNDED if case.chance(0.6 if fast else 0.15) else D.UNFOUNDED
    return kind, GROUNDS[kind]


def subsequent_application(case: CasePlan) -> datetime:
    """A further application (Art 55) and its preliminary examination; returns when the
    decision on it falls."""
    case.subsequent = True
    case.right_ended = case.return_decision = case.final = False
    new_elements = case.chance(0.25)
    case.step(case.rng.uniform(15, 150), MakeSubsequentApplication(case.id, new_elements), CW)
    if new_elements:
        case.procedure, case.grounds = P.ACCELERATED.value, (
            "Subsequent application with new elements (APR Arts 42, 55)",)
    else:
        case.procedure, case.grounds = P.ADMISSIBILITY.value, (NO_NEW_ELEMENTS,)
    case.step(case.rng.uniform(0, 5), AssignProcedure(case.id, case.procedure, case.grounds), CW)
    return office_hours(case.t + case.days(5, 40 if new_elements else 25))
