"""The key store as a bulk import sees it: the data key of each case it opens is made in memory
and stored with the others of its batch in one transaction, just before the batch's events
(`ledger.bulk_import.BulkImport(keys=...)`), instead of one commit per case."""

from __future__ import annotations

from collections.abc import Collection

from ledger.personal_data import cipher
from ledger.personal_data.sealed import SealedValue
from ledger.personal_data.vault import open_with
from pact_ledger.keystore import KeyDestroyed, KeyStore, KeyStoreVault


class KeysChanged(Exception):
    """Another writer stored a different key for a case of the batch meanwhile: the batch's
    sealed data would not open, so it is not saved (run the import again)."""


#: Keys kept between batches (a case's later steps open its date of birth: one query each
#: otherwise); past this many, forgotten all at once and read again when asked.
KNOWN_KEYS = 60_000


class BatchedKeyVault(KeyStoreVault):
    """`KeyStoreVault` whose new keys wait for `persist` (called before the events are saved).

    Keys read or stored are kept (up to `known_keys`) between batches, as the import keeps its
    cases: a key destroyed by another writer meanwhile is destroyed by an erasure, which records
    on the case, so the batch that used the kept key conflicts with it and is decided again
    through `Ledger.handle` (`BulkImport`); the import's own erasures call `reread`."""

    def __init__(self, store: KeyStore, known_keys: int = KNOWN_KEYS) -> None:
        super().__init__(store)
        self.known_keys = known_keys  # (more where the import keeps more cases)
        self.unsaved: dict[str, tuple[str, bytes]] = {}  # key id -> (person id, key)
        self.known: dict[str, bytes] = {}  # read by `expect` or `open_many`, or persisted
        self.missing: set[str] = set()  # neither stored nor destroyed when `expect` read them

    def expect(self, key_ids: Collection[str]) -> None:
        """Read these keys in one query (and which of the others were destroyed in one more):
        the cases a batch opens, whose keys usually do not exist yet (they may, after an
        import that stopped between storing a batch's keys and its events)."""
        wanted = [k for k in key_ids if k not in self.unsaved and k not in self.known]
        self._know(self.store.keys(wanted))
        rest = [k for k in wanted if k not in self.known]
        destroyed = self.store.destroyed(rest)
        self.missing = {k for k in rest if k not in destroyed}

    def _key(self, key_id: str, person_id: str) -> bytes:
        waiting = self.unsaved.get(key_id)
        if waiting is not None:
            return waiting[1]
        known = self.known.get(key_id)
        if known is not None:
            return known
        if key_id not in self.missing:
            found = self.store.keys([key_id])
            if key_id in found:
                return found[key_id]
            if self.store.destroyed_at(key_id) is not None:
                raise KeyDestroyed(f"data key {key_id} was destroyed")
        key = cipher.new_key()
        self.unsaved[key_id] = (person_id, key)
        return key

    def seal(self, key_id: str, person_id: str, plaintext: bytes, aad: bytes) -> SealedValue:
        nonce, ciphertext = cipher.seal(self._key(key_id, person_id), plaintext, aad)
        return SealedValue(key_id, cipher.b64(nonce), cipher.b64(ciphertext))

    def open_many(self, items: list[tuple[SealedValue, bytes]]) -> list[bytes | None]:
        unsaved, known = self.unsaved, self.known
        asked = [s.key_id for s, _ in items if s.key_id not in unsaved and s.key_id not in known]
        if asked:
            self._know(self.store.keys(asked))

        def key(key_id: str) -> bytes | None:
            waiting = unsaved.get(key_id)
            return waiting[1] if waiting is not None else self.known.get(key_id)

        return [open_with(key(s.key_id), s, aad) for s, aad in items]

    def _know(self, keys: dict[str, bytes]) -> None:
        if len(self.known) + len(keys) > self.known_keys:
            self.known = {}
        self.known.update(keys)

    def reread(self) -> None:
        """Keys may have been destroyed (an erasure recorded by the import itself): ask the
        store again for every key it holds. (`missing` stays: those keys do not exist, so no
        erasure destroyed them, and `persist` takes out the ones it stores.)"""
        self.known = {}

    def persist(self) -> None:
        """Store the batch's new keys; refuses if any was stored differently meanwhile."""
        new = [(key_id, person_id, key) for key_id, (person_id, key) in self.unsaved.items()]
        stored = self.store.add_keys(new)
        self.unsaved = {}
        self._know({key_id: stored[key_id] for key_id, _, _ in new if key_id in stored})
        self.missing.difference_update(key_id for key_id, _, _ in new)
        if any(stored.get(key_id) != key for key_id, _, key in new):
            raise KeysChanged("a data key of this batch was created by another writer "
                              "meanwhile; nothing of the batch was saved: run the import again")

    def mark(self) -> int:
        return len(self.unsaved)

    def drop_after(self, mark: int) -> None:
        """Drop the new keys made since `mark` (by a command that was then refused)."""
        for key_id in list(self.unsaved)[mark:]:
            del self.unsaved[key_id]

    def forget(self) -> None:
        """Drop the keys of a batch that will not be saved."""
        self.unsaved = {}
