"""Relocation: what a caller asks the ledger to record, one dataclass per step.

Commands are plain data. Fields typed `Annotated[str, SomeEnum]` take that vocabulary's values;
`Doc` attaches the sentence an API shows for a field. The GraphQL schema is generated from these
classes; each docstring says what the step records and under which article.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from ledger.command_meta import MemberStateCode


@dataclass(frozen=True)
class SelectForRelocation:
    """The person is identified for relocation to another member state (AMMR Art 67)."""

    case_id: UUID
    relocation_member_state: MemberStateCode


@dataclass(frozen=True)
class AcceptRelocation:
    """The relocation member state confirms (AMMR Art 67(8))."""

    case_id: UUID


@dataclass(frozen=True)
class TransferForRelocation:
    """The relocation transfer (AMMR Art 67(11))."""

    case_id: UUID


@dataclass(frozen=True)
class RecordRelocationArrival:
    """Safe arrival in the relocation member state (AMMR Art 68(1)); credits its solidarity
    account once for this case."""

    case_id: UUID


@dataclass(frozen=True)
class RecordRelocationNoShow:
    """The person did not appear for relocation (AMMR Art 68(1))."""

    case_id: UUID


@dataclass(frozen=True)
class CancelRelocation:
    """The relocation is withdrawn or refused before transfer."""

    case_id: UUID
    reason: str


#: This phase's commands, in the order an API lists them.
COMMANDS: tuple[type, ...] = (
    SelectForRelocation,
    AcceptRelocation,
    TransferForRelocation,
    RecordRelocationArrival,
    RecordRelocationNoShow,
    CancelRelocation,
)
