"""Typed values Eurodac leaves on a case (references and dates only, never biometric data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class EurodacRecord:
    """Capture (Arts 15, 22-24), transmission (Art 15(1), retention Art 29), marking (Art 31).

    `marked` is None until the data were first marked, then True or False."""

    category: str | None = None
    captured: bool = False
    reference: str | None = None
    transmitted: bool = False
    retention_until: date | None = None
    marked: bool | None = None


@dataclass(frozen=True)
class EurodacHit:
    """A hit: the person's data were recorded earlier by another member state."""

    category: str
    origin: str
    ref: str
    received_at: datetime | None = None  # AMMR Art 39(1): a request on a hit within a month
