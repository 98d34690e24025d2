"""Mutation inputs. Every step input carries the envelope fields a caller may state; the actor is
never among them (it comes from the authenticated request)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import strawberry

from ledger import commands as c
from ledger.envelope import Actor
from ledger.envelope import LegalBasis as LegalBasisValue
from ledger.errors import FieldProblem, InvalidInput
from ledger.vocabulary import (
    AppealOutcome,
    ClosureReason,
    DecisionType,
    MemberState,
    Procedure,
    ScreeningOutcome,
    ScreeningTrigger,
)
from schema import enums  # noqa: F401  (decorates the vocabularies first)


@strawberry.input
class LegalBasisInput:
    act: str
    article: str


@strawberry.input(description="Envelope fields common to every step.")
class StepInput:
    occurred_at: datetime = strawberry.field(
        description="Legal time of the step, with a time zone offset. Drives deadlines."
    )
    command_id: str | None = strawberry.field(
        default=None, description="Idempotency key: the same commandId is never recorded twice."
    )
    correlation_id: str | None = None
    causation_id: str | None = None
    legal_basis: list[LegalBasisInput] = strawberry.field(
        default_factory=list, description="Further provisions, beside the one the ledger records."
    )
    evidence_refs: list[str] = strawberry.field(
        default_factory=list, description="References to documents, recordings, reports."
    )

    def meta(self, actor: Actor) -> c.CommandMeta:
        return c.CommandMeta(
            actor=actor,
            occurred_at=self.occurred_at,
            command_id=self.command_id,
            correlation_id=self.correlation_id,
            causation_id=self.causation_id,
            legal_basis=tuple(LegalBasisValue(b.act, b.article) for b in self.legal_basis),
            evidence_refs=tuple(self.evidence_refs),
        )


@strawberry.input
class CaseStepInput(StepInput):
    case_id: strawberry.ID

    def case_uuid(self) -> UUID:
        try:
            return UUID(str(self.case_id))
        except ValueError:
            raise InvalidInput([FieldProblem("caseId", "is not a case id")]) from None


@strawberry.input
class PersonInput:
    nationality: str = strawberry.field(description="ISO 3166-1 alpha-2; XX if unknown/stateless.")
    date_of_birth: date | None = None
    unaccompanied_minor: bool = False
    family_name: str | None = None
    given_names: str | None = None

    def value(self) -> c.Person:
        return c.Person(
            nationality=self.nationality,
            date_of_birth=self.date_of_birth,
            unaccompanied_minor=self.unaccompanied_minor,
            family_name=self.family_name,
            given_names=self.given_names,
        )


@strawberry.input
class StartScreeningInput(StepInput):
    member_state: MemberState
    national_reference: str
    person: PersonInput
    trigger: ScreeningTrigger
    location: str

    def command(self) -> c.StartScreening:
        return c.StartScreening(
            self.member_state.value, self.national_reference, self.person.value(),
            self.trigger.value, self.location,
        )


@strawberry.input
class CompleteScreeningInput(CaseStepInput):
    outcome: ScreeningOutcome
    form_ref: str
    incomplete_checks: list[str] = strawberry.field(default_factory=list)

    def command(self) -> c.CompleteScreening:
        return c.CompleteScreening(
            self.case_uuid(), self.outcome.value, self.form_ref, tuple(self.incomplete_checks)
        )


@strawberry.input(description="Opens the case if none exists for memberState + nationalReference.")
class MakeApplicationInput(StepInput):
    member_state: MemberState
    national_reference: str
    place: str
    person: PersonInput | None = strawberry.field(
        default=None, description="Required when the application opens a new case."
    )

    def command(self) -> c.MakeApplication:
        return c.MakeApplication(
            self.member_state.value, self.national_reference, self.place,
            self.person.value() if self.person else None,
        )


@strawberry.input
class RegisterApplicationInput(CaseStepInput):
    def command(self) -> c.RegisterApplication:
        return c.RegisterApplication(self.case_uuid())


@strawberry.input
class LodgeApplicationInput(CaseStepInput):
    def command(self) -> c.LodgeApplication:
        return c.LodgeApplication(self.case_uuid())


@strawberry.input
class AssignProcedureInput(CaseStepInput):
    procedure: Procedure
    grounds: list[str] = strawberry.field(
        default_factory=list, description="E.g. 'APR Art 42(1)(j)'."
    )

    def command(self) -> c.AssignProcedure:
        return c.AssignProcedure(self.case_uuid(), self.procedure.value, tuple(self.grounds))


@strawberry.input
class IssueDecisionInput(CaseStepInput):
    decision_type: DecisionType
    ground: str = strawberry.field(description="The legal ground the decision rests on.")
    notified_at: datetime | None = strawberry.field(
        default=None, description="When the applicant was notified; appeals need it."
    )

    def command(self) -> c.IssueDecision:
        return c.IssueDecision(
            self.case_uuid(), self.decision_type.value, self.ground, self.notified_at
        )


@strawberry.input
class LodgeAppealInput(CaseStepInput):
    appeal_body: str
    suspensive: bool = strawberry.field(
        default=True, description="Whether the appeal has suspensive effect (APR Art 68)."
    )

    def command(self) -> c.LodgeAppeal:
        return c.LodgeAppeal(self.case_uuid(), self.appeal_body, self.suspensive)


@strawberry.input
class DecideAppealInput(CaseStepInput):
    outcome: AppealOutcome
    substituted_decision_type: DecisionType | None = strawberry.field(
        default=None, description="Required when the outcome is OVERTURNED."
    )

    def command(self) -> c.DecideAppeal:
        kind = self.substituted_decision_type
        return c.DecideAppeal(self.case_uuid(), self.outcome.value, kind.value if kind else None)


@strawberry.input
class IssueReturnDecisionInput(CaseStepInput):
    voluntary_departure_days: int | None = None

    def command(self) -> c.IssueReturnDecision:
        return c.IssueReturnDecision(self.case_uuid(), self.voluntary_departure_days)


@strawberry.input
class CloseCaseInput(CaseStepInput):
    reason: ClosureReason

    def command(self) -> c.CloseCase:
        return c.CloseCase(self.case_uuid(), self.reason.value)
