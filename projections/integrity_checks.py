"""Digests, proofs, verification and case exports over the real storage (SQLite or PostgreSQL).

Digests and proofs come from the hash table (cheap). Verification never trusts it: it reads
every stored row back through the event store's own recorder, decodes it, recomputes every
hash and compares with the table and with a saved digest (`ledger.verification`). It lives
here, not at the edge, because the GraphQL layer serves it too.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent

from ledger import proofs
from ledger.integrity import canonical_record
from ledger.verification import Report, SavedDigest, Stored, Witness, verify
from projections.db import ReadDatabase
from projections.integrity_projection import HashTable

BATCH = 1000


@dataclass(frozen=True)
class Digest:
    size: int
    root: str
    last_position: int | None
    computed_at: datetime

    def saved(self) -> dict[str, Any]:
        """What an auditor keeps (`pact-ledger verify --digest` reads it back)."""
        return {"size": self.size, "root": self.root, "last_position": self.last_position,
                "computed_at": self.computed_at.isoformat()}


@dataclass(frozen=True)
class InclusionProof:
    leaf_index: int
    tree_size: int
    root: str
    path: list[str]


@dataclass(frozen=True)
class ConsistencyProof:
    from_size: int
    to_size: int
    from_root: str
    to_root: str
    path: list[str]


def _decode(app: Application, position: int | None, item: StoredEvent) -> Stored:
    stream, version = str(item.originator_id), item.originator_version
    try:
        return Stored(position, stream, version, app.mapper.to_domain_event(item))
    except Exception as error:  # the row is reported, not raised
        return Stored(position, stream, version, None, f"{type(error).__name__}: {error}")


class IntegrityQueries:
    def __init__(self, db: ReadDatabase, events: Application | None = None) -> None:
        self.table = HashTable(db)
        self.events = events

    # --- from the hash table --------------------------------------------------------------
    def digest(self) -> Digest:
        positions, leaves = self.table.leaves()
        return Digest(len(leaves), proofs.root(leaves).hex(),
                      positions[-1] if positions else None, datetime.now(UTC))

    def inclusion(self, position: int, tree_size: int | None = None) -> InclusionProof | None:
        """Proof that the event at `position` is in the tree of the first `tree_size` events."""
        positions, leaves = self.table.leaves(tree_size)
        if tree_size is not None and len(leaves) != tree_size:
            return None
        index = bisect_left(positions, position)
        if index == len(positions) or positions[index] != position:
            return None
        path = proofs.inclusion_proof(index, leaves)
        return InclusionProof(index, len(leaves), proofs.root(leaves).hex(),
                              [p.hex() for p in path])

    def consistency(self, from_size: int, to_size: int | None = None) -> ConsistencyProof | None:
        """Proof that the tree of `to_size` events extends the tree of the first `from_size`."""
        _, leaves = self.table.leaves(to_size)
        if (to_size is not None and len(leaves) != to_size) or not 0 <= from_size <= len(leaves):
            return None
        path = proofs.consistency_proof(from_size, leaves)
        return ConsistencyProof(from_size, len(leaves), proofs.root(leaves[:from_size]).hex(),
                                proofs.root(leaves).hex(), [p.hex() for p in path])

    # --- from the stored rows -------------------------------------------------------------
    def _app(self) -> Application:
        if self.events is None:
            raise RuntimeError("verification needs the event store (ReadModels.over(events=))")
        return self.events

    def scan(self) -> Iterator[Stored]:
        """Every stored row in log order, straight from the event table, decoded."""
        app, start = self._app(), 1
        while notifications := app.recorder.select_notifications(start, BATCH):
            for n in notifications:
                yield _decode(app, n.id, n)
            start = notifications[-1].id + 1

    def verify_ledger(self, saved: SavedDigest | None = None) -> Report:
        witness = self.table.witness()  # before the scan: the store holds at least these
        return verify(self.scan(), witness, saved)

    def _case(self, case_id: UUID) -> tuple[list[Stored], list[Witness]]:
        """A case's stored rows in version order, placed where the hash table saw them."""
        witness = self.table.witness(str(case_id))
        at = {w.version: w.position for w in witness}
        app = self._app()
        rows = [_decode(app, at.get(e.originator_version), e)
                for e in app.recorder.select_events(case_id)]
        return rows, witness

    def verify_case(self, case_id: UUID) -> Report | None:
        """One case's stream against its rows of the hash table; None for an unknown case."""
        rows, witness = self._case(case_id)
        return verify(rows, witness) if rows or witness else None

    def export_case(self, case_id: UUID) -> dict[str, Any] | None:
        """The case's complete record, each event with its inclusion proof against the current
        digest, for `python3 ledger/proofs.py verify` (see `ledger.proofs`)."""
        rows, witness = self._case(case_id)
        if not rows:
            return None
        positions, leaves = self.table.leaves()
        memo: proofs.Memo = {}
        events = []
        for row in rows:
            if row.event is None or row.position is None:
                raise ValueError(f"version {row.version} of {case_id} cannot be exported: "
                                 f"{row.error or 'not in the hash table yet'}")
            record = canonical_record(row.event)
            index = bisect_left(positions, row.position)
            events.append({
                "position": row.position, "leaf_index": index,
                "hash": proofs.record_hash(record),
                "previous_hash": record["fields"].get("envelope", {}).get("previous_hash"),
                "leaf_hash": proofs.leaf_hash(record).hex(),
                "inclusion_proof": [p.hex() for p in proofs.inclusion_proof(index, leaves, memo)],
                "record": record,
            })
        digest = Digest(len(leaves), proofs.root(leaves).hex(), positions[-1], datetime.now(UTC))
        return {"format": proofs.FORMAT, "case_id": str(case_id),
                "verify_with": "python3 ledger/proofs.py verify THIS_FILE",
                "digest": digest.saved(), "events": events}
