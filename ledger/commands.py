"""What a caller asks the ledger to record. Commands are plain data; the application validates
their shape, the `Case` aggregate decides whether the law allows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from ledger.envelope import Actor, LegalBasis


@dataclass(frozen=True)
class CommandMeta:
    """What every command carries besides its own fields.

    `command_id` makes a retried command idempotent: sent again, it records nothing new.
    """

    actor: Actor
    occurred_at: datetime
    command_id: str | None = None
    correlation_id: str | None = None
    causation_id: str | None = None
    legal_basis: tuple[LegalBasis, ...] = ()
    evidence_refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    nationality: str
    date_of_birth: date | None = None
    unaccompanied_minor: bool = False
    family_name: str | None = None
    given_names: str | None = None


@dataclass(frozen=True)
class StartScreening:
    member_state: str
    national_reference: str
    person: Person
    trigger: str
    location: str


@dataclass(frozen=True)
class CompleteScreening:
    case_id: UUID
    outcome: str
    form_ref: str
    incomplete_checks: tuple[str, ...] = ()


@dataclass(frozen=True)
class MakeApplication:
    """Opens the case when none exists for (member state, reference); `person` is then needed."""

    member_state: str
    national_reference: str
    place: str
    person: Person | None = None


@dataclass(frozen=True)
class RegisterApplication:
    case_id: UUID


@dataclass(frozen=True)
class LodgeApplication:
    case_id: UUID


@dataclass(frozen=True)
class AssignProcedure:
    case_id: UUID
    procedure: str
    grounds: tuple[str, ...] = ()


@dataclass(frozen=True)
class IssueDecision:
    case_id: UUID
    decision_type: str
    ground: str
    notified_at: datetime | None = None


@dataclass(frozen=True)
class LodgeAppeal:
    case_id: UUID
    appeal_body: str
    suspensive: bool = True


@dataclass(frozen=True)
class DecideAppeal:
    case_id: UUID
    outcome: str
    substituted_decision_type: str | None = None


@dataclass(frozen=True)
class IssueReturnDecision:
    case_id: UUID
    voluntary_departure_days: int | None = None


@dataclass(frozen=True)
class CloseCase:
    case_id: UUID
    reason: str


CaseCommand = (
    StartScreening
    | CompleteScreening
    | MakeApplication
    | RegisterApplication
    | LodgeApplication
    | AssignProcedure
    | IssueDecision
    | LodgeAppeal
    | DecideAppeal
    | IssueReturnDecision
    | CloseCase
)
