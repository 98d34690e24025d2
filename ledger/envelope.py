"""The envelope every event carries: who recorded the step, when it legally happened, on which
legal basis, and which command, conversation and cause it belongs to.

`recorded_at` is not here: it is the event's own `timestamp`, set by the ledger when the event is
created, so that no caller can choose it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Actor:
    """The principal who recorded a step, as the authenticated request named them."""

    id: str
    role: str
    authority: str
    member_state: str


@dataclass(frozen=True)
class LegalBasis:
    """An act and an article, e.g. LegalBasis("APR", "Art 27(1)")."""

    act: str
    article: str

    def __str__(self) -> str:
        return f"{self.act} {self.article}"


@dataclass(frozen=True)
class Envelope:
    """Metadata common to every case event."""

    occurred_at: datetime
    actor: Actor
    legal_basis: tuple[LegalBasis, ...]
    command_id: str
    correlation_id: str
    causation_id: str
    evidence_refs: tuple[str, ...] = field(default=())
