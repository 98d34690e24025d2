"""How the envelope's value objects and dates are stored in the event JSON.

The names (`actor`, `legal_basis`, ...) are part of the stored format: never rename one.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from eventsourcing.persistence import Transcoder, Transcoding

from ledger.envelope import Actor, Envelope, LegalBasis
from ledger.personal_data.sealed import SealedValueAsDict

T = TypeVar("T")


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class ActorAsDict(Transcoding):
    type = Actor
    name = "actor"

    def encode(self, obj: Actor) -> dict[str, str]:
        return {"id": obj.id, "role": obj.role, "authority": obj.authority,
                "member_state": obj.member_state}

    def decode(self, data: dict[str, str]) -> Actor:
        return _built(Actor, {"id": data["id"], "role": data["role"],
                              "authority": data["authority"],
                              "member_state": data["member_state"]})


class LegalBasisAsList(Transcoding):
    type = LegalBasis
    name = "legal_basis"

    def encode(self, obj: LegalBasis) -> list[str]:
        return [obj.act, obj.article]

    def decode(self, data: list[str]) -> LegalBasis:
        return _built(LegalBasis, {"act": data[0], "article": data[1]})


class EnvelopeAsDict(Transcoding):
    type = Envelope
    name = "envelope"

    def encode(self, obj: Envelope) -> dict[str, Any]:
        added = {} if obj.hash_format == 1 else {
            "command_fingerprint": obj.command_fingerprint, "hash_format": obj.hash_format}
        return {**added,
            "occurred_at": obj.occurred_at,
            "actor": obj.actor,
            "legal_basis": list(obj.legal_basis),
            "command_id": obj.command_id,
            "correlation_id": obj.correlation_id,
            "causation_id": obj.causation_id,
            "evidence_refs": list(obj.evidence_refs),
            "previous_hash": obj.previous_hash,
        }

    def decode(self, data: dict[str, Any]) -> Envelope:
        return _built(Envelope, {
            "occurred_at": data["occurred_at"],
            "actor": data["actor"],
            "legal_basis": tuple(data["legal_basis"]),
            "command_id": data["command_id"],
            "correlation_id": data["correlation_id"],
            "causation_id": data["causation_id"],
            "evidence_refs": tuple(data["evidence_refs"]),
            "previous_hash": data.get("previous_hash"),  # absent in events before chaining
            "command_fingerprint": data.get("command_fingerprint"),  # absent before format 2
            "hash_format": data.get("hash_format", 1),
        })


def _built(cls: type[T], fields: dict[str, Any]) -> T:
    """An instance of a frozen dataclass with no `__post_init__` from all its fields, in their
    declared order: what its `__init__` builds, without a `object.__setattr__` call per field
    (every event decodes an envelope, an actor and its legal bases)."""
    built = object.__new__(cls)
    built.__dict__.update(fields)
    return built


def register_ledger_transcodings(transcoder: Transcoder) -> None:
    for transcoding in (DateAsISO(), ActorAsDict(), LegalBasisAsList(), EnvelopeAsDict(),
                        SealedValueAsDict()):
        transcoder.register(transcoding)  # type: ignore[attr-defined]
