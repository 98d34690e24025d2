"""A case's data key in the key store on both backends: created once on first use (one look-up,
one insert), the same key at every later use, and refused for good once destroyed."""

from __future__ import annotations

import pytest

from pact_ledger.keystore import KeyDestroyed, KeyStore
from pact_ledger.settings import Settings


def test_a_data_key_is_created_once_and_refused_once_destroyed(settings: Settings) -> None:
    store = KeyStore(settings.keystore_location, settings.master_key_ring())
    try:
        first = store.key_for("case-1", "person-1")
        assert store.key_for("case-1", "person-1") == first
        assert store.keys(["case-1"]) == {"case-1": first}  # what was stored is what was used
        assert store.key_for("case-2", "person-1") != first
        assert store.key_ids_of("person-1") == ["case-1", "case-2"]
        assert store.destroy(["case-1"]) == ["case-1"]
        with pytest.raises(KeyDestroyed):
            store.key_for("case-1", "person-1")
        assert store.keys(["case-1"]) == {}
    finally:
        store.close()
