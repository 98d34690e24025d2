"""A case's complete record as one JSON document an auditor checks offline with nothing but
`ledger/proofs.py`: every event's canonical record, its chain hash, its predecessor's, its
Merkle leaf and the inclusion proof of that leaf in the tree of the digest the document carries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from ledger import proofs
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
        record = canonical_record(row.event)
        chain, leaf = proofs.record_hashes(record)
        events.append({
            "position": row.position, "leaf_index": index, "hash": chain,
            "previous_hash": record["fields"].get("envelope", {}).get("previous_hash"),
            "leaf_hash": leaf.hex(),
            "inclusion_proof": [p.hex() for p in prove(index)],
            "record": record,
        })
    return {"format": proofs.FORMAT, "case_id": str(case_id),
            "verify_with": "python3 ledger/proofs.py verify THIS_FILE",
            "digest": digest, "events": events}
