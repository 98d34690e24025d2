"""How the crisis commands are checked and carried out on a member state's `CrisisRegime`, and
the lookup that gives every other command the derogations in force (`Step.derogations_at`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from eventsourcing.application import AggregateNotFoundError

from ledger.crisis import commands as cc
from ledger.crisis.regime import CRISIS_NOT_RUNNING, CrisisRegime
from ledger.deadlines.catalogue import DEROGATIONS
from ledger.envelope import Step
from ledger.errors import RuleViolation
from ledger.handling import Changes, Registration
from ledger.validation import Problems, check_command

if TYPE_CHECKING:
    from ledger.application import Ledger

DerogationsAt = Callable[[str, datetime], frozenset[str]]


def regime_of(ledger: Ledger, member_state: str) -> CrisisRegime | None:
    """The member state's crisis regime; None while no crisis was ever declared for it."""
    try:
        return ledger.repository.get(CrisisRegime.create_id(member_state))  # type: ignore[no-any-return]
    except AggregateNotFoundError:
        return None


def crisis_lookup(ledger: Ledger) -> DerogationsAt:
    """`derogations_at(member_state, moment)` for one command: each member state's regime is
    loaded at most once, so a command sees one consistent state of it."""
    regimes: dict[str, CrisisRegime | None] = {}

    def derogations_at(member_state: str, moment: datetime) -> frozenset[str]:
        if member_state not in regimes:
            regimes[member_state] = regime_of(ledger, member_state)
        regime = regimes[member_state]
        return frozenset() if regime is None else regime.derogations_at(moment)

    return derogations_at


def _replayed(ledger: Ledger, regime: CrisisRegime | None, command_id: str) -> bool:
    """A retried command: the regime already holds an event recorded for its command id."""
    if regime is None:
        return False
    return any(e.envelope.command_id == command_id  # type: ignore[attr-defined]
               for e in ledger.events.get(regime.id))


def _running(ledger: Ledger, member_state: str) -> CrisisRegime:
    regime = regime_of(ledger, member_state)
    if regime is None:
        raise RuleViolation(CRISIS_NOT_RUNNING)
    return regime


def _check_declare(p: Problems, cmd: cc.DeclareCrisis, today: date) -> None:
    check_command(p, cmd, today)
    if not cmd.derogations:
        p.add("derogations", "name at least one derogation the decision authorises")
    for i, derogation in enumerate(cmd.derogations):
        if derogation not in DEROGATIONS:
            p.add(f"derogations[{i}]", f"{derogation!r} is not one of {', '.join(DEROGATIONS)}")
    if len(set(cmd.derogations)) != len(cmd.derogations):
        p.add("derogations", "must not repeat a derogation")


def declare_crisis(ledger: Ledger, cmd: cc.DeclareCrisis, step: Step) -> Changes:
    existing = regime_of(ledger, cmd.member_state)
    if existing is not None and _replayed(ledger, existing, step.command_id):
        return Changes(existing, replayed=True)
    regime = CrisisRegime.declare(step, cmd.member_state, cmd.kind, cmd.starts_at, cmd.until,
                                  tuple(cmd.derogations), cmd.decision_ref, existing)
    return Changes(regime)


def extend_crisis(ledger: Ledger, cmd: cc.ExtendCrisis, step: Step) -> Changes:
    regime = _running(ledger, cmd.member_state)
    if _replayed(ledger, regime, step.command_id):
        return Changes(regime, replayed=True)
    regime.extend(step, cmd.until, cmd.decision_ref)
    return Changes(regime)


def end_crisis(ledger: Ledger, cmd: cc.EndCrisis, step: Step) -> Changes:
    regime = _running(ledger, cmd.member_state)
    if _replayed(ledger, regime, step.command_id):
        return Changes(regime, replayed=True)
    regime.end(step)
    return Changes(regime)


#: Crisis command class -> its shape check and handler.
CRISIS_HANDLERS: dict[type, Registration] = {
    cc.DeclareCrisis: Registration(declare_crisis, _check_declare),
    cc.ExtendCrisis: Registration(extend_crisis, check_command),
    cc.EndCrisis: Registration(end_crisis, check_command),
}
