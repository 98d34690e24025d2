"""The store against its two outside witnesses: the hash table and a saved digest.

The hash table says where the store changed; a saved digest says whom to believe. When the
stored events still hash to the digest, a disagreement with the table is the table's fault
(TABLE_MISMATCH); when only the table still hashes to it, the table's findings stand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ledger.chain_check import ALTERED, DELETED, DIGEST_MISMATCH, INSERTED, Problem, Row
from ledger.proofs import root
from ledger.subtrees import all_subtrees

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


SUBTREE_MISMATCH = "SUBTREE_MISMATCH"


def against_subtrees(witness: Sequence[Witness],
                     stored: Mapping[tuple[int, int], tuple[str, int | None]]) -> list[Problem]:
    """The stored subtrees (`ledger.subtrees`, what digests and proofs are served from) against
    the ones recomputed from the hash table's leaves; read them before the table, so that
    they cannot legitimately hold a leaf the table lacks. A stored node that differs, is
    missing below the store's last leaf, or lies past the table's leaves is reported."""
    table = sorted(witness, key=lambda w: w.position)
    size = 1 + max((index for level, index in stored if level == 0), default=-1)
    leaves = [bytes.fromhex(w.leaf_hash) for w in table[:size]]
    expected = {key: value.hex() for key, value in all_subtrees(leaves).items()}
    problems = []
    for key in sorted(set(expected) | set(stored), key=lambda k: (k[1] << k[0], k[0])):
        level, index = key
        got = stored.get(key)
        want = expected.get(key)
        first = index << level
        where = table[first] if first < len(table) else None
        wrong_position = level == 0 and got is not None and where is not None and \
            got[1] != where.position
        if got is not None and want == got[0] and not wrong_position:
            continue
        detail = ("is missing" if got is None else "lies past the hash table's leaves"
                  if want is None else "is at the wrong position" if wrong_position
                  else "does not hash to the hash table's leaves below it")
        problems.append(Problem(
            where.position if where else None, where.stream if where else None,
            where.version if where else None, SUBTREE_MISMATCH,
            f"the stored subtree (level {level}, index {index}) over leaves {first}.."
            f"{((index + 1) << level) - 1} {detail}: one of the two was changed, and digests and "
            "proofs served from the subtrees may be wrong"))
    return problems
