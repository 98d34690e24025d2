"""Withdrawal of protection (QR Arts 14, 19; APR Art 66): for a few beneficiaries, protection is
reconsidered; the person is informed, some present reasons, and protection is withdrawn (with the
Eurodac unmarking, Eurodac Art 31) or the reconsideration discontinued."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ledger.case.commands import (
    CloseCase,
    DecideWithdrawal,
    InformOfWithdrawal,
    StartWithdrawalProcedure,
    SubmitWithdrawalObservations,
)
from ledger.vocabulary import DecisionType as D
from pact_ledger.demo.catalogue import CW, DM
from pact_ledger.demo.crisis import due
from pact_ledger.demo.extra_steps import add, rng_for
from pact_ledger.demo.plan import CasePlan

WITHDRAWAL_SHARE = 0.4  # of the beneficiaries whose case stays open
REFUGEE_GROUNDS = ("CESSATION_REESTABLISHED", "CESSATION_CIRCUMSTANCES", "MISREPRESENTATION",
                   "SERIOUS_CRIME")
SUBSIDIARY_GROUNDS = ("CESSATION_CIRCUMSTANCES", "MISREPRESENTATION", "EXCLUSION")


def reconsider(case: CasePlan, kind: D) -> None:
    """After the grant, unless the case was closed."""
    if case.steps and isinstance(case.steps[-1].command, CloseCase):
        return
    rng = rng_for(case, "withdrawal")
    if rng.random() >= WITHDRAWAL_SHARE:
        return
    grounds = REFUGEE_GROUNDS if kind is D.REFUGEE_STATUS else SUBSIDIARY_GROUNDS
    t = add(case, case.t + case.days(20, 120),
            StartWithdrawalProcedure(case.id, rng.choice(grounds)), DM)
    t = add(case, t + case.days(1, 10), InformOfWithdrawal(case.id, "ar"), DM)
    heard = rng.random() < 0.6
    if heard:
        t = add(case, t + case.days(5, 25), SubmitWithdrawalObservations(case.id), CW)
    withdrawn = rng.random() < 0.7
    wait = (1, 20) if heard else (32, 60)  # APR Art 66(1)(d): heard, or the time has passed
    decided = t + case.days(*wait)
    if not heard:
        decided = max(decided, after_observation_period(case, t))
    add(case, decided, DecideWithdrawal(case.id, withdrawn), DM)


def after_observation_period(case: CasePlan, informed: datetime) -> datetime:
    """The morning after the time to present reasons ran out (APR Art 66(1)(d), the parameter
    `WITHDRAWAL_OBSERVATIONS`), counted as the ledger counts it (Reg. 1182/71: a last day on a
    Saturday, Sunday or holiday moves to the end of the next working day, Art 3(4)), so that 32
    days are not always enough."""
    ends = due("WITHDRAWAL_OBSERVATIONS", frozenset(), informed, case.ms)
    return (ends + timedelta(hours=10, microseconds=1)).astimezone(UTC)
