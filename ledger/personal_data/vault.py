"""The port through which the ledger seals and opens personal data: `PersonalDataVault`.

The domain receives a vault from the edge (`pact_ledger.keystore.KeyStoreVault` keeps the keys
in a store of their own, wrapped by a master key); it never sees a key. `MemoryVault` keeps keys
in memory: the default of a bare `Ledger` (unit tests, scripts), never of a server.
"""

from __future__ import annotations

from typing import Protocol

from cryptography.exceptions import InvalidTag

from ledger.personal_data import cipher
from ledger.personal_data.sealed import SealedValue


class PersonalDataVault(Protocol):
    def seal(self, key_id: str, person_id: str, plaintext: bytes, aad: bytes) -> SealedValue:
        """Seal with the key `key_id` (created for `person_id` on first use)."""
        ...

    def open(self, sealed: SealedValue, aad: bytes) -> bytes | None:
        """The plaintext, or None when the key was destroyed (the data are erased)."""
        ...

    def open_many(self, items: list[tuple[SealedValue, bytes]]) -> list[bytes | None]:
        """`open` for many values at once (one look-up of their keys)."""
        ...

    def destroy(self, key_id: str) -> bool:
        """Destroy a key for good; False if it was gone already. Idempotent."""
        ...


class MemoryVault:
    """Keys in a dict: lost with the process. For a bare `Ledger` and unit tests."""

    def __init__(self) -> None:
        self.keys: dict[str, bytes] = {}
        self.persons: dict[str, str] = {}

    def seal(self, key_id: str, person_id: str, plaintext: bytes, aad: bytes) -> SealedValue:
        key = self.keys.setdefault(key_id, cipher.new_key())
        self.persons.setdefault(key_id, person_id)
        nonce, ciphertext = cipher.seal(key, plaintext, aad)
        return SealedValue(key_id, cipher.b64(nonce), cipher.b64(ciphertext))

    def open(self, sealed: SealedValue, aad: bytes) -> bytes | None:
        return open_with(self.keys.get(sealed.key_id), sealed, aad)

    def open_many(self, items: list[tuple[SealedValue, bytes]]) -> list[bytes | None]:
        return [self.open(s, aad) for s, aad in items]

    def destroy(self, key_id: str) -> bool:
        self.persons.pop(key_id, None)
        return self.keys.pop(key_id, None) is not None


class SealedValueAltered(Exception):
    """A sealed value (or its binding) was changed: it does not authenticate under its key."""


def open_with(key: bytes | None, sealed: SealedValue, aad: bytes) -> bytes | None:
    """Open `sealed` with `key`; None when there is no key (erased)."""
    if key is None:
        return None
    try:
        return cipher.open_sealed(key, cipher.unb64(sealed.nonce),
                                  cipher.unb64(sealed.ciphertext), aad)
    except (InvalidTag, ValueError) as error:
        raise SealedValueAltered(f"sealed value under key {sealed.key_id} does not open") \
            from error
