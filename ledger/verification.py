"""Verifying the stored log, without I/O: is it what was recorded, and if not, which event is
the first bad one and why (stable reason codes, `ledger.chain_check`).

Three witnesses, each catching what the others cannot:

- **the chain** (`chain_check`): every case event names its predecessor's hash, so a change to
  any event but a stream's last breaks the link after it; missing, extra and out-of-order
  versions show in the stream's own versions. Needs nothing but the stored rows.
- **the hash table** (`event_hashes`, kept by the integrity projection when each event is first
  projected and never rebuilt): names the exact position of a change to any event, including a
  stream's last, an event of an aggregate without a chain, a deleted event, or a chain an
  attacker rewrote forward. It lives in the same database, so it is a witness, not proof.
- **a saved digest** (size, Merkle root): the first `size` events must hash to it. It is the one
  witness kept outside the database: when the hash table matches it, the table's findings
  stand; when the store matches it, the table is the one that was changed (`witness_check`).

Reason codes: UNDECODABLE, ALTERED, DELETED, INSERTED, REORDERED (an event), TABLE_MISMATCH
(the hash table, not the store), DIGEST_MISMATCH (no single event: the prefix as a whole),
SUBTREE_MISMATCH (the stored subtrees digests and proofs are served from disagree with the
hash table: `witness_check.against_subtrees`).

Appending a well-formed event at the end of a stream is what recording a new step looks like;
no hash can tell the two apart (that is access control's job).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from eventsourcing.utils import get_topic

from ledger.chain_check import (
    ALTERED,
    DELETED,
    DIGEST_MISMATCH,
    INSERTED,
    REORDERED,
    UNDECODABLE,
    Problem,
    Row,
    StoredBytes,
    check_stream,
    previous_hash,
)
from ledger.event_bytes import hash_format, state_bytes
from ledger.integrity import canonical_record
from ledger.proofs import descriptor_hashes, record_hashes, root, root_of_levels
from ledger.witness_check import (
    SUBTREE_MISMATCH,
    TABLE_MISMATCH,
    SavedDigest,
    Witness,
    against_digest,
    against_table,
    blame_table,
    refuted,
    store_matches,
)

__all__ = ["ALTERED", "DELETED", "DIGEST_MISMATCH", "INSERTED", "REORDERED", "SUBTREE_MISMATCH",
           "TABLE_MISMATCH", "UNDECODABLE", "HashedRow", "Problem", "Report", "SavedDigest",
           "Stored", "Tree", "Witness", "row_of", "verify"]


#: A row hashed without decoding it (`ledger.stored_canonical`): its chain hash (hex), Merkle
#: leaf, the previous_hash it names, and its member state (None unless a plain string).
Hashed = tuple[str, bytes, str | None, str | None]


class Stored(NamedTuple):
    """A stored row as read back: where it is (None: not known) and what it decoded to, or,
    read the fast way, its hashes and how to get its canonical record back if need be."""

    position: int | None
    stream: str
    version: int
    event: Any = None
    error: str | None = None  # why it could not be decoded
    hashed: Hashed | None = None
    #: What the row's hash covers at a position (given the row's), read again when needed.
    record: Callable[[int | None], dict[str, Any] | StoredBytes] | None = None
    #: The row's topic and state bytes as the transcoder wrote them (what a format-3 event's
    #: hash covers); None: re-encode the event (`ledger.event_bytes`).
    topic: str | None = None
    state: bytes | None = None


@dataclass(frozen=True)
class Report:
    events_checked: int
    size: int  # leaves of the tree recomputed from the store
    root: str
    problems: tuple[Problem, ...]
    #: Events checked per stream, and each stream's member state where its events name one (the
    #: first that does: a case's opening event): what a member-state-scoped report is cut from.
    stream_counts: dict[str, int] = field(default_factory=dict)
    stream_states: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def _row(stored: Stored) -> tuple[Row, bytes]:
    """The row with its chain hash, and its Merkle leaf, from one encoding."""
    event = stored.event
    covered: dict[str, Any] | StoredBytes
    if hash_format(event) >= 3:  # the stored bytes (re-encoded only if not given)
        covered = StoredBytes(stored.topic or get_topic(type(event)), stored.stream,
                              stored.state if stored.state is not None else state_bytes(event))
        chain, leaf = descriptor_hashes(covered.topic, stored.stream, stored.version,
                                        covered.state)
        previous = getattr(event.envelope, "previous_hash", None)
    else:
        covered = canonical_record(event)
        chain, leaf = record_hashes(covered)
        previous = previous_hash(covered)
    return Row(stored.position, stored.stream, stored.version, chain, previous,
               partial(_same, covered)), leaf


def _same(covered: Any, position: int | None) -> Any:
    return covered


def row_of(stored: Stored) -> HashedRow | None:
    """A `Stored` as the `HashedRow` `verify` would check, or None: it is undecodable (or not
    readable the fast way), which only the full check explains."""
    if stored.hashed is not None and stored.record is not None:
        chain, leaf, previous, state = stored.hashed
        return (stored.position, stored.stream, stored.version,  # type: ignore[return-value]
                chain, leaf, previous, state)
    if stored.event is None:
        return None
    try:
        row, leaf = _row(stored)
    except Exception:  # noqa: BLE001 - the full check reports it
        return None
    state = getattr(stored.event, "member_state", None)
    return (stored.position, stored.stream, stored.version,  # type: ignore[return-value]
            row.hash, leaf, row.previous, state if isinstance(state, str) else None)


#: A row hashed the fast way, as `verify` takes it without a `Stored` around it: position,
#: stream, version, then its `Hashed` (chain hash, leaf, previous_hash, member state).
HashedRow = tuple[int, str, int, str, bytes, str | None, str | None]


def verify(stored: Iterable[Stored | HashedRow], witness: Sequence[Witness] = (),
           saved: SavedDigest | None = None,
           record_at: Callable[[int | None], Any] | None = None,
           tree: Tree | None = None) -> Report:
    """Check rows given in global order (or one stream's rows in version order) against the
    hash table's rows and a saved digest; problems come first-bad-event first. A plain tuple
    is a `HashedRow`, whose covered bytes `record_at` reads again if need be. `tree`: the hash
    table's leaves and their perfect subtrees (`subtree_levels`), computed once for this check
    and the subtree store's (the store's root is taken from them when its leaves are the same)."""
    rows: list[Row] = []
    ordered: list[bytes] = []  # the leaves, in the order given
    problems: list[Problem] = []
    count = 0
    counts: dict[str, int] = {}
    states: dict[str, str] = {}
    add_row, add_leaf, load = rows.append, ordered.append, record_at or _unreadable
    for item in stored:
        count += 1
        if type(item) is tuple:  # the fast path's row: as little work per row as can be
            position, stream, version, chain, leaf, previous, state = \
                item  # type: ignore[misc]  # a HashedRow (a Stored is a tuple subclass)
            counts[stream] = counts.get(stream, 0) + 1
            if state is not None and stream not in states:
                states[stream] = state
            add_row(Row(position, stream, version, chain, previous, load))
            add_leaf(leaf)
            continue
        assert isinstance(item, Stored)
        counts[item.stream] = counts.get(item.stream, 0) + 1
        if item.hashed is not None and item.record is not None:
            chain, leaf, previous, state = item.hashed
            if state is not None and item.stream not in states:
                states[item.stream] = state
            rows.append(Row(item.position, item.stream, item.version, chain, previous,
                            item.record))
            ordered.append(leaf)
            continue
        state = getattr(item.event, "member_state", None)
        if isinstance(state, str) and item.stream not in states:
            states[item.stream] = state
        try:
            if item.event is None:
                raise ValueError(item.error or "not decodable")
            row, leaf = _row(item)
            rows.append(row)
            ordered.append(leaf)
        except Exception as error:  # a row the ledger cannot read is itself a finding
            problems.append(Problem(item.position, item.stream, item.version, UNDECODABLE,
                                    str(item.error or error)))
    leaves = dict(zip([row.position for row in rows], ordered, strict=True))
    table = against_table(rows, leaves, witness, {p.position for p in problems})
    proven = range(0)
    if saved is not None and store_matches(ordered, saved) and saved.size:
        proven = range(rows[0].position or 0, (rows[saved.size - 1].position or 0) + 1)
    skip = {p.stream for p in problems}
    seen = {(w.stream, w.version): w.position for w in witness}
    streams: dict[str, list[Row]] = {}
    for row in rows:
        streams.setdefault(row.stream, []).append(row)
    for stream, its in streams.items():
        found = None if stream in skip else check_stream(its, partial(_seen_at, seen, stream))
        witnessed = table.pop(stream, [])
        if found is not None and refuted(found, leaves, witness) and witnessed:
            found = None
        problems += [found] if found is not None else [blame_table(p, proven) for p in witnessed]
    problems += [blame_table(p, proven) for rest in table.values() for p in rest]
    problems += against_digest(ordered, witness, saved)
    problems.sort(key=lambda p: (p.position is None, p.position or 0))
    same = tree is not None and tree.leaves == ordered
    top = (root_of_levels(tree.levels, len(ordered)) if same and tree is not None
           else root(ordered))
    return Report(count, len(ordered), top.hex(), tuple(problems), counts, states)


class Tree(NamedTuple):
    """The hash table's leaves in position order and their perfect subtrees."""

    leaves: list[bytes]
    levels: list[list[bytes]]


def _unreadable(position: int | None) -> Any:
    raise LookupError(f"no way to read the row at position {position} again")


def _seen_at(seen: dict[tuple[str, int], int], stream: str, version: int) -> int | None:
    return seen.get((stream, version))
