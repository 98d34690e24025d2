"""Shape checks on commands, before any rule of law is asked: codes, enums, lengths, times.

All problems of one command are reported together, each naming its field, so that a form can
mark every bad field at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum

from ledger import commands as c
from ledger.errors import FieldProblem, InvalidInput
from ledger.vocabulary import (
    AppealOutcome,
    ClosureReason,
    DecisionType,
    Procedure,
    ScreeningOutcome,
    ScreeningTrigger,
    is_country_code,
    is_member_state,
)

MAX_TEXT = 200
MAX_LIST = 50


class _Problems:
    def __init__(self) -> None:
        self.items: list[FieldProblem] = []

    def add(self, field: str, message: str) -> None:
        self.items.append(FieldProblem(field, message))

    def text(self, field: str, value: str | None, required: bool = True) -> None:
        if value is None or not value.strip():
            if required:
                self.add(field, "must not be empty")
            return
        if len(value) > MAX_TEXT:
            self.add(field, f"must be at most {MAX_TEXT} characters")
        if any(ord(ch) < 32 for ch in value):
            self.add(field, "must not contain control characters")

    def texts(self, field: str, values: Iterable[str]) -> None:
        values = list(values)
        if len(values) > MAX_LIST:
            self.add(field, f"must have at most {MAX_LIST} items")
        for i, value in enumerate(values):
            self.text(f"{field}[{i}]", value)

    def member_state(self, field: str, code: str) -> None:
        if not is_member_state(code):
            self.add(field, f"{code!r} is not an EU member state code (e.g. IT, EL, DE)")

    def country(self, field: str, code: str) -> None:
        if not is_country_code(code):
            self.add(field, f"{code!r} is not a two-letter ISO 3166-1 country code (XX: unknown)")

    def choice(self, field: str, value: str | None, kind: type[Enum]) -> None:
        if value is None:
            return
        allowed = [m.value for m in kind]  # type: ignore[attr-defined]
        if value not in allowed:
            self.add(field, f"{value!r} is not one of {', '.join(allowed)}")

    def aware(self, field: str, value: datetime | None) -> None:
        if value is not None and (value.tzinfo is None or value.utcoffset() is None):
            self.add(field, "must include a time zone offset")

    def person(self, person: c.Person, today: date) -> None:
        self.country("person.nationality", person.nationality)
        self.text("person.familyName", person.family_name, required=False)
        self.text("person.givenNames", person.given_names, required=False)
        if person.date_of_birth is not None and person.date_of_birth > today:
            self.add("person.dateOfBirth", "must not be in the future")


def validate(command: c.CaseCommand, meta: c.CommandMeta, today: date) -> None:
    """Raise `InvalidInput` naming every malformed field of the command."""
    p = _Problems()
    p.aware("occurredAt", meta.occurred_at)
    for name, value in (
        ("commandId", meta.command_id),
        ("correlationId", meta.correlation_id),
        ("causationId", meta.causation_id),
    ):
        p.text(name, value, required=False)
    p.texts("evidenceRefs", meta.evidence_refs)
    for i, basis in enumerate(meta.legal_basis):
        p.text(f"legalBasis[{i}].act", basis.act)
        p.text(f"legalBasis[{i}].article", basis.article)

    match command:
        case c.StartScreening():
            p.member_state("memberState", command.member_state)
            p.text("nationalReference", command.national_reference)
            p.person(command.person, today)
            p.choice("trigger", command.trigger, ScreeningTrigger)
            p.text("location", command.location)
        case c.CompleteScreening():
            p.choice("outcome", command.outcome, ScreeningOutcome)
            p.text("formRef", command.form_ref)
            p.texts("incompleteChecks", command.incomplete_checks)
        case c.MakeApplication():
            p.member_state("memberState", command.member_state)
            p.text("nationalReference", command.national_reference)
            p.text("place", command.place)
            if command.person is not None:
                p.person(command.person, today)
        case c.AssignProcedure():
            p.choice("procedure", command.procedure, Procedure)
            p.texts("grounds", command.grounds)
        case c.IssueDecision():
            p.choice("decisionType", command.decision_type, DecisionType)
            p.text("ground", command.ground)
            p.aware("notifiedAt", command.notified_at)
        case c.LodgeAppeal():
            p.text("appealBody", command.appeal_body)
        case c.DecideAppeal():
            p.choice("outcome", command.outcome, AppealOutcome)
            p.choice("substitutedDecisionType", command.substituted_decision_type, DecisionType)
        case c.IssueReturnDecision():
            days = command.voluntary_departure_days
            if days is not None and not 0 <= days <= 30:
                p.add("voluntaryDepartureDays", "must be between 0 and 30")
        case c.CloseCase():
            p.choice("reason", command.reason, ClosureReason)
        case _:
            pass
    if p.items:
        raise InvalidInput(p.items)
