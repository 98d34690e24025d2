"""`CaseLedger`: the application service that turns commands into recorded events.

It validates a command's shape, loads the case, lets the aggregate apply the law, and saves the
new events in one transaction. A retried command (same `command_id`) records nothing twice; a
concurrent change to the same case is retried on the fresh state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, Transcoder

from ledger import commands as c
from ledger.case import SCREENING_BASIS, Case, Step
from ledger.envelope import LegalBasis
from ledger.errors import (
    CaseAlreadyExists,
    CaseNotFound,
    ConcurrentChange,
    FieldProblem,
    InvalidInput,
)
from ledger.transcodings import register_ledger_transcodings
from ledger.validation import validate

Clock = Callable[[], datetime]
MAX_ATTEMPTS = 3


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Outcome:
    """What a command did: the case, its version after, and the log positions it wrote.

    `positions` is empty when the command was a replay of one already processed.
    """

    case_id: UUID
    version: int
    positions: tuple[int, ...]
    event_types: tuple[str, ...]
    replayed: bool = False


class CaseLedger(Application):
    """The write side of the ledger."""

    name = "PactLedger"
    env: ClassVar[dict[str, str]] = {
        "AGGREGATE_CACHE_MAXSIZE": "2000",
        "AGGREGATE_CACHE_FASTFORWARD": "y",
    }

    def __init__(self, env: Mapping[str, str] | None = None, clock: Clock = utc_now) -> None:
        super().__init__(env=env)
        self.clock = clock

    def register_transcodings(self, transcoder: Transcoder) -> None:
        super().register_transcodings(transcoder)  # type: ignore[arg-type]
        register_ledger_transcodings(transcoder)

    # --- the one entry point ----------------------------------------------------------------
    def handle(self, command: c.CaseCommand, meta: c.CommandMeta) -> Outcome:
        now = self.clock()
        validate(command, meta, now.date())
        command_id = meta.command_id or str(uuid4())
        step = Step(
            occurred_at=meta.occurred_at,
            actor=meta.actor,
            command_id=command_id,
            correlation_id=meta.correlation_id or command_id,
            causation_id=meta.causation_id or command_id,
            now=now,
            legal_basis=meta.legal_basis,
            evidence_refs=meta.evidence_refs,
        )
        for _ in range(MAX_ATTEMPTS):
            try:
                return self._handle_once(command, step)
            except _Conflict:
                continue
        raise ConcurrentChange("The case kept changing while this command was recorded; retry")

    def get_case(self, case_id: UUID, version: int | None = None) -> Case:
        try:
            return self.repository.get(case_id, version=version)  # type: ignore[no-any-return]
        except AggregateNotFoundError:
            raise CaseNotFound(case_id) from None

    # --- internals ----------------------------------------------------------------------------
    def _handle_once(self, command: c.CaseCommand, step: Step) -> Outcome:
        if isinstance(command, (c.StartScreening, c.MakeApplication)):
            case_id = Case.create_id(command.member_state, command.national_reference)
            existing = self._find(case_id)
            if existing is not None and existing.has_processed(step.command_id):
                return Outcome(case_id, existing.version, (), (), replayed=True)
            case = self._open_or_continue(command, step, existing)
            return self._save(case)
        case = self.get_case(command.case_id)
        if case.has_processed(step.command_id):
            return Outcome(case.id, case.version, (), (), replayed=True)
        _STEPS[type(command)](case, step, command)
        return self._save(case)

    def _open_or_continue(
        self, command: c.StartScreening | c.MakeApplication, step: Step, existing: Case | None
    ) -> Case:
        if isinstance(command, c.StartScreening):
            if existing is not None:
                raise CaseAlreadyExists(command.member_state, command.national_reference)
            case = _open(command, command.person, step, SCREENING_BASIS[command.trigger])
            case.start_screening(step, command.trigger, command.location)
            return case
        if existing is not None:
            existing.make_application(step, command.place)
            return existing
        if command.person is None:
            raise InvalidInput(
                [FieldProblem("person", "is required when the application opens a new case")]
            )
        case = _open(command, command.person, step, LegalBasis("APR (EU) 2024/1348", "Art 26"))
        case.make_application(step, command.place)
        return case

    def _find(self, case_id: UUID) -> Case | None:
        try:
            return self.get_case(case_id)
        except CaseNotFound:
            return None

    def _save(self, case: Case) -> Outcome:
        pending = case.collect_events()
        try:
            recordings = self.save(*pending)
        except IntegrityError:
            # Another writer got there first (opened the case, or appended the same version):
            # re-run the command on the case as it now stands.
            raise _Conflict() from None
        return Outcome(
            case_id=case.id,
            version=case.version,
            positions=tuple(r.notification.id for r in recordings),
            event_types=tuple(type(e).__name__ for e in pending),
        )


class _Conflict(Exception):
    """A version conflict on save; the command is re-run on the case as it now stands."""


def _open(
    command: c.StartScreening | c.MakeApplication, person: c.Person, step: Step, basis: LegalBasis
) -> Case:
    return Case.open(
        step,
        basis,
        member_state=command.member_state,
        national_reference=command.national_reference,
        nationality=person.nationality,
        date_of_birth=person.date_of_birth,
        unaccompanied_minor=person.unaccompanied_minor,
        family_name=person.family_name,
        given_names=person.given_names,
    )


_STEPS: dict[type, Callable[[Case, Step, Any], None]] = {
    c.CompleteScreening: lambda case, step, cmd: case.complete_screening(
        step, cmd.outcome, cmd.form_ref, tuple(cmd.incomplete_checks)
    ),
    c.RegisterApplication: lambda case, step, cmd: case.register_application(step),
    c.LodgeApplication: lambda case, step, cmd: case.lodge_application(step),
    c.AssignProcedure: lambda case, step, cmd: case.assign_procedure(
        step, cmd.procedure, tuple(cmd.grounds)
    ),
    c.IssueDecision: lambda case, step, cmd: case.issue_decision(
        step, cmd.decision_type, cmd.ground, cmd.notified_at
    ),
    c.LodgeAppeal: lambda case, step, cmd: case.lodge_appeal(step, cmd.appeal_body, cmd.suspensive),
    c.DecideAppeal: lambda case, step, cmd: case.decide_appeal(
        step, cmd.outcome, cmd.substituted_decision_type
    ),
    c.IssueReturnDecision: lambda case, step, cmd: case.issue_return_decision(
        step, cmd.voluntary_departure_days
    ),
    c.CloseCase: lambda case, step, cmd: case.close(step, cmd.reason),
}
