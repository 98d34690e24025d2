"""What every command carries besides its own fields, and the annotations commands use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from ledger.envelope import Actor, LegalBasis
from ledger.vocabulary import MemberState


@dataclass(frozen=True)
class Doc:
    """A field's description, for generated APIs."""

    text: str


@dataclass(frozen=True)
class CommandMeta:
    """What every command carries besides its own fields.

    `command_id` makes a retried command idempotent: sent again, it records nothing new.
    """

    actor: Actor
    occurred_at: datetime
    command_id: str | None = None
    correlation_id: str | None = None
    causation_id: str | None = None
    legal_basis: tuple[LegalBasis, ...] = ()
    evidence_refs: tuple[str, ...] = ()


#: A field that takes a member state's code.
MemberStateCode = Annotated[str, MemberState]
