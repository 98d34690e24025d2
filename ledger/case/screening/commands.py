"""Screening: what a caller asks the ledger to record, one dataclass per step.

Commands are plain data. Fields typed `Annotated[str, SomeEnum]` take that vocabulary's values;
`Doc` attaches the sentence an API shows for a field. The GraphQL schema is generated from these
classes; each docstring says what the step records and under which article.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from ledger.case.person import Person
from ledger.command_meta import Doc, MemberStateCode
from ledger.vocabulary import (
    ScreeningOutcome,
    ScreeningTrigger,
)


@dataclass(frozen=True)
class StartScreening:
    """Screening starts and opens the case (Screening Regulation Arts 5, 7)."""

    member_state: MemberStateCode
    national_reference: str
    person: Person
    trigger: Annotated[str, ScreeningTrigger]
    location: str
    held_over_72h: Annotated[bool, Doc("Held at the border over 72 h: 4-day limit, Art 8(3).")] \
        = False


@dataclass(frozen=True)
class RecordHealthCheck:
    """The preliminary health check (Screening Regulation Art 12(1)-(2))."""

    case_id: UUID
    result: Annotated[str, Doc("E.g. NO_NEEDS, NEEDS_CARE, EMERGENCY_CARE_GIVEN.")]


@dataclass(frozen=True)
class RecordVulnerabilityCheck:
    """The preliminary vulnerability check and special needs found (Art 12(3))."""

    case_id: UUID
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordIdentityCheck:
    """Identity verification, incl. biometrics (Screening Regulation Art 14)."""

    case_id: UUID
    method: str
    established: bool


@dataclass(frozen=True)
class RecordSecurityCheck:
    """The security check against databases (Art 15); a hit sets the security flag."""

    case_id: UUID
    hit: bool
    databases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProvideInformation:
    """Information given to the person: topics and language (Screening Art 11, APR Art 8)."""

    case_id: UUID
    topics: tuple[str, ...]
    language: str


@dataclass(frozen=True)
class AssignRepresentative:
    """A representative for an unaccompanied minor (Screening Art 13, AMMR Art 23)."""

    case_id: UUID
    kind: Annotated[str, Doc("PROVISIONAL or PERMANENT.")]
    representative_ref: str


@dataclass(frozen=True)
class CompleteScreening:
    """The screening form and the referral (Screening Regulation Arts 17-18)."""

    case_id: UUID
    outcome: Annotated[str, ScreeningOutcome]
    form_ref: str
    incomplete_checks: tuple[str, ...] = ()


#: This phase's commands, in the order an API lists them.
COMMANDS: tuple[type, ...] = (
    StartScreening,
    RecordHealthCheck,
    RecordVulnerabilityCheck,
    RecordIdentityCheck,
    RecordSecurityCheck,
    ProvideInformation,
    AssignRepresentative,
    CompleteScreening,
)
