"""Eurodac: what a caller asks the ledger to record, one dataclass per step.

Commands are plain data. Fields typed `Annotated[str, SomeEnum]` take that vocabulary's values;
`Doc` attaches the sentence an API shows for a field. The GraphQL schema is generated from these
classes; each docstring says what the step records and under which article.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from ledger.command_meta import Doc, MemberStateCode
from ledger.vocabulary import (
    EurodacCategory,
)


@dataclass(frozen=True)
class CaptureBiometrics:
    """Biometric data captured (Eurodac Arts 15, 22-24; only from age 6). No data are stored."""

    case_id: UUID
    category: Annotated[str, EurodacCategory]
    age: Annotated[int | None, Doc("Estimated age, when no date of birth is recorded.")] = None


@dataclass(frozen=True)
class TransmitToEurodac:
    """Data sent to Eurodac; retention runs from here (Eurodac Arts 15(1), 29)."""

    case_id: UUID
    reference: str


@dataclass(frozen=True)
class RecordEurodacHit:
    """A hit against data recorded by another member state (Eurodac Art 27)."""

    case_id: UUID
    category: Annotated[str, EurodacCategory]
    origin_member_state: MemberStateCode
    hit_ref: str


@dataclass(frozen=True)
class RecordSecurityFlag:
    """A security flag (Eurodac Art 17, AMMR Art 16(4)): excludes relocation."""

    case_id: UUID
    reason: str


@dataclass(frozen=True)
class MarkInEurodac:
    """Eurodac data marked after protection is granted (Eurodac Art 31)."""

    case_id: UUID


@dataclass(frozen=True)
class UnmarkInEurodac:
    """Eurodac data unmarked when protection is withdrawn (Eurodac Art 31)."""

    case_id: UUID
    reason: str


#: This phase's commands, in the order an API lists them.
COMMANDS: tuple[type, ...] = (
    CaptureBiometrics,
    TransmitToEurodac,
    RecordEurodacHit,
    RecordSecurityFlag,
    MarkInEurodac,
    UnmarkInEurodac,
)
