"""The sealed value an event holds instead of personal data, and what it seals.

A `SealedValue` is ciphertext (AES-256-GCM) with the id of the key that sealed it; it is a plain
value, so it is stored, hashed (`ledger.integrity`) and exported like any other field. The
associated data bind it to one case, one event type and one field: a sealed value moved to
another case or field does not open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from eventsourcing.persistence import Transcoding


@dataclass(frozen=True)
class SealedValue:
    """`key_id`: the data key (one per case, held by the vault); `nonce`, `ciphertext`: base64."""

    key_id: str
    nonce: str
    ciphertext: str

    def as_dict(self) -> dict[str, str]:
        return {"key_id": self.key_id, "nonce": self.nonce, "ciphertext": self.ciphertext}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> SealedValue:
        return cls(key_id=data["key_id"], nonce=data["nonce"], ciphertext=data["ciphertext"])


def associated_data(case_id: str, topic: str, field: str) -> bytes:
    """What a sealed value is bound to (authenticated, not encrypted)."""
    return f"pact-ledger/personal-data/v1|{case_id}|{topic}|{field}".encode()


@dataclass(frozen=True)
class PersonalDetails:
    """The personal data of a case's opening event: who the person is."""

    family_name: str | None = None
    given_names: str | None = None
    date_of_birth: date | None = None

    #: The field names, as clients see them (timeline payloads, subject access).
    FIELDS = ("family_name", "given_names", "date_of_birth")

    def is_empty(self) -> bool:
        return self.family_name is None and self.given_names is None and self.date_of_birth is None

    def to_bytes(self) -> bytes:
        return orjson.dumps(self.as_dict())

    def as_dict(self) -> dict[str, Any]:
        return {"family_name": self.family_name, "given_names": self.given_names,
                "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else None}

    @classmethod
    def from_bytes(cls, data: bytes) -> PersonalDetails:
        values = orjson.loads(data)
        born = values.get("date_of_birth")
        return cls(family_name=values.get("family_name"), given_names=values.get("given_names"),
                   date_of_birth=date.fromisoformat(born) if born else None)


class SealedValueAsDict(Transcoding):
    """How a sealed value is stored in the event JSON (name `sealed_value`: never rename)."""

    type = SealedValue
    name = "sealed_value"

    def encode(self, obj: SealedValue) -> dict[str, str]:
        return obj.as_dict()

    def decode(self, data: dict[str, str]) -> SealedValue:
        return SealedValue.from_dict(data)
