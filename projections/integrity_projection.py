"""The hash table: each event's chain hash and Merkle leaf, by log position, for every aggregate.

It makes digests and proofs cheap to serve (no decoding of the log), and it is a witness of
what each event was when the projection first saw it: rows are only ever added (a position
seen before is left as it was), and a rebuild of the read models does not empty the table,
so a later change to a stored event shows as a disagreement (`ledger.verification`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from ledger import subtrees
from ledger.integrity import event_hashes
from ledger.verification import Witness
from projections.db import ReadDatabase, Tx

INTEGRITY_DDL = [
    """CREATE TABLE IF NOT EXISTS event_hashes (
        position BIGINT PRIMARY KEY,
        stream TEXT NOT NULL,
        stream_version INTEGER NOT NULL,
        hash TEXT NOT NULL,
        leaf_hash TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS event_hashes_stream ON event_hashes (stream, stream_version)",
    # The perfect subtrees of the tree of `event_hashes` (ledger.subtrees): level 0 the leaves
    # by leaf index with their log position, level l the hash of leaves i*2**l .. (i+1)*2**l-1.
    """CREATE TABLE IF NOT EXISTS merkle_nodes (
        level INTEGER NOT NULL,
        idx BIGINT NOT NULL,
        hash TEXT NOT NULL,
        position BIGINT,
        PRIMARY KEY (level, idx)
    )""",
    "CREATE INDEX IF NOT EXISTS merkle_nodes_position ON merkle_nodes (position)",
]

T = TypeVar("T")

_INSERT = ("INSERT INTO event_hashes (position, stream, stream_version, hash, leaf_hash) "
           "VALUES (?, ?, ?, ?, ?) ON CONFLICT (position) DO NOTHING")


def hashes_of(event: Any) -> tuple[str, str]:
    """(chain hash, leaf hash) in hex, from one encoding of the event (for hash format 3, the
    bytes of its row, which the read side holds for each batch it applies:
    `ledger.event_bytes.decoded_batch`; elsewhere the decoded event encoded again as the store
    holds it, which the transcoder does byte for byte, as `tests/integration/test_format_3.py`
    checks on every stored row, but not for an event decoded through an upcaster)."""
    chain, leaf = event_hashes(event)
    return chain, leaf.hex()


class IntegrityProjection:
    #: Nothing for a rebuild to empty: the table witnesses the events as first recorded.
    tables: tuple[str, ...] = ()
    ddl = INTEGRITY_DDL

    def process(self, tx: Tx, batch: Sequence[tuple[int, Any]]) -> None:
        if not batch:
            return
        # A rebuild replays positions the table already holds (it is never emptied), and
        # `ON CONFLICT DO NOTHING` would discard their hashes: compute only the new ones.
        tx.execute("SELECT position FROM event_hashes WHERE position BETWEEN ? AND ?",
                   (batch[0][0], batch[-1][0]))
        known = {int(r["position"]) for r in tx.fetchall()}
        rows = []
        for position, event in batch:
            if position in known:
                continue
            chain, leaf = hashes_of(event)
            rows.append((position, str(event.originator_id), event.originator_version,
                         chain, leaf))
        if rows:
            tx.executemany(_INSERT, rows)
        extend_subtrees(tx, min(r[0] for r in rows) if rows else None)


_NODE_INSERT = ("INSERT INTO merkle_nodes (level, idx, hash, position) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (level, idx) DO NOTHING")


def cached_size(tx: Tx) -> tuple[int, int | None]:
    """(leaves the subtree store holds, log position of its last leaf)."""
    tx.execute("SELECT idx, position FROM merkle_nodes WHERE level = 0 ORDER BY idx DESC LIMIT 1")
    row = tx.fetchone()
    return (0, None) if row is None else (int(row["idx"]) + 1, int(row["position"]))


def _truncate(tx: Tx, size: int) -> None:
    """Forget every node that covers a leaf at index >= size."""
    tx.execute("SELECT MAX(level) AS top FROM merkle_nodes")
    row = tx.fetchone()
    top = int(row["top"]) if row is not None and row["top"] is not None else -1
    for level in range(top + 1):
        tx.execute("DELETE FROM merkle_nodes WHERE level = ? AND idx >= ?", (level, size >> level))


def extend_subtrees(tx: Tx, first_new: int | None = None) -> int:
    """Bring the subtree store up to `event_hashes`: append the leaves after its last one and
    the subtrees they complete. A row that arrived at or before the store's last position
    (`first_new`: the least position just added) means the leaves after it moved: the store is
    cut back to before it and rebuilt from the leaves. Returns the leaves now stored."""
    size, last = cached_size(tx)
    if last is not None and first_new is not None and first_new <= last:
        tx.execute("SELECT COUNT(*) AS n FROM merkle_nodes WHERE level = 0 AND position < ?",
                   (first_new,))
        row = tx.fetchone()
        size = int(row["n"]) if row is not None else 0
        _truncate(tx, size)
        tx.execute("SELECT position FROM merkle_nodes WHERE level = 0 AND idx = ?", (size - 1,))
        row = tx.fetchone()
        last = int(row["position"]) if row is not None else None
    tx.execute("SELECT position, leaf_hash FROM event_hashes WHERE position > ? ORDER BY position",
               (-1 if last is None else last,))
    tail = tx.fetchall()
    if not tail:
        return size

    def stored(level: int, index: int) -> bytes:
        tx.execute("SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?", (level, index))
        row = tx.fetchone()
        if row is None:
            raise LookupError(f"merkle_nodes lacks ({level}, {index})")
        return bytes.fromhex(row["hash"])

    nodes = subtrees.grown(size, [bytes.fromhex(r["leaf_hash"]) for r in tail], stored)
    positions = [int(r["position"]) for r in tail]
    tx.executemany(_NODE_INSERT, [
        (level, index, value.hex(), positions[index - size] if level == 0 else None)
        for level, index, value in nodes])
    return size + len(tail)


class Tree:
    """The tree of the first `size` leaves: `stored` of them in `merkle_nodes`, the rest in
    `tail` (with their positions). Roots and proofs read O(log size) stored nodes."""

    def __init__(self, db: ReadDatabase, stored: int, size: int, positions: list[int],
                 tail: list[bytes]) -> None:
        self.db, self.stored, self.size = db, stored, size
        self.positions, self.tail = positions, tail

    def _run(self, compute: Callable[[subtrees.Get], T]) -> T:
        keys = sorted(subtrees.needed(self.stored, self.tail, compute))
        found: dict[subtrees.Key, bytes] = {}
        for start in range(0, len(keys), 200):
            chunk = keys[start:start + 200]
            rows = self.db.fetchall(
                "SELECT level, idx, hash FROM merkle_nodes WHERE "
                + " OR ".join(["(level = ? AND idx = ?)"] * len(chunk)),
                tuple(v for key in chunk for v in key))
            found.update({(int(r["level"]), int(r["idx"])): bytes.fromhex(r["hash"])
                          for r in rows})
        missing = [k for k in keys if k not in found]
        if missing:  # a store cut back by a concurrent writer: never guess a node
            raise LookupError(f"merkle_nodes lacks {missing[:3]}")
        return compute(subtrees.with_tail(found, self.stored, self.tail))

    def root(self) -> bytes:
        return self._run(lambda get: subtrees.tree_root(get, self.size))

    def inclusion(self, index: int) -> list[bytes]:
        return self._run(lambda get: subtrees.inclusion_path(get, index, self.size))

    def consistency(self, m: int) -> list[bytes]:
        return self._run(lambda get: subtrees.consistency_path(get, m, self.size))

    def prefix_root(self, m: int) -> bytes:
        return self._run(lambda get: subtrees.tree_root(get, m))

    def index_of(self, position: int) -> int | None:
        """The leaf index of the event at `position` in this tree, None when not in it."""
        if self.positions and position >= self.positions[0]:
            at = bisect_left(self.positions, position)
            found = at < len(self.positions) and self.positions[at] == position
            return self.stored + at if found else None
        row = self.db.fetchone("SELECT idx FROM merkle_nodes WHERE level = 0 AND position = ?",
                               (position,))
        index = None if row is None else int(row["idx"])
        return index if index is not None and index < self.size else None

    def last_position(self) -> int | None:
        if self.positions:
            return self.positions[-1]
        row = self.db.fetchone("SELECT position FROM merkle_nodes WHERE level = 0 AND idx = ?",
                               (self.size - 1,))
        return None if row is None else int(row["position"])


class HashTable:
    """Reads of the hash table."""

    def __init__(self, db: ReadDatabase) -> None:
        self.db = db

    def leaves(self, size: int | None = None) -> tuple[list[int], list[bytes]]:
        """Positions and leaf hashes of the first `size` events (all when None), in log order."""
        sql = "SELECT position, leaf_hash FROM event_hashes ORDER BY position"
        rows = self.db.fetchall(sql + (" LIMIT ?" if size is not None else ""),
                                (size,) if size is not None else ())
        return [int(r["position"]) for r in rows], [bytes.fromhex(r["leaf_hash"]) for r in rows]

    def tree(self, size: int | None = None) -> Tree | None:
        """The tree of the first `size` events (all when None) from the stored subtrees, extended
        by the leaves the store does not hold yet; None when fewer events are recorded."""
        row = self.db.fetchone("SELECT idx, position FROM merkle_nodes WHERE level = 0 "
                               "ORDER BY idx DESC LIMIT 1")
        stored, last = (0, None) if row is None else (int(row["idx"]) + 1, int(row["position"]))
        if size is not None and size <= stored:
            return Tree(self.db, size, size, [], [])
        sql = "SELECT position, leaf_hash FROM event_hashes WHERE position > ? ORDER BY position"
        rows = self.db.fetchall(sql + (" LIMIT ?" if size is not None else ""),
                                (-1 if last is None else last,
                                 *(() if size is None else (size - stored,))))
        tree = Tree(self.db, stored, stored + len(rows), [int(r["position"]) for r in rows],
                    [bytes.fromhex(r["leaf_hash"]) for r in rows])
        return tree if size is None or tree.size == size else None

    def stored_size(self) -> int:
        """Leaves the subtree store holds."""
        row = self.db.fetchone("SELECT MAX(idx) AS top FROM merkle_nodes WHERE level = 0")
        return 0 if row is None or row["top"] is None else int(row["top"]) + 1

    def subtrees(self, page: int = 50_000) -> Iterator[tuple[int, int, str, int | None]]:
        """Every stored node as (level, index, hash, position), read a page at a time."""
        level, index = 0, -1
        while True:
            rows = self.db.fetchall(
                "SELECT level, idx, hash, position FROM merkle_nodes WHERE level > ? OR "
                "(level = ? AND idx > ?) ORDER BY level, idx LIMIT ?", (level, level, index, page))
            for r in rows:
                yield (int(r["level"]), int(r["idx"]), r["hash"],
                       None if r["position"] is None else int(r["position"]))
            if len(rows) < page:
                return
            level, index = int(rows[-1]["level"]), int(rows[-1]["idx"])

    def witness(self, stream: str | None = None) -> list[Witness]:
        where, params = ("WHERE stream = ? ", (stream,)) if stream else ("", ())
        rows = self.db.fetchall(
            "SELECT position, stream, stream_version, hash, leaf_hash FROM event_hashes "
            f"{where}ORDER BY position", params)
        return [Witness(int(r["position"]), r["stream"], int(r["stream_version"]), r["hash"],
                        r["leaf_hash"]) for r in rows]
