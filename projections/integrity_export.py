"""A case's complete record as one JSON document an auditor checks offline with nothing but
`ledger/proofs.py`: every event's hashed bytes (the canonical `record` of an event of hash format
1 or 2; the `topic`, `stream`, `stream_version` and stored `state` text of format 3), its chain
hash, its predecessor's, its Merkle leaf and the inclusion proof of that leaf in the tree of the
digest the document carries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from ledger import proofs
from ledger.event_bytes import hash_format, state_bytes
from ledger.integrity import canonical_record
from ledger.verification import Stored


def export_document(case_id: UUID, rows: Sequence[Stored], index_of: Callable[[int], int | None],
                    prove: Callable[[int], list[bytes]], digest: dict[str, Any]
                    ) -> dict[str, Any]:
    """`rows`: the case's stored events in version order, placed by the hash table; `index_of`
    gives a position's leaf index and `prove` a leaf's inclusion proof in the tree of `digest`."""
    events = []
    for row in rows:
        index = None if row.position is None else index_of(row.position)
        if row.event is None or row.position is None or index is None:
            raise ValueError(f"version {row.version} of {case_id} cannot be exported: "
                             f"{row.error or 'not in the hash table yet'}")
        events.append({"position": row.position, "leaf_index": index, **_hashed(row),
                       "inclusion_proof": [p.hex() for p in prove(index)]})
    return {"format": proofs.FORMAT, "case_id": str(case_id),
            "verify_with": "python3 ledger/proofs.py verify THIS_FILE",
            "digest": digest, "events": events}


def _hashed(row: Stored) -> dict[str, Any]:
    """The entry's hashes and what they cover, in the event's hash format."""
    if hash_format(row.event) >= 3:
        topic = row.topic or get_topic(type(row.event))
        state = row.state if row.state is not None else state_bytes(row.event)
        chain, leaf = proofs.descriptor_hashes(topic, row.stream, row.version, state)
        return {"hash": chain, "previous_hash": row.event.envelope.previous_hash,
                "leaf_hash": leaf.hex(), "hash_format": 3, "topic": topic, "stream": row.stream,
                "stream_version": row.version, "state": state.decode("utf-8")}
    record = canonical_record(row.event)
    chain, leaf = proofs.record_hashes(record)
    return {"hash": chain,
            "previous_hash": record["fields"].get("envelope", {}).get("previous_hash"),
            "leaf_hash": leaf.hex(), "record": record}
