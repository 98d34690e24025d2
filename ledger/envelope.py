"""The envelope every event carries: who recorded the step, when it legally happened, on which
legal basis, and which command, conversation and cause it belongs to.

`recorded_at` is not here: it is the event's own `timestamp`, set by the ledger when the event is
created, so that no caller can choose it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

#: What every new event's hashes cover (`ledger.integrity`): 3, its stored state bytes.
HASH_FORMAT = 3


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
    #: Hash of the previous event in the same stream (`ledger.integrity`); None for the first.
    previous_hash: str | None = None
    #: SHA-256 of the command as sent (`ledger.command_fingerprint`): a reused command id with a
    #: different command is refused, not taken for a retry. None in events recorded before it.
    command_fingerprint: str | None = None
    #: What this event's hashes cover (`ledger.integrity`): 1 a canonical record with times
    #: normalised to UTC; 2 the same keeping every time's own offset text; 3 the state bytes
    #: exactly as stored (`ledger.proofs.event_descriptor`). 1 for events before format 2.
    hash_format: int = 1


def _no_derogations(member_state: str, moment: datetime) -> frozenset[str]:
    return frozenset()


@dataclass(frozen=True)
class Step:
    """The envelope of the step being recorded, plus the ledger's clock for the time rules.

    Aggregates turn it into the `Envelope` of each event they trigger, adding the legal basis
    of the step (the article that governs it) before any the caller named.
    """

    occurred_at: datetime
    actor: Actor
    command_id: str
    correlation_id: str
    causation_id: str
    now: datetime
    legal_basis: tuple[LegalBasis, ...] = ()
    evidence_refs: tuple[str, ...] = ()
    #: (member state, legal time) -> crisis derogations in force then (`ledger.crisis`).
    derogations_at: Callable[[str, datetime], frozenset[str]] = _no_derogations
    command_fingerprint: str | None = None

    def envelope(self, basis: LegalBasis) -> Envelope:
        extra = tuple(b for b in self.legal_basis if b != basis)
        # What `Envelope(...)` builds, in its fields' declared order, without a
        # `object.__setattr__` per field (Envelope has no `__post_init__`).
        made = object.__new__(Envelope)
        vars(made).update(
            occurred_at=self.occurred_at,
            actor=self.actor,
            legal_basis=(basis, *extra),
            command_id=self.command_id,
            correlation_id=self.correlation_id,
            causation_id=self.causation_id,
            evidence_refs=self.evidence_refs,
            previous_hash=None,
            command_fingerprint=self.command_fingerprint,
            hash_format=HASH_FORMAT,
        )
        return made


def chained(envelope: Envelope, previous_hash: str | None) -> Envelope:
    """`envelope` naming `previous_hash`: `dataclasses.replace` without its per-field checks
    (Envelope has no `__post_init__`), on every event."""
    twin = object.__new__(Envelope)
    vars(twin).update(vars(envelope))
    vars(twin)["previous_hash"] = previous_hash
    return twin
