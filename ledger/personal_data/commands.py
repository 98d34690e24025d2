"""The erasure command (not a generated case mutation: it has its own mutation and CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from ledger.commands import Doc


@dataclass(frozen=True)
class ErasePersonalData:
    """Erase a case's personal data by destroying its data key (crypto-shredding)."""

    case_id: UUID
    basis: Annotated[str, Doc("An erasure basis code (`ledger.personal_data.bases`).")]
