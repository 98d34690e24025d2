"""`verify` of a whole log in one pass and flat memory, for the common case: nothing is wrong.

`ledger.verification.verify` keeps every row, leaf and hash-table row to explain a problem;
on a log of millions of events that is gigabytes. Here the stored rows come a batch at a time,
in position order; each batch is checked against the hash table's rows of the same positions
and the stored perfect subtrees (`ledger.subtrees`) it completes, fetched for the batch. Only
each stream's tail (last version, last chain hash, whether its chain has started) and the
Merkle frontier (one node per level) are kept between batches.

It only says "valid": at the first sign of any problem it returns None, and the caller runs
the full check, whose report names and explains the problems (problems are rare; explaining
one needs the rows around it). So its report, when it gives one, is the one the full check
would give: every condition below is one under which the full check finds no problem.

Per row, only the chain (streams interleave) is checked in a Python loop; the comparisons with
the hash table and the stored subtrees are list equalities over the batch, and the Merkle
levels are built per batch by comprehensions (the node rule is `ledger.proofs.node_hash`:
SHA-256 of 0x01 + left + right, written inline here as in `proofs.root`, a call per node
costing as much as the hash; tests compare the roots with the full check's).
A batch may also come as `Checked`: a range of rows whose chains a worker process checked
within the range (`checked_range`), given as each stream's first and last row there, the
leaves in one buffer and the member states found; here it is joined to the streams' tails
and compared with the hash table and the stored subtrees as the rows would be, in C-level
comparisons over the whole batch. A range with anything unusual comes as rows instead.
No I/O: the caller fetches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from typing import Any, NamedTuple

from ledger.proofs import root
from ledger.verification import HashedRow, Report, SavedDigest, Stored, row_of

#: `leaves(after, upto)`: the hash table's (position, leaf hash in hex) with after < position
#: <= upto, in position order.
Leaves = Callable[[int, int], list[tuple[int, str]]]
#: `nodes(level, lo, hi)`: the stored subtrees of `level` with lo <= index < hi in index order,
#: as (index, hash in hex, its leaf's position) on level 0 and (index, hash in hex) above.
Nodes = Callable[[int, int, int], list[tuple[Any, ...]]]
#: `joined_leaves(after, upto)`: how many rows the hash table holds with after < position <=
#: upto, and their leaf hashes in hex joined by "," in position order (one value per batch
#: instead of a tuple per row: what `leaves` answers, where the batch's positions are exactly
#: after + 1 .. upto).
JoinedLeaves = Callable[[int, int], tuple[int, str]]
#: `joined_nodes(level, lo, hi, shift)`: how many stored subtrees of `level` have lo <= index <
#: hi, their hashes in hex joined by "," in index order, and (`shift` not None: level 0) how
#: many of them have position index + shift (what `nodes` answers, as counts and one string).
JoinedNodes = Callable[[int, int, int, int | None], tuple[int, str, int]]

class Subtrees(NamedTuple):
    """What a worker checked of a `Checked` range of consecutive positions against the hash
    table and the stored subtrees (`range_subtrees`), taking its first row as leaf `start` (as
    it is when every position before it holds a row), with `top` and `size` as the caller gave
    them: the hash table's rows it matched, the stored subtrees it compared, and the perfect
    subtrees its leaves make, the largest first (level, node)."""

    start: int
    top: int
    size: int
    matched: int
    checked: int
    roots: list[tuple[int, bytes]]


class Checked:
    """Rows of a range checked by `checked_range`: their positions (increasing), their leaves
    joined (32 bytes each), per stream in order of its first row here (stream, first version,
    first previous_hash, last version, last chain hash, whether the last names a predecessor),
    and (stream, member state) for each stream's first row here that names one, in row order;
    `tree`: what a worker checked of the range besides (None: nothing); `uncertain`: streams
    whose rows here were not parsed for a member state on the assumption that an earlier
    range named one (`ledger.range_check.checked_rows`: the caller checks it)."""

    __slots__ = ("positions", "leaves", "streams", "states", "tree", "uncertain")

    def __init__(self, positions: Sequence[int], leaves: bytes,
                 streams: list[tuple[str, int, Any, int, str, bool]],
                 states: list[tuple[str, str]], tree: Subtrees | None = None) -> None:
        self.positions = positions
        self.leaves = leaves
        self.streams = streams
        self.states = states
        self.tree = tree
        self.uncertain: list[str] = []

    def __len__(self) -> int:
        return len(self.positions)


def range_subtrees(positions: Sequence[int], leaves: list[bytes], top: int, size: int,
                   joined_leaves: JoinedLeaves, joined_nodes: JoinedNodes) -> Subtrees | None:
    """The checks `verify_streamed` makes of a batch of consecutive positions against the hash
    table and the stored subtrees, made here (by a worker) on the assumption that the batch's
    first row is leaf `positions[0] - 1` (the caller checks it is): the table's rows of its
    positions up to `top` hold its leaves, the stored leaves and subtrees (those `size` leaves
    cover) within it are the ones its leaves make. None: one differs, or the batch is not
    aligned to the subtrees within it (its first leaf a multiple of the power of two that
    holds it: then only the caller can build its levels)."""
    count = len(positions)
    start = positions[0] - 1 if count else -1
    if count == 0 or type(positions) is not range or positions.step != 1 or \
            start % (1 << (count - 1).bit_length()):
        return None
    hexed = b"".join(leaves).hex(",", 32)
    k = max(0, min(count, top - start))  # the positions the table must hold
    if k and joined_leaves(start, start + k) != (k, hexed[:65 * k - 1]):
        return None
    checked = 0
    m = min(count, size - start) if start < size else 0
    if m:
        if m > k or joined_nodes(0, start, start + m, 1) != (m, hexed[:65 * m - 1], m):
            return None
        checked += m
    levels = [leaves]
    level, cur, first = 0, leaves, start
    while len(cur) > 1:
        cur = _parents(cur)
        level += 1
        first >>= 1
        levels.append(cur)
        hi = min(first + len(cur), size >> level)
        if hi > first:
            count_found, joined, _ = joined_nodes(level, first, hi, None)
            if count_found != hi - first or joined != b"".join(cur[:hi - first]).hex(",", 32):
                return None
            checked += hi - first
    roots = [(at, nodes[-1]) for at, nodes in reversed(list(enumerate(levels)))
             if (count >> at) & 1]
    return Subtrees(start, top, size, k, checked, roots)


def _parents(nodes: list[bytes]) -> list[bytes]:
    """The nodes one level up (`ledger.proofs.node_hash` of each pair; an odd last node has
    none), each step over the whole level in C: a comprehension's Python per node cost as
    much as its hash."""
    pairs = iter(nodes)
    return list(map(_DIGEST, map(hashlib.sha256, map(
        b"".join, zip(repeat(b"\x01"), pairs, pairs, strict=False)))))


_DIGEST = type(hashlib.sha256()).digest


def checked_range(rows: list[tuple[Any, ...]]) -> Checked | None:
    """`rows` (hashed rows, `HashedRow` tuples, in position order) as a `Checked`, with each
    stream's chain checked from its first row here on; None: a row left to decoding, positions
    not increasing, or a chain that breaks here (the rows themselves go to the check)."""
    if not rows or not all(len(row) == 7 for row in rows):
        return None
    positions = [row[0] for row in rows]
    if None in positions:
        return None
    if any(a >= b for a, b in zip(positions, positions[1:], strict=False)):
        return None
    first, end = positions[0], positions[-1]
    if end - first == len(positions) - 1:  # no gap: sent as a range
        positions = range(first, end + 1)  # type: ignore[assignment]
    firsts: dict[str, tuple[int, Any]] = {}
    tails: dict[str, tuple[int, str, bool]] = {}
    states: dict[str, str] = {}
    get = tails.get
    for _, stream, version, chain, _, previous, state in rows:
        tail = get(stream)
        if tail is None:
            firsts[stream] = (version, previous)
        elif version != tail[0] + 1:
            return None
        elif previous is None:
            if tail[2]:
                return None
        elif previous != tail[1]:
            return None
        tails[stream] = (version, chain, previous is not None)
        if state is not None and stream not in states:
            states[stream] = state
    streams = [(stream, *firsts[stream], *tail) for stream, tail in tails.items()]
    return Checked(positions, b"".join([row[4] for row in rows]), streams,
                   list(states.items()))


def verify_streamed(batches: Iterable[list[Stored | HashedRow] | Checked], leaves: Leaves,
                    top: int, saved: SavedDigest | None, size: int, nodes: Nodes,
                    node_count: int, joined_leaves: JoinedLeaves | None = None,
                    joined_nodes: JoinedNodes | None = None) -> Report | None:
    """The report of a valid log, or None: something is wrong (run the full check).

    `batches`: every stored row in position order (as `verify` takes them), in lists; `top`:
    the hash table's last position; `size`: the leaves the stored subtrees cover and
    `node_count` how many stored subtrees there are in all; `joined_leaves`, `joined_nodes`:
    the same comparisons as one string per batch (uniqueness of positions and indexes makes
    a count and the joined hashes equal to the lists), used where the batch's positions are
    consecutive from the last one seen."""
    tails: dict[str, tuple[int, str, bool]] = {}
    states: dict[str, str] = {}
    carry: list[bytes | None] = []  # the frontier: level l holds a node iff bit l of n is set
    checked = matched = n = 0
    last = 0  # the last position seen
    want = saved.size if saved is not None else -1
    if want == 0 and saved is not None and root([]).hex() != saved.root:
        return None

    def grow(start: int, new: list[bytes], level: int = 0) -> bool:
        """Appends nodes `new` of `level` (the first of index `start`; leaves on level 0) to
        the frontier, which holds none below `level`; False: a stored subtree they complete
        differs."""
        nonlocal checked
        cur = new
        while cur:
            while level >= len(carry):
                carry.append(None)
            odd = carry[level]
            if odd is not None:  # the frontier's node of this level is the left of a pair
                cur = [odd, *cur]
                start -= 1
            carry[level] = cur[-1] if len(cur) & 1 else None
            cur = _parents(cur)
            level += 1
            start >>= 1
            hi = min(start + len(cur), size >> level)
            if hi > start:
                if joined_nodes is not None:
                    count, joined, _ = joined_nodes(level, start, hi, None)
                    if count != hi - start or joined != b"".join(cur[:hi - start]).hex(",", 32):
                        return False
                else:
                    hexes = [x.hex() for x in cur[:hi - start]]
                    if nodes(level, start, hi) != list(zip(range(start, hi), hexes,
                                                           strict=True)):
                        return False
                checked += hi - start
        return True

    for batch in batches:
        if not batch:
            continue
        if isinstance(batch, Checked):
            tree = batch.tree
            if tree is not None and (
                    tree.start != n or last != n or batch.positions[0] != n + 1 or
                    tree.top != top or tree.size != size or n < want <= n + len(batch) or
                    sum(1 << level for level, _ in tree.roots) != len(batch)):
                tree = None  # not what the worker took it for: checked here instead
            # each stream's chain joined to its tail (checked within the range by the worker)
            get = tails.get
            for stream, version, previous, at, chain, started in batch.streams:
                joined = get(stream)
                if joined is None:
                    if version != 1 or previous is not None:
                        return None
                elif version != joined[0] + 1:
                    return None
                elif previous is None:
                    if joined[2]:
                        return None
                elif previous != joined[1]:
                    return None
                tails[stream] = (at, chain, started)
            for stream, state in batch.states:
                if stream not in states:
                    states[stream] = state
            if tree is not None:
                # a worker matched the table and the stored subtrees within the range: its
                # perfect subtrees join the frontier (`range_subtrees`)
                matched += tree.matched
                checked += tree.checked
                for level, node in tree.roots:
                    if not grow(n >> level, [node], level):
                        return None
                    n += 1 << level
                last = batch.positions[-1]
                continue
            positions = batch.positions
            blob = batch.leaves
            if positions[0] <= last:
                return None
            end = positions[-1]
            k = len(positions) if end <= top else sum(1 for p in positions if p <= top)
            hexed = blob[:32 * k].hex(",", 32)
        else:
            rows: list[Any] = batch
            if not all(type(item) is tuple for item in batch):  # a HashedRow; a Stored is not
                rows = []
                for item in batch:
                    found = item if type(item) is tuple else row_of(item)  # type: ignore[arg-type]
                    if found is None:
                        return None
                    rows.append(found)
            # the chain: versions 1, 2, ... in log order, each naming its predecessor's hash once
            # the stream's chain has started (`chain_check._break`)
            get = tails.get
            for _, stream, version, chain, _, previous, state in rows:
                tail = get(stream)
                if tail is None:
                    if version != 1 or previous is not None:
                        return None
                    tails[stream] = (1, chain, False)
                    if state is not None and stream not in states:
                        states[stream] = state
                    continue
                if version != tail[0] + 1:
                    return None
                if previous is None:
                    if tail[2]:
                        return None
                    tails[stream] = (version, chain, False)
                elif previous != tail[1]:
                    return None
                else:
                    tails[stream] = (version, chain, True)
                if state is not None and stream not in states:
                    states[stream] = state
            # the hash table: a row at every position it holds (none past `top`), with its leaf
            positions = [row[0] for row in rows]
            if None in positions or positions[0] <= last:
                return None
            end = positions[-1]
            if end - positions[0] != len(positions) - 1 and \
                    any(a >= b for a, b in zip(positions, positions[1:], strict=False)):
                return None  # not in position order
            k = len(rows) if end <= top else sum(1 for p in positions if p <= top)
            hexed = ",".join([row[4].hex() for row in rows[:k]])
            blob = None
        upto = min(end, top)
        # consecutive from the last position seen: a count and one string compare as the lists
        expected = range(last + 1, upto + 1)  # (a `Checked`'s positions may be a range)
        consecutive = upto == last + k and positions[:k] == (
            expected if type(positions) is range else list(expected))
        if joined_leaves is not None and consecutive:
            if joined_leaves(last, upto) != (k, hexed):
                return None
        elif leaves(last, upto) != list(zip(positions[:k], hexed.split(",") if k else [],
                                            strict=True)):
            return None
        matched += k
        last = end
        # the stored leaves (level 0), the frontier and the subtrees it completes
        m = min(len(positions), size - n) if n < size else 0
        if m:
            if m > k:
                return None
            if consecutive and joined_nodes is not None:
                if joined_nodes(0, n, n + m, positions[0] - n) != (m, hexed[:65 * m - 1], m):
                    return None
            elif nodes(0, n, n + m) != list(zip(range(n, n + m), hexed.split(",")[:m],
                                               positions[:m], strict=True)):
                return None
            checked += m
        new = [row[4] for row in rows] if blob is None else \
            [blob[i:i + 32] for i in range(0, len(blob), 32)]
        if n < want <= n + len(new):  # the saved digest's size falls in this batch
            cut = want - n
            if not grow(n, new[:cut]) or _fold(carry).hex() != saved.root:  # type: ignore
                return None
            new, n = new[cut:], want
        if not grow(n, new):
            return None
        n += len(new)
    if (last < top and leaves(last, top)) or matched < size or want > n or \
            checked != node_count:
        return None
    top_hash = _fold(carry) if n else root([])
    counts = {stream: tail[0] for stream, tail in tails.items()}
    return Report(n, n, top_hash.hex(), (), counts, states)


def _fold(carry: list[bytes | None]) -> bytes:
    """The root from the frontier's perfect subtrees, the smallest folded into each larger one
    (RFC 6962's split: largest first, folded from the right)."""
    value: bytes | None = None
    for node in carry:
        if node is not None:
            value = node if value is None else hashlib.sha256(b"\x01" + node + value).digest()
    assert value is not None  # called with n > 0
    return value
