"""Typed values a case holds after the decision: its return and the residence permit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ReturnState:
    """Return Border Procedure (Regulation (EU) 2024/1349) and return (Directive 2008/115/EC)."""

    right_to_remain_ended_at: datetime | None = None
    border_procedure: bool = False
    voluntary_departure_days: int | None = None
    returned: bool = False


@dataclass(frozen=True)
class Permit:
    """QR Art 24: the residence permit issued on protection."""

    ref: str
    valid_until: date
