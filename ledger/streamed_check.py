"""`verify` of a whole log in one pass and flat memory, for the common case: nothing is wrong.

`ledger.verification.verify` keeps every row, leaf and hash-table row to explain a problem;
on a log of millions of events that is gigabytes. Here the stored rows and the hash table's
rows come in position order and are merged as they come; only each stream's tail (last
version, last chain hash, whether its chain has started) and the Merkle frontier (O(log n)
perfect subtrees) are kept, and the perfect subtrees the frontier completes are compared with
the stored ones (`ledger.subtrees`) level by level as they complete.

It only says "valid": at the first sign of any problem it returns None, and the caller runs
the full check, whose report names and explains the problems (problems are rare; explaining
one needs the rows around it). So its report, when it gives one, is the one the full check
would give: every condition below is one under which the full check finds no problem.
No I/O: the caller streams the rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator

from ledger.proofs import root
from ledger.verification import HashedRow, Report, SavedDigest, Stored, row_of

#: After the hash table's last row.
_END = (1 << 62, "")

#: A stored subtree as (index, hash in hex, its leaf's position), one level in index order.
Node = tuple[int, str, int | None]


def verify_streamed(rows: Iterable[Stored | HashedRow], witness: Iterator[tuple[int, str]],
                    top: int, saved: SavedDigest | None, size: int,
                    nodes: Callable[[int], Iterator[Node]], node_count: int) -> Report | None:
    """The report of a valid log, or None: something is wrong (run the full check).

    `rows`: every stored row in position order (as `verify` takes them); `witness`: the hash
    table's (position, leaf hash in hex) in position order, up to position `top`; `size`: the
    leaves the stored subtrees cover, `nodes(level)` their nodes of a level in index order and
    `node_count` how many there are in all."""
    sha256 = hashlib.sha256
    tails: dict[str, tuple[int, str, bool]] = {}
    states: dict[str, str] = {}
    frontier: list[bytes] = []
    levels: list[Iterator[Node]] = []
    wpos, wleaf = next(witness, _END)
    matched = checked = n = 0
    want = saved.size if saved is not None else -1
    if want == 0 and saved is not None and root([]).hex() != saved.root:
        return None
    for item in rows:
        if type(item) is tuple:
            position, stream, version, chain, leaf, previous, state = \
                item  # type: ignore[misc]  # a HashedRow (a Stored is a tuple subclass)
        else:
            found = row_of(item)  # type: ignore[arg-type]
            if found is None:
                return None
            position, stream, version, chain, leaf, previous, state = found
        # the chain: versions 1, 2, ... in log order, each naming its predecessor's hash once
        # the stream's chain has started (`chain_check._break`)
        tail = tails.get(stream)
        if tail is None:
            if version != 1 or previous is not None:
                return None
            tails[stream] = (1, chain, False)
        else:
            last, last_chain, chained = tail
            if version != last + 1:
                return None
            if previous is None:
                if chained:
                    return None
            elif previous != last_chain:
                return None
            else:
                chained = True
            tails[stream] = (version, chain, chained)
        if state is not None and stream not in states:
            states[stream] = state
        # the hash table: a row at every position it holds, up to its last, with its leaf
        if position != wpos:
            if position is None or position <= top or wpos <= top:
                return None
            hexleaf = None
        else:
            hexleaf = leaf.hex()
            if hexleaf != wleaf:
                return None
            matched += 1
            wpos, wleaf = next(witness, _END)
        # the frontier, and the stored subtrees it completes
        index = n
        if index < size:
            if hexleaf is None:
                return None
            if not levels:
                levels.append(nodes(0))
            if next(levels[0], None) != (index, hexleaf, position):
                return None
            checked += 1
        node, level = leaf, 0
        while index & 1:
            node = sha256(b"\x01" + frontier.pop() + node).digest()
            level += 1
            index >>= 1
            if index < size >> level:
                while len(levels) <= level:
                    levels.append(nodes(len(levels)))
                found_node = next(levels[level], None)
                if found_node is None or found_node[0] != index or \
                        found_node[1] != node.hex():
                    return None
                checked += 1
        frontier.append(node)
        n += 1
        if n == want and _fold(frontier).hex() != saved.root:  # type: ignore[union-attr]
            return None
    if wpos != _END[0] or matched < size or want > n or checked != node_count:
        return None
    top_hash = _fold(frontier) if frontier else root([])
    counts = {stream: tail[0] for stream, tail in tails.items()}
    return Report(n, n, top_hash.hex(), (), counts, states)


def _fold(frontier: list[bytes]) -> bytes:
    """The root from the frontier's perfect subtrees, largest first, folded from the right."""
    value = frontier[-1]
    for left in reversed(frontier[:-1]):
        value = hashlib.sha256(b"\x01" + left + value).digest()
    return value
