"""The first bad event of one stream, from its stored rows alone, and the simplest explanation.

Each row's hash covers its stream version, so a renumbered event hashes differently and the
chain shows it. The rows come in the log's global order; they are checked in that order as if
they were versions 1..n, then the first broken link is explained by the first of these that fits:

- a version missing (stored versions skip one)                              DELETED
- versions out of global order, but taken in global order the chain holds   REORDERED
- the break names an earlier event than its predecessor, and removing one
  row restores the chain: that row (of several, the one recorded last)      INSERTED
- the break names an event that now comes after it                          REORDERED
- the row after the break would fit one version later: an event before
  it was removed and the later versions renumbered                          DELETED
- otherwise the predecessor's hash is not what its successor recorded       ALTERED

The last event of a stream has no successor to vouch for it: a saved digest or the hash
table (`verification`) catches a change to it, and whatever rewrote a chain forward.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from ledger.proofs import descriptor_hashes, record_hash

ALTERED, DELETED, INSERTED, REORDERED = "ALTERED", "DELETED", "INSERTED", "REORDERED"
UNDECODABLE, DIGEST_MISMATCH = "UNDECODABLE", "DIGEST_MISMATCH"


@dataclass(frozen=True)
class Problem:
    """The first bad event: where the log holds it (or held it), and why it is bad."""

    position: int | None
    stream: str | None
    version: int | None
    reason: str
    detail: str


class StoredBytes(NamedTuple):
    """What a format-3 event's hash covers besides its version (`ledger.proofs`)."""

    topic: str
    stream: str
    state: bytes


class Row(NamedTuple):
    """A stored event as checked: its place, its hash, the hash it names as its predecessor
    (its envelope's `previous_hash`), and how to get back what its hash covers (its canonical
    record, or a format-3 event's `StoredBytes`: only a renumbering's explanation needs it, so
    it is not kept: `verification` may re-read it)."""

    position: int | None
    stream: str
    version: int
    hash: str
    previous: str | None
    #: The record at a position (one function for all rows: none is built per row).
    load: Callable[[int | None], dict[str, Any] | StoredBytes]

    @property
    def record(self) -> dict[str, Any] | StoredBytes:
        return self.load(self.position)


def previous_hash(record: dict[str, Any]) -> str | None:
    """The `previous_hash` a canonical record names (None: none, or no envelope)."""
    envelope = record["fields"].get("envelope")
    return envelope.get("previous_hash") if isinstance(envelope, dict) else None


def _as(row: Row, version: int) -> str:
    """The row's hash had it been stored as `version`."""
    if version == row.version:
        return row.hash
    found = row.record
    if isinstance(found, StoredBytes):
        return descriptor_hashes(found.topic, found.stream, version, found.state)[0]
    return record_hash({**found, "stream_version": version})


def _break(seq: Sequence[Row]) -> int | None:
    """The first row whose previous_hash is not its predecessor's hash, rows taken as versions
    1..n. A stream may start unchained (events from before chaining, other aggregates)."""
    chained = False
    for i, row in enumerate(seq):
        p = row.previous
        if p is None:
            if chained:
                return i
            continue
        if i == 0 or p != _as(seq[i - 1], i):
            return i
        chained = True
    return None


def _explain(seq: Sequence[Row], i: int) -> tuple[int, str, str]:
    p, label = seq[i].previous, i + 1
    if p is None:
        return i, ALTERED, "its previous_hash was removed from a chained stream"
    hashes = [_as(row, k + 1) for k, row in enumerate(seq)]
    if p in hashes[:max(i - 1, 0)]:
        fits = [k for k in range(i + 1) if (b := _break([*seq[:k], *seq[k + 1:]])) is None
                or b > i]
        if fits:
            k = max(fits, key=lambda k: (seq[k].position or 0, k))
            return k, INSERTED, "the chain holds without it: it names the same predecessor " \
                                "as another event, or its successor names the one before it"
    if p in hashes[i:] or any(p == _as(row, label) for row in seq[i + 1:]):
        return i, REORDERED, "it names as its predecessor an event that now comes after it"
    if i + 1 < len(seq) and seq[i + 1].previous == _as(seq[i], label + 1):
        return i, DELETED, f"version {label} was removed and the later versions renumbered"
    if i == 0:
        return 0, DELETED, "the first event names a predecessor the stream no longer holds"
    return i - 1, ALTERED, (f"its hash no longer matches the previous_hash recorded by its "
                            f"successor (version {seq[i].version})")


def check_stream(rows: Sequence[Row], position_of: Callable[[int], int | None]) -> \
        Problem | None:
    """The first bad event of a stream whose rows come in global order; `position_of` gives
    where the hash table saw a version (to place a deleted one)."""
    stream = rows[0].stream
    versions = [row.version for row in rows]
    if len(set(versions)) != len(versions):
        twin = max((r for r in rows if versions.count(r.version) > 1),
                   key=lambda r: r.position or 0)
        return Problem(twin.position, stream, twin.version, INSERTED, "a second event with "
                       "the same version")
    missing = sorted(set(range(1, max(versions) + 1)) - set(versions))
    if missing:
        v = missing[0]
        after = min((r for r in rows if r.version > v), key=lambda r: r.version)
        return Problem(position_of(v) or after.position, stream, v, DELETED,
                       f"version {v} is missing (the stream holds {len(rows)} of "
                       f"{max(versions)} versions)")
    broken = _break(rows)
    if versions != sorted(versions) and broken is None:
        first = next(row for i, row in enumerate(rows) if row.version != i + 1)
        return Problem(first.position, stream, first.version, REORDERED,
                       "versions do not follow the log's order, in which the chain holds: "
                       "the events were renumbered")
    if broken is None:
        return None
    k, reason, detail = _explain(rows, broken)
    bad = rows[k]
    if reason == DELETED:
        return Problem(position_of(k + 1) or bad.position, stream, k + 1, reason, detail)
    return Problem(bad.position, stream, bad.version, reason, detail)
