"""Roots and proofs from stored perfect subtrees (`ledger.subtrees`) are exactly those of
`ledger.proofs` over all the leaves, for every size and however the store was filled."""

from __future__ import annotations

import hashlib
import random

from ledger import proofs, subtrees
from ledger.witness_check import SUBTREE_MISMATCH, Witness, against_subtrees


def leaves(n: int) -> list[bytes]:
    return [hashlib.sha256(b"\x00" + i.to_bytes(4, "big")).digest() for i in range(n)]


SIZES = [*range(1, 70), 127, 128, 129, 255, 256, 257, 1000, 1023, 1025]


def test_roots_equal_the_roots_from_all_leaves_for_many_sizes() -> None:
    log = leaves(1025)
    store = subtrees.all_subtrees(log)
    assert subtrees.tree_root(lambda lv, ix: store[lv, ix], 0) == proofs.root([])
    for n in SIZES:
        assert subtrees.tree_root(lambda lv, ix: store[lv, ix], n) == proofs.root(log[:n]), n


def test_proofs_equal_the_proofs_from_all_leaves_and_read_few_nodes() -> None:
    log = leaves(1025)
    store = subtrees.all_subtrees(log)

    def get(level: int, index: int) -> bytes:
        return store[level, index]

    for n in SIZES:
        tree = log[:n]
        for i in sorted({0, n // 3, n // 2, n - 1}):
            assert subtrees.inclusion_path(get, i, n) == proofs.inclusion_proof(i, tree), (i, n)
        for m in sorted({0, 1, n // 2, n - 1, n}):
            assert subtrees.consistency_path(get, m, n) == proofs.consistency_proof(m, tree)
    read = subtrees.needed(1025, [], lambda g: subtrees.inclusion_path(g, 700, 1025))
    assert len(read) <= 2 * 11  # O(log n) nodes, not 1025 leaves


def test_a_store_grown_in_any_batches_equals_one_computed_from_all_leaves() -> None:
    rng = random.Random(6962)
    log = leaves(700)
    store: dict[subtrees.Key, bytes] = {}
    size = 0
    while size < len(log):
        batch = log[size:size + rng.randint(1, 40)]
        for level, index, value in subtrees.grown(size, batch, lambda lv, ix: store[lv, ix]):
            assert (level, index) not in store  # only new nodes
            store[level, index] = value
        size += len(batch)
        assert store == subtrees.all_subtrees(log[:size])


def test_a_store_that_is_behind_is_extended_from_the_leaves_never_trusted_past_its_size() -> None:
    log = leaves(300)
    for stored in (0, 1, 100, 128, 299):
        store = subtrees.all_subtrees(log[:stored])
        get = subtrees.with_tail(store, stored, log[stored:])
        for n in (stored + 1, 257, 300):
            if n >= stored:
                assert subtrees.tree_root(get, n) == proofs.root(log[:n])
                assert subtrees.inclusion_path(get, n - 1, n) == \
                    proofs.inclusion_proof(n - 1, log[:n])
        keys = subtrees.needed(stored, log[stored:], lambda g: subtrees.tree_root(g, 300))
        assert all((ix + 1) << lv <= stored for lv, ix in keys)


def test_a_changed_missing_or_extra_stored_subtree_is_reported() -> None:
    log = leaves(20)
    witness = [Witness(10 + i, "s", i + 1, "h", leaf.hex()) for i, leaf in enumerate(log)]
    good = {key: (value.hex(), 10 + key[1] if key[0] == 0 else None)
            for key, value in subtrees.all_subtrees(log).items()}

    def rows(store: dict[subtrees.Key, tuple[str, int | None]]
             ) -> list[tuple[int, int, str, int | None]]:
        return [(lv, ix, value, position) for (lv, ix), (value, position) in store.items()]

    assert against_subtrees(witness, 20, rows(good)) == []
    changed = dict(good)
    changed[2, 1] = ("00" * 32, None)  # leaves 4..7
    [problem] = against_subtrees(witness, 20, rows(changed))
    assert (problem.reason, problem.position) == (SUBTREE_MISMATCH, 14)
    missing = dict(good)
    del missing[1, 3]
    assert [p.position for p in against_subtrees(witness, 20, rows(missing))] == [16]
    moved = dict(good)
    moved[0, 5] = (good[0, 5][0], 99)
    assert [p.position for p in against_subtrees(witness, 20, rows(moved))] == [15]
    past = against_subtrees(witness[:16], 20, rows(good))  # nodes past the table's leaves
    assert past and all("past" in p.detail for p in past)
