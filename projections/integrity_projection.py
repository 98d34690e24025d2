"""The hash table: each event's chain hash and Merkle leaf, by log position, for every aggregate.

It makes digests and proofs cheap to serve (no decoding of the log), and it is a witness of
what each event was when the projection first saw it: rows are only ever added (a position
seen before is left as it was), and a rebuild of the read models does not empty the table,
so a later change to a stored event shows as a disagreement (`ledger.verification`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ledger.integrity import canonical_record
from ledger.proofs import record_hashes
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
]

_INSERT = ("INSERT INTO event_hashes (position, stream, stream_version, hash, leaf_hash) "
           "VALUES (?, ?, ?, ?, ?) ON CONFLICT (position) DO NOTHING")


def hashes_of(event: Any) -> tuple[str, str]:
    """(chain hash, leaf hash) in hex, from one encoding of the event."""
    chain, leaf = record_hashes(canonical_record(event))
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

    def witness(self, stream: str | None = None) -> list[Witness]:
        where, params = ("WHERE stream = ? ", (stream,)) if stream else ("", ())
        rows = self.db.fetchall(
            "SELECT position, stream, stream_version, hash, leaf_hash FROM event_hashes "
            f"{where}ORDER BY position", params)
        return [Witness(int(r["position"]), r["stream"], int(r["stream_version"]), r["hash"],
                        r["leaf_hash"]) for r in rows]
