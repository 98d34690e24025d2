"""What every recorded command passes before its handler runs, in this order: the principal's
role (before anything is loaded), the shape of the command and its envelope, then its
member-state scope (before any rule of law is asked, so that a refusal never tells anything
about another member state's case). `Ledger.handle` and the bulk import
(`ledger.bulk_import`) both call it, so that they refuse exactly the same input."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ledger.authorization.policy import check_acts_for, check_may_run
from ledger.command_fingerprint import fingerprint
from ledger.command_meta import CommandMeta
from ledger.crisis.handlers import crisis_lookup
from ledger.envelope import Step
from ledger.handlers import COMMAND_HANDLERS, Registration
from ledger.identifiers import normalised, normalised_meta
from ledger.validation import Problems, check_meta, raise_if_any

if TYPE_CHECKING:
    from ledger.application import Ledger


def checked(ledger: Ledger, command: Any, meta: CommandMeta,
            now: datetime) -> tuple[Registration, Any, CommandMeta]:
    """The command's registration and the command and meta normalised; refusals raise a
    `LedgerError` (a type without a handler: `TypeError`)."""
    registration = COMMAND_HANDLERS.get(type(command))
    if registration is None:
        raise TypeError(f"no handler for {type(command).__name__}")
    check_may_run(meta.actor, type(command))
    command, meta = normalised(command), normalised_meta(meta)
    problems = Problems()
    check_meta(problems, meta)
    if registration.check is not None:
        registration.check(problems, command, now.date())
    raise_if_any(problems)
    check_acts_for(meta.actor, command, ledger.member_state_of)
    return registration, command, meta


def step_of(ledger: Ledger, command: Any, meta: CommandMeta, now: datetime,
            command_id: str) -> Step:
    """The step the handler records: who, when, why, and the ids that tie it to its command."""
    command_fingerprint = fingerprint(command, meta)
    # What `Step(...)` builds, in its fields' declared order, without a `object.__setattr__`
    # per field (Step has no `__post_init__`): once per command.
    step = object.__new__(Step)
    vars(step).update(
        occurred_at=meta.occurred_at,
        actor=meta.actor,
        command_id=command_id,
        correlation_id=meta.correlation_id or command_id,
        causation_id=meta.causation_id or command_id,
        now=now,
        legal_basis=meta.legal_basis,
        evidence_refs=meta.evidence_refs,
        derogations_at=crisis_lookup(ledger),
        command_fingerprint=command_fingerprint,
    )
    return step
