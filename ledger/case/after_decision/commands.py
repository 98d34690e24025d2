"""After the decision: what a caller asks the ledger to record, one dataclass per step.

Commands are plain data. Fields typed `Annotated[str, SomeEnum]` take that vocabulary's values;
`Doc` attaches the sentence an API shows for a field. The GraphQL schema is generated from these
classes; each docstring says what the step records and under which article.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated
from uuid import UUID

from ledger.command_meta import Doc
from ledger.vocabulary import (
    ClosureReason,
)


@dataclass(frozen=True)
class EndRightToRemain:
    """The applicant no longer has a right to remain (APR Art 68)."""

    case_id: UUID
    reason: str


@dataclass(frozen=True)
class AuthoriseEntry:
    """The border procedure's period ran out: entry is authorised (APR Art 51(2))."""

    case_id: UUID


@dataclass(frozen=True)
class IssueReturnDecision:
    """A return decision (APR Art 37; Return Directive Art 6 after a referral to return)."""

    case_id: UUID
    voluntary_departure_days: int | None = None


@dataclass(frozen=True)
class StartReturnBorderProcedure:
    """The return border procedure starts (Regulation (EU) 2024/1349 Art 4)."""

    case_id: UUID


@dataclass(frozen=True)
class GrantVoluntaryDeparture:
    """A period for voluntary departure (Return Directive Art 7; RBPR Art 4(3))."""

    case_id: UUID
    days: int


@dataclass(frozen=True)
class RecordReturn:
    """The person has returned (Return Directive Art 8)."""

    case_id: UUID
    destination: Annotated[str, Doc("Country of return, ISO 3166-1 alpha-2.")]


@dataclass(frozen=True)
class RecordAbsconding:
    """The person absconded."""

    case_id: UUID


@dataclass(frozen=True)
class IssueResidencePermit:
    """A residence permit for a beneficiary of protection (Qualification Regulation Art 24)."""

    case_id: UUID
    permit_ref: str
    valid_until: date


@dataclass(frozen=True)
class CloseCase:
    """The case is closed; nothing more can be recorded on it."""

    case_id: UUID
    reason: Annotated[str, ClosureReason]


#: This phase's commands, in the order an API lists them.
COMMANDS: tuple[type, ...] = (
    EndRightToRemain,
    AuthoriseEntry,
    IssueReturnDecision,
    StartReturnBorderProcedure,
    GrantVoluntaryDeparture,
    RecordReturn,
    RecordAbsconding,
    IssueResidencePermit,
    CloseCase,
)
