"""The store against its two outside witnesses: the hash table and a saved digest.

The hash table says where the store changed; a saved digest says whom to believe. When the
stored events still hash to the digest, a disagreement with the table is the table's fault
(TABLE_MISMATCH); when only the table still hashes to it, the table's findings stand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ledger.chain_check import ALTERED, DELETED, DIGEST_MISMATCH, INSERTED, Problem, Row
from ledger.proofs import root, subtree_levels

TABLE_MISMATCH = "TABLE_MISMATCH"


class Witness(NamedTuple):
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


def against_table(rows: Sequence[Row], leaves: dict[int | None, bytes],
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
        elif row is not None and leaves[row.position].hex() != w.leaf_hash:
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


def refuted(found: Problem, leaves: dict[int | None, bytes],
            witness: Sequence[Witness]) -> bool:
    """The hash table says the event the chain blames is unchanged: the break lies elsewhere."""
    return found.reason == ALTERED and any(
        w.position == found.position and found.position in leaves
        and w.leaf_hash == leaves[found.position].hex()
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


SUBTREE_MISMATCH = "SUBTREE_MISMATCH"


def against_subtrees(witness: Sequence[Witness], size: int,
                     stored: Iterable[tuple[int, int, str, int | None]],
                     levels: Sequence[Sequence[bytes]] | None = None) -> list[Problem]:
    """The stored subtrees (`ledger.subtrees`, what digests and proofs are served from: `size`
    leaves, rows of level, index, hash and a leaf's position) against the ones recomputed from
    the hash table's leaves. Read the store before the table, so that it cannot legitimately hold
    a leaf the table lacks. A node that differs, is missing, or lies past the table is reported.
    `levels`: the perfect subtrees of the whole table's leaves (`subtree_levels`), if computed."""
    table = sorted(witness, key=lambda w: w.position)
    if levels is None:
        levels = subtree_levels([bytes.fromhex(w.leaf_hash) for w in table[:size]])
    levels = [nodes[:size >> level] for level, nodes in enumerate(levels) if size >> level]
    seen = [bytearray(len(nodes)) for nodes in levels]
    found: list[tuple[int, int, str]] = []
    for level, index, value, position in stored:
        nodes = levels[level] if level < len(levels) else []
        if index >= len(nodes):
            found.append((level, index, "lies past the hash table's leaves"))
            continue
        seen[level][index] = 1
        if value != nodes[index].hex():
            found.append((level, index, "does not hash to the hash table's leaves below it"))
        elif level == 0 and position != table[index].position:
            found.append((level, index, "is at the wrong position"))
    found += [(level, index, "is missing") for level, marks in enumerate(seen)
              for index, mark in enumerate(marks) if not mark]
    problems = []
    for level, index, detail in found:
        first = index << level
        where = table[first] if first < len(table) else None
        problems.append(Problem(
            where.position if where else None, where.stream if where else None,
            where.version if where else None, SUBTREE_MISMATCH,
            f"the stored subtree (level {level}, index {index}) over leaves {first}.."
            f"{((index + 1) << level) - 1} {detail}: one of the two was changed, and digests and "
            "proofs served from the subtrees may be wrong"))
    return sorted(problems, key=lambda p: (p.position is None, p.position or 0))
