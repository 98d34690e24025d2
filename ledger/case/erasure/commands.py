"""The erasure command: a step of the case like any other (mutation `erasePersonalData`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from ledger.command_meta import Doc
from ledger.personal_data.bases import ErasureBasisCode


@dataclass(frozen=True)
class ErasePersonalData:
    """Erase a case's personal data by destroying its data key (crypto-shredding)."""

    case_id: UUID
    basis: Annotated[str, ErasureBasisCode, Doc(
        "The legal basis: NATURALISATION (Eurodac Art 29(4), unconfirmed), DATA_SUBJECT_REQUEST "
        "(GDPR Art 17, unconfirmed); RETENTION_ENDED is the schedule's own (Eurodac Art 29).")]


COMMANDS: tuple[type, ...] = (ErasePersonalData,)
