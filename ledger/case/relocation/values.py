"""A relocation (AMMR Arts 67-68) as a typed value."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Relocation:
    """`state`: SELECTED, ACCEPTED, TRANSFERRED, ARRIVED, NO_SHOW or CANCELLED."""

    state: str
    member_state: str | None = None
    reason: str | None = None  # why it was cancelled
