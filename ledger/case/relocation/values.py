"""A relocation (AMMR Arts 67-68) as a typed value."""

from __future__ import annotations

from dataclasses import dataclass

from ledger.personal_data.sealed import SealedValue


@dataclass(frozen=True)
class Relocation:
    """`state`: SELECTED, ACCEPTED, TRANSFERRED, ARRIVED, NO_SHOW or CANCELLED."""

    state: str
    member_state: str | None = None
    #: why it was cancelled: free text, sealed with the case key (`ledger.personal_data`);
    #: a plain str only in events recorded before sealing
    reason: str | SealedValue | None = None
