"""Responsibility (AMMR): what a caller asks the ledger to record, one dataclass per step.

Commands are plain data. Fields typed `Annotated[str, SomeEnum]` take that vocabulary's values;
`Doc` attaches the sentence an API shows for a field. The GraphQL schema is generated from these
classes; each docstring says what the step records and under which article.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from ledger.command_meta import Doc, MemberStateCode
from ledger.solidarity.vocabulary import OffsetMode
from ledger.vocabulary import (
    ResponsibilityCause,
)


@dataclass(frozen=True)
class RequestTakeCharge:
    """A take charge request to another member state (AMMR Art 39)."""

    case_id: UUID
    requested_member_state: MemberStateCode
    criterion: Annotated[str, Doc("The criterion relied on, e.g. 'AMMR Art 33(1)'.")]
    hit_based: bool = False


@dataclass(frozen=True)
class ReplyToTakeCharge:
    """The requested member state accepts or refuses (AMMR Art 40)."""

    case_id: UUID
    accepted: bool
    reason: str = ""


@dataclass(frozen=True)
class DeemTakeChargeAccepted:
    """No reply within the time limit: the request counts as accepted (AMMR Art 40)."""

    case_id: UUID


@dataclass(frozen=True)
class NotifyTakeBack:
    """A take back notification to the member state of an earlier application (AMMR Art 41)."""

    case_id: UUID
    notified_member_state: MemberStateCode
    hit_ref: str


@dataclass(frozen=True)
class ReplyToTakeBack:
    """The notified member state confirms or contests (AMMR Art 41(2))."""

    case_id: UUID
    confirmed: bool
    reason: str = ""


@dataclass(frozen=True)
class DeemTakeBackConfirmed:
    """No reply within two weeks: the notification counts as confirmed (AMMR Art 41(2))."""

    case_id: UUID


@dataclass(frozen=True)
class IssueTransferDecision:
    """The applicant is notified of the transfer decision (AMMR Art 42)."""

    case_id: UUID


@dataclass(frozen=True)
class ExecuteTransfer:
    """The transfer to the responsible member state (AMMR Art 46)."""

    case_id: UUID


@dataclass(frozen=True)
class LodgeTransferAppeal:
    """An appeal or review against the transfer decision before a court (AMMR Art 43(1)-(2)),
    with or without a request to suspend the transfer (Art 43(3))."""

    case_id: UUID
    court: str
    suspension_requested: Annotated[bool, Doc(
        "The person asks the court to suspend the transfer (Art 43(3)).")] = False


@dataclass(frozen=True)
class DecideTransferSuspension:
    """The court decides the request to suspend the transfer (AMMR Art 43(3))."""

    case_id: UUID
    suspended: bool


@dataclass(frozen=True)
class DecideTransferAppeal:
    """The final decision on the appeal against the transfer decision (AMMR Art 43); where the
    transfer was suspended, the transfer time limit runs again from it (Art 46(1))."""

    case_id: UUID
    annulled: Annotated[bool, Doc("The transfer decision is annulled.")]


@dataclass(frozen=True)
class EstablishResponsibility:
    """This member state is responsible (AMMR Arts 16, 16(4), 35)."""

    case_id: UUID
    basis: str


@dataclass(frozen=True)
class ShiftResponsibility:
    """Responsibility moves to this member state (AMMR Art 37(1)); as a solidarity offset
    (Art 63) it credits this member state's solidarity account once for the case."""

    case_id: UUID
    cause: Annotated[str, ResponsibilityCause]
    offset_mode: Annotated[str | None, OffsetMode, Doc(
        "With cause SOLIDARITY_OFFSET: REQUESTED, VOLUNTARY or MANDATORY (Art 63(1)-(3)).")] = None


@dataclass(frozen=True)
class RequestTransferSuspension:
    """After the appeal was lodged, the person asks the court to suspend the transfer, within a
    reasonable time and no later than the appeal period (AMMR Art 43(3))."""

    case_id: Annotated[UUID, Doc("The case whose transfer decision is under appeal.")]


@dataclass(frozen=True)
class RecordArrivalByTransfer:
    """The person arrived in this member state by a transfer under the AMMR (Art 46): a border
    procedure applied here then runs 16 weeks instead of 12 (APR Art 51(2))."""

    case_id: Annotated[UUID, Doc("The case in this (the responsible) member state.")]
    from_member_state: Annotated[MemberStateCode, Doc("The member state that transferred.")]


#: This phase's commands, in the order an API lists them.
COMMANDS: tuple[type, ...] = (
    RequestTakeCharge,
    ReplyToTakeCharge,
    DeemTakeChargeAccepted,
    NotifyTakeBack,
    ReplyToTakeBack,
    DeemTakeBackConfirmed,
    IssueTransferDecision,
    LodgeTransferAppeal,
    DecideTransferSuspension,
    DecideTransferAppeal,
    ExecuteTransfer,
    EstablishResponsibility,
    ShiftResponsibility,
    RequestTransferSuspension,
    RecordArrivalByTransfer,
)
