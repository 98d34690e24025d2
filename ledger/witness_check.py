"""The store against its two outside witnesses: the hash table and a saved digest.

The hash table says where the store changed; a saved digest says whom to believe. When the
stored events still hash to the digest, a disagreement with the table is the table's fault
(TABLE_MISMATCH); when only the table still hashes to it, the table's findings stand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ledger.chain_check import ALTERED, DELETED, DIGEST_MISMATCH, INSERTED, Problem, Row
from ledger.proofs import root

TABLE_MISMATCH = "TABLE_MISMATCH"


@dataclass(frozen=True)
class Witness:
    """A row of the hash table: what the projection saw at a position."""

    position: int
    stream: str
    version: int
    hash: str
    leaf_hash: str


@dataclass(frozen=True)
class SavedDigest:
    size: int
    root: str  # hex


def against_table(rows: Sequence[Row], leaves: dict[int | None, str],
                  witness: Sequence[Witness], unreadable: set[int | None]
                  ) -> dict[str, list[Problem]]:
    """Where the store and the hash table disagree, by stream."""
    found: dict[str, list[Problem]] = {}
    at = {row.position: row for row in rows if row.position is not None}
    top = max((w.position for w in witness), default=0)
    for w in witness:
        row = at.pop(w.position, None)
        if row is None and w.position not in unreadable:
            detail = f"the hash table saw version {w.version} here; the store no longer has it"
            found.setdefault(w.stream, []).append(
                Problem(w.position, w.stream, w.version, DELETED, detail))
        elif row is not None and leaves[row.position] != w.leaf_hash:
            moved = "" if row.version == w.version else f" (it was version {w.version})"
            found.setdefault(row.stream, []).append(Problem(
                row.position, row.stream, row.version, ALTERED,
                f"differs from the hash the hash table recorded for it{moved}"))
    for position, row in at.items():
        if position <= top:
            found.setdefault(row.stream, []).append(Problem(
                position, row.stream, row.version, INSERTED,
                "the hash table saw no event at this position"))
    return found


def refuted(found: Problem, leaves: dict[int | None, str], witness: Sequence[Witness]) -> bool:
    """The hash table says the event the chain blames is unchanged: the break lies elsewhere."""
    return found.reason == ALTERED and any(
        w.position == found.position and w.leaf_hash == leaves.get(found.position)
        for w in witness)


def store_matches(leaves: Sequence[bytes], saved: SavedDigest | None) -> bool:
    return saved is not None and saved.size <= len(leaves) and \
        root(leaves[:saved.size]).hex() == saved.root


def blame_table(problem: Problem, proven: range) -> Problem:
    """A table finding inside the prefix the saved digest proves is the table's fault."""
    if problem.position is None or problem.position not in proven:
        return problem
    return Problem(problem.position, problem.stream, problem.version, TABLE_MISMATCH,
                   f"the hash table disagrees ({problem.reason}: {problem.detail}), but the "
                   "stored events match the saved digest: the table was changed")


def against_digest(leaves: Sequence[bytes], witness: Sequence[Witness],
                   saved: SavedDigest | None) -> list[Problem]:
    if saved is None or store_matches(leaves, saved):
        return []
    if saved.size > len(leaves):
        return [Problem(None, None, None, DIGEST_MISMATCH,
                        f"the saved digest covers {saved.size} events; the store holds "
                        f"{len(leaves)}")]
    table = [bytes.fromhex(w.leaf_hash) for w in sorted(witness, key=lambda w: w.position)]
    agrees = len(table) >= saved.size and root(table[:saved.size]).hex() == saved.root
    why = ("the hash table matches it, so its disagreements name the changed events" if agrees
           else "the hash table does not match it either (changed too, or behind)")
    return [Problem(None, None, None, DIGEST_MISMATCH,
                    f"the first {saved.size} stored events no longer hash to the saved root; "
                    f"{why}")]
