"""The hash table's leaves and the stored subtrees of a range as one count and one string each.

`verify`'s one-pass check (`ledger.streamed_check`) compares a batch's leaves with the hash
table's and the stored subtrees': read as a tuple per row, that cost more than the comparison.
Here each is one row: how many rows the range holds and their hashes joined by "," in order.
Used by the calling process and by `verify`'s workers over a connection of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: `query(sql, params)`: the rows as plain tuples (`?` placeholders).
Query = Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]


class JoinedReads:
    def __init__(self, query: Query, dialect: str) -> None:
        self.query = query
        self.dialect = dialect

    def _joined(self, column: str, order: str, where: str, extra: str = "") -> str:
        """SELECT COUNT(*), `column` joined by "," in `order` order[, `extra`] FROM rows
        `where`: one row per batch instead of a tuple per row (PostgreSQL orders the aggregate;
        SQLite 3.40 has no ORDER BY in group_concat but joins in the order it scans the rows,
        here the primary key's index over `where`'s range, which is `order`'s order; a
        different order would only send `verify` to its full check. A subquery ordering them
        cost SQLite as much again as the scan)."""
        if self.dialect == "postgres":
            return (f"SELECT COUNT(*), COALESCE(string_agg({column}, ',' ORDER BY {order}), '')"
                    f"{extra} {where}")
        return f"SELECT COUNT(*), COALESCE(group_concat({column}, ','), ''){extra} {where}"

    def leaves(self, after: int, upto: int) -> tuple[int, str]:
        """`ledger.streamed_check.JoinedLeaves`."""
        if upto <= after:
            return 0, ""
        count, joined = self.query(self._joined(
            "leaf_hash", "position", "FROM event_hashes WHERE position > ? AND position <= ?"),
            (after, upto))[0]
        return count, joined

    def nodes(self, level: int, lo: int, hi: int, shift: int | None) -> tuple[int, str, int]:
        """`ledger.streamed_check.JoinedNodes`."""
        where = "FROM merkle_nodes WHERE level = ? AND idx >= ? AND idx < ?"
        if shift is None:
            count, joined = self.query(self._joined("hash", "idx", where), (level, lo, hi))[0]
            return count, joined, 0
        # (the extra column comes before the WHERE in both dialects' statements)
        count, joined, matching = self.query(self._joined(
            "hash", "idx", where,
            ", COALESCE(SUM(CASE WHEN position = idx + ? THEN 1 ELSE 0 END), 0)"),
            (shift, level, lo, hi))[0]
        return count, joined, int(matching)
