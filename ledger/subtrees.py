"""The RFC 6962 tree from stored perfect subtrees: roots and proofs in O(log n) nodes, not n leaves.

Every node the RFC's recursion needs is either a *perfect* subtree (2**level leaves starting at
index * 2**level: the split always falls on such a boundary) or lies on the right edge of the
tree and is hashed from two such nodes. So a store of perfect subtree hashes keyed (level,
index), level 0 being the leaves, gives the same root and the same proofs as `ledger.proofs` over
all leaves, reading only the O(log n) nodes named by `needed`. No I/O: the caller fetches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from ledger.proofs import _split, node_hash, root

Key = tuple[int, int]  # (level, index): leaves index * 2**level .. (index + 1) * 2**level - 1
Get = Callable[[int, int], bytes]


def _is_power_of_two(n: int) -> bool:
    return n & (n - 1) == 0


def _mth(get: Get, lo: int, hi: int) -> bytes:
    n = hi - lo
    if _is_power_of_two(n):
        level = n.bit_length() - 1
        return get(level, lo >> level)  # lo is a multiple of n here (see the module docstring)
    k = _split(n)
    return node_hash(_mth(get, lo, lo + k), _mth(get, lo + k, hi))


def tree_root(get: Get, size: int) -> bytes:
    """The Merkle tree hash of the first `size` leaves; equal to `proofs.root(leaves[:size])`."""
    return _mth(get, 0, size) if size else root([])


def _path(get: Get, m: int, lo: int, hi: int) -> list[bytes]:
    if hi - lo == 1:
        return []
    k = _split(hi - lo)
    if m < k:
        return _path(get, m, lo, lo + k) + [_mth(get, lo + k, hi)]
    return _path(get, m - k, lo + k, hi) + [_mth(get, lo, lo + k)]


def inclusion_path(get: Get, index: int, size: int) -> list[bytes]:
    """Equal to `proofs.inclusion_proof(index, leaves[:size])`."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    return _path(get, index, 0, size)


def _subproof(get: Get, m: int, lo: int, hi: int, whole: bool) -> list[bytes]:
    n = hi - lo
    if m == n:
        return [] if whole else [_mth(get, lo, hi)]
    k = _split(n)
    if m <= k:
        return _subproof(get, m, lo, lo + k, whole) + [_mth(get, lo + k, hi)]
    return _subproof(get, m - k, lo + k, hi, False) + [_mth(get, lo, lo + k)]


def consistency_path(get: Get, m: int, size: int) -> list[bytes]:
    """Equal to `proofs.consistency_proof(m, leaves[:size])`."""
    if not 0 <= m <= size:
        raise ValueError(f"a tree of {size} has no prefix of {m}")
    return [] if m in (0, size) else _subproof(get, m, 0, size, True)


def needed(size: int, tail: Sequence[bytes], compute: Callable[[Get], object]) -> set[Key]:
    """The stored nodes `compute` reads over `with_tail(stored, size, tail)` (which ones does not
    depend on their values), so that the caller can fetch them in one query first."""
    keys: set[Key] = set()

    class _Recording(dict[Key, bytes]):
        def __missing__(self, key: Key) -> bytes:
            keys.add(key)
            return bytes(32)

    compute(with_tail(_Recording(), size, tail))
    return keys


def with_tail(stored: Mapping[Key, bytes], size: int, tail: Sequence[bytes]) -> Get:
    """Nodes of a tree whose first `size` leaves are in `stored` (every perfect subtree among
    them) and whose next leaves are `tail`: a store that is behind is extended, never trusted
    past its size."""
    memo: dict[Key, bytes] = {}

    def get(level: int, index: int) -> bytes:
        if (index + 1) << level <= size:
            return stored[level, index]
        if level == 0:
            return tail[index - size]
        if (level, index) not in memo:
            memo[level, index] = node_hash(get(level - 1, 2 * index), get(level - 1, 2 * index + 1))
        return memo[level, index]

    return get


def grown(size: int, leaves: Sequence[bytes], get: Get) -> list[tuple[int, int, bytes]]:
    """The perfect subtrees completed by appending `leaves` to a tree of `size` leaves (leaves
    included, as level 0), as (level, index, hash); `get` reads the ones stored before."""
    new: dict[Key, bytes] = {(0, size + i): leaf for i, leaf in enumerate(leaves)}
    total, level = size + len(leaves), 1
    while 1 << level <= total:
        # complete before: index < size >> level; complete now: index < total >> level
        for index in range(size >> level, total >> level):
            left, right = (level - 1, 2 * index), (level - 1, 2 * index + 1)
            new[level, index] = node_hash(new[left] if left in new else get(*left),
                                          new[right] if right in new else get(*right))
        level += 1
    return [(lv, ix, value) for (lv, ix), value in new.items()]


def all_subtrees(leaves: Sequence[bytes]) -> dict[Key, bytes]:
    """Every perfect subtree of `leaves`, computed from them: what a correct store holds."""
    return {(lv, ix): value for lv, ix, value in grown(0, leaves, lambda lv, ix: b"")}
