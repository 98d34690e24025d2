"""RFC 6962 Merkle proofs and the offline check of an export (`ledger/proofs.py`)."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger import proofs

#: The RFC 6962 reference inputs (Certificate Transparency's test vectors).
VECTOR = [b"", b"\x00", b"\x10", b"\x20\x21", b"\x30\x31", b"\x40\x41\x42\x43",
          bytes(range(0x50, 0x58)), bytes(range(0x60, 0x70))]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def leaves_of(data: list[bytes]) -> list[bytes]:
    return [hashlib.sha256(b"\x00" + d).digest() for d in data]


def leaves(n: int) -> list[bytes]:
    return leaves_of([i.to_bytes(4, "big") for i in range(n)])


def test_roots_match_the_rfc_6962_reference_vectors() -> None:
    assert proofs.root([]).hex() == hashlib.sha256(b"").hexdigest()
    for n, expected in enumerate(ROOTS, start=1):
        assert proofs.root(leaves_of(VECTOR[:n])).hex() == expected


def test_proofs_match_the_reference_vectors() -> None:
    tree = leaves_of(VECTOR)
    assert [p.hex() for p in proofs.inclusion_proof(0, tree)] == [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]
    assert [p.hex() for p in proofs.consistency_proof(6, tree)] == [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]


def pairwise_root(level: list[bytes]) -> bytes:
    """An independent construction: hash neighbours level by level, promoting an odd last."""
    while len(level) > 1:
        level = [proofs.node_hash(level[i], level[i + 1]) if i + 1 < len(level) else level[i]
                 for i in range(0, len(level), 2)]
    return level[0]


@given(st.integers(1, 300))
def test_root_agrees_with_a_level_by_level_construction(n: int) -> None:
    """`root` (level by level) against an independent one and RFC 6962's recursive split."""
    assert proofs.root(leaves(n)) == pairwise_root(leaves(n)) == \
        proofs._mth(leaves(n), 0, n)


@given(st.data())
def test_every_inclusion_proof_verifies_and_fails_when_anything_changes(data: Any) -> None:
    n = data.draw(st.integers(1, 200))
    i = data.draw(st.integers(0, n - 1))
    tree, top = leaves(n), proofs.root(leaves(n))
    path = proofs.inclusion_proof(i, tree)
    assert proofs.verify_inclusion(i, n, tree[i], path, top)
    other = hashlib.sha256(b"changed").digest()
    assert not proofs.verify_inclusion(i, n, other, path, top)
    assert not proofs.verify_inclusion(i, n, tree[i], path, other)
    if n > 1:
        j = data.draw(st.integers(0, n - 1).filter(lambda j: j != i))
        assert not proofs.verify_inclusion(j, n, tree[i], path, top)
        k = data.draw(st.integers(0, len(path) - 1))
        bent = [*path[:k], other, *path[k + 1:]]
        assert not proofs.verify_inclusion(i, n, tree[i], bent, top)


@given(st.data())
def test_every_consistency_proof_verifies_and_fails_for_a_changed_history(data: Any) -> None:
    n = data.draw(st.integers(1, 200))
    m = data.draw(st.integers(0, n))
    tree = leaves(n)
    old, new = proofs.root(tree[:m]), proofs.root(tree)
    path = proofs.consistency_proof(m, tree)
    assert proofs.verify_consistency(m, n, old, new, path)
    if 0 < m:
        changed = list(tree)
        changed[data.draw(st.integers(0, m - 1))] = hashlib.sha256(b"x").digest()
        assert not proofs.verify_consistency(m, n, proofs.root(changed[:m]), new, path)
        assert not proofs.verify_consistency(m, n, old, proofs.root(changed), path)
    if path:
        k = data.draw(st.integers(0, len(path) - 1))
        bent = [*path[:k], hashlib.sha256(b"y").digest(), *path[k + 1:]]
        assert not proofs.verify_consistency(m, n, old, new, bent)


def test_proofs_refuse_impossible_sizes() -> None:
    with pytest.raises(ValueError):
        proofs.inclusion_proof(3, leaves(3))
    with pytest.raises(ValueError):
        proofs.consistency_proof(4, leaves(3))
    assert not proofs.verify_inclusion(3, 3, leaves(4)[3], [], proofs.root(leaves(3)))
    assert not proofs.verify_consistency(4, 3, proofs.root(leaves(4)), proofs.root(leaves(3)), [])


# --- exports ---------------------------------------------------------------------------------
def record(version: int, previous: str | None, note: str = "step") -> dict[str, Any]:
    return {"topic": "pact-ledger:case.Note", "schema_version": 1, "stream": "case-1",
            "stream_version": version, "recorded_at": "2026-03-02T08:00:00.000000+00:00",
            "fields": {"note": f"{note} {version} é", "envelope": {"previous_hash": previous}}}


def export(versions: int = 3, others: int = 4) -> dict[str, Any]:
    """A case of `versions` events at leaves 1, 3, 5, ... of a log with `others` more."""
    records, previous = [], None
    for v in range(1, versions + 1):
        records.append(record(v, previous))
        previous = proofs.record_hash(records[-1])
    log = [hashlib.sha256(f"other {i}".encode()).digest() for i in range(versions + others)]
    indexes = [2 * k + 1 for k in range(versions)]
    for index, rec in zip(indexes, records, strict=True):
        log[index] = proofs.leaf_hash(rec)
    events = [{"position": 10 + index, "leaf_index": index, "hash": proofs.record_hash(rec),
               "previous_hash": rec["fields"]["envelope"]["previous_hash"],
               "leaf_hash": proofs.leaf_hash(rec).hex(), "record": rec,
               "inclusion_proof": [p.hex() for p in proofs.inclusion_proof(index, log)]}
              for index, rec in zip(indexes, records, strict=True)]
    return {"format": proofs.FORMAT, "case_id": "case-1", "events": events,
            "digest": {"size": len(log), "root": proofs.root(log).hex()}}


def test_a_faithful_export_verifies() -> None:
    assert proofs.verify_export(export()) == []


def test_an_altered_event_is_named() -> None:
    doc = export()
    doc["events"][1]["record"]["fields"]["note"] = "something else"
    problems = proofs.verify_export(doc)
    assert problems and all(p.startswith("event 2 ") or p.startswith("event 3 ")
                            for p in problems)
    assert any("event 2 " in p and "no longer hashes" in p for p in problems)
    assert any("event 2 " in p and "inclusion proof" in p for p in problems)


def test_a_dropped_or_swapped_event_breaks_versions_and_chain() -> None:
    dropped = export()
    del dropped["events"][1]
    assert any("event 2 " in p and "expected version 2" in p
               for p in proofs.verify_export(dropped))
    swapped = export()
    swapped["events"][0], swapped["events"][1] = swapped["events"][1], swapped["events"][0]
    assert any(p.startswith("event 1 ") for p in proofs.verify_export(swapped))


def test_another_digest_or_a_malformed_file_is_refused() -> None:
    doc = export()
    doc["digest"]["root"] = proofs.root(leaves(7)).hex()
    assert len(proofs.verify_export(doc)) == 3  # no inclusion proof leads there
    broken = copy.deepcopy(export())
    del broken["events"][0]["inclusion_proof"]
    assert proofs.verify_export(broken)[0].startswith("malformed export")
    assert proofs.verify_export({"format": "other"}) == [f"not a {proofs.FORMAT} document"]


# --- hash format 3 -----------------------------------------------------------------------------
def _format_3_export(state: bytes, stream: str = "s-1") -> dict[str, Any]:
    chain, leaf = proofs.descriptor_hashes("pact-ledger:case.X", stream, 1, state)
    return {"format": proofs.FORMAT, "case_id": stream,
            "digest": {"size": 1, "root": leaf.hex()},
            "events": [{"position": 7, "leaf_index": 0, "hash": chain, "previous_hash": None,
                        "leaf_hash": leaf.hex(), "inclusion_proof": [], "hash_format": 3,
                        "topic": "pact-ledger:case.X", "stream": stream, "stream_version": 1,
                        "state": state.decode("utf-8")}]}


STATE_3 = ('{"timestamp":"t","name":"Ünal","envelope":{"_type_":"envelope","_data_":'
           '{"hash_format":3,"previous_hash":null}}}').encode()


def test_a_format_3_export_verifies_offline_over_the_stored_bytes() -> None:
    assert proofs.verify_export(_format_3_export(STATE_3)) == []
    spaced = _format_3_export(STATE_3)
    spaced["events"][0]["state"] = STATE_3.decode().replace(",", ", ")  # the same JSON value
    assert any("no longer hashes" in p for p in proofs.verify_export(spaced))
    claimed = _format_3_export(STATE_3.replace(b'"hash_format":3', b'"hash_format":2'))
    assert proofs.verify_export(claimed) == [
        "malformed export: ValueError: a format-3 entry whose state does not say hash_format 3"]


def test_the_format_3_descriptor_frames_its_parts_unambiguously() -> None:
    one = proofs.event_descriptor("a\nb", "c", 1, b"{}")
    other = proofs.event_descriptor("a", "b\nc", 1, b"{}")
    assert one != other and one.startswith(proofs.EVENT_TAG)
    assert one == proofs.EVENT_TAG + b'["a\\nb","c",1]\n{}'
