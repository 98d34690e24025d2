"""`ledger.streamed_check` given its batches as rows or as `Checked` ranges (what worker
processes send): the same answer for a sound log cut anywhere, and for every way a chain can
break inside a range or across ranges, or a range can disagree with the hash table."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from ledger.proofs import root, subtree_levels
from ledger.streamed_check import Checked, checked_range, range_subtrees, verify_streamed
from ledger.verification import SavedDigest

Row = tuple[Any, ...]


def _log(streams: int = 5, events: int = 40) -> list[Row]:
    """A sound log of hashed rows: streams interleaved, each chain naming its predecessor from
    its second event on (the first three of stream s0 name none: a chain not started yet)."""
    rows: list[Row] = []
    tails: dict[str, tuple[int, str]] = {}
    for position in range(1, events + 1):
        stream = f"s{(position * 7) % streams}"
        version, chain = tails.get(stream, (0, ""))
        previous = None if version == 0 or (stream == "s0" and version < 3) else chain
        new = hashlib.sha256(b"%d" % position).hexdigest()
        leaf = hashlib.sha256(b"\x00%d" % position).digest()
        state = "IT" if version == 1 and stream != "s1" else None
        rows.append((position, stream, version + 1, new, leaf, previous, state))
        tails[stream] = (version + 1, new)
    return rows


class _Table:
    """The hash table and stored subtrees of `rows` (every leaf stored)."""

    def __init__(self, rows: list[Row]) -> None:
        self.leaf = [(row[0], row[4].hex()) for row in rows]
        self.levels = subtree_levels([row[4] for row in rows])
        self.positions = [row[0] for row in rows]

    def leaves(self, after: int, upto: int) -> list[tuple[int, str]]:
        return [(p, h) for p, h in self.leaf if after < p <= upto]

    def nodes(self, level: int, lo: int, hi: int) -> list[tuple[Any, ...]]:
        found = self.levels[level][lo:hi]
        if level == 0:
            return [(i, x.hex(), self.positions[i]) for i, x in enumerate(found, lo)]
        return [(i, x.hex()) for i, x in enumerate(found, lo)]

    def joined_leaves(self, after: int, upto: int) -> tuple[int, str]:
        found = self.leaves(after, upto)
        return len(found), ",".join(h for _, h in found)

    def joined_nodes(self, level: int, lo: int, hi: int, shift: int | None
                     ) -> tuple[int, str, int]:
        found = self.nodes(level, lo, hi)
        same = 0 if shift is None else sum(1 for i, _, p in found if p == i + shift)
        return len(found), ",".join(row[1] for row in found), same

    def check(self, batches: list[Any]) -> Any:
        """The answer with the lists and (the same, asserted) with the joined strings."""
        size = len(self.leaf)
        count = sum(len(level) for level in self.levels) if size else 0
        top = self.leaf[-1][0] if size else 0
        listed = verify_streamed(iter(batches), self.leaves, top, None, size, self.nodes, count)
        joined = verify_streamed(iter(batches), self.leaves, top, None, size, self.nodes, count,
                                 self.joined_leaves, self.joined_nodes)
        assert joined == listed
        return joined


def _cut(rows: list[Row], every: int, checked: bool) -> list[Any]:
    batches = [rows[at:at + every] for at in range(0, len(rows), every)]
    if not checked:
        return batches
    found = [checked_range(batch) for batch in batches]
    assert all(type(batch) is Checked for batch in found)
    return found


@pytest.mark.parametrize("every", [1, 3, 7, 40])
def test_checked_ranges_give_the_rows_report(every: int) -> None:
    rows = _log()
    table = _Table(rows)
    report = table.check(_cut(rows, every, checked=False))
    assert report is not None and report.events_checked == 40
    assert report.root == root([row[4] for row in rows]).hex()
    both = table.check(_cut(rows, every, checked=True))
    assert both == report
    assert list(both.stream_counts) == list(report.stream_counts)  # the same order
    assert list(both.stream_states) == list(report.stream_states)
    mixed = [b if i % 2 else checked_range(b) for i, b in enumerate(_cut(rows, every, False))]
    assert table.check(mixed) == report


def test_a_range_with_a_gap_keeps_its_positions() -> None:
    rows = [row for row in _log() if row[0] != 5]
    rows = [(p, s, v, c, leaf, prev, st) for p, s, v, c, leaf, prev, st in rows]
    found = checked_range(rows[:10])
    assert found is not None and list(found.positions) == [1, 2, 3, 4, 6, 7, 8, 9, 10, 11]
    assert type(checked_range(_log()[:10]).positions) is range  # type: ignore[union-attr]


def _with(rows: list[Row], index: int, **change: Any) -> list[Row]:
    names = ("position", "stream", "version", "chain", "leaf", "previous", "state")
    row = dict(zip(names, rows[index], strict=True))
    row.update(change)
    return [*rows[:index], tuple(row.values()), *rows[index + 1:]]


def _second_of(rows: list[Row], stream: str, nth: int = 1) -> int:
    return [i for i, row in enumerate(rows) if row[1] == stream][nth]


def _shifted(rows: list[Row], stream: str, start: int) -> list[Row]:
    """The versions of `stream`'s rows from index `start` on, one higher."""
    return [(*row[:2], row[2] + 1, *row[3:]) if row[1] == stream and i >= start else row
            for i, row in enumerate(rows)]


@pytest.mark.parametrize("break_", [
    "version skipped", "previous differs", "previous missing once started",
    "first names a previous", "first not version 1"])
def test_a_chain_broken_inside_or_across_ranges_is_not_valid(break_: str) -> None:
    rows = _log()
    i = _second_of(rows, "s2", 3)
    first = _second_of(rows, "s3", 0)
    changed = {
        "version skipped": lambda: _shifted(rows, "s2", i),
        "previous differs": lambda: _with(rows, i, previous="00" * 32),
        "previous missing once started": lambda: _with(rows, i, previous=None),
        "first names a previous": lambda: _with(rows, first, previous="00" * 32),
        "first not version 1": lambda: _shifted(rows, "s3", first),
    }[break_]()
    table = _Table(changed)
    assert table.check(_cut(changed, 40, checked=False)) is None
    at = first if break_.startswith("first") else i
    whole = checked_range(changed)
    if break_.startswith("first"):  # a stream's first row here: for the join to check
        assert whole is not None and table.check([whole]) is None
    else:  # inside one range: the worker sends the rows instead
        assert whole is None
    # across ranges: cut just before the broken row, the join finds it
    found = [checked_range(changed[:at]), checked_range(changed[at:])]
    assert all(f is not None for f in found)
    assert table.check(found) is None


def test_a_chain_that_never_starts_after_one_has_is_not_valid_across_ranges() -> None:
    """s0 names no predecessor for its first three events, then does: one naming none after
    that is a break, though alone in its range it looks like a chain not started yet."""
    rows = _log()
    i = _second_of(rows, "s0", 4)
    changed = _with(rows, i, previous=None)
    assert changed[_second_of(rows, "s0", 3)][5] is not None
    assert changed[_second_of(rows, "s0", 2)][5] is None
    found = [checked_range(changed[:i]), checked_range(changed[i:])]
    assert all(f is not None for f in found)
    assert _Table(changed).check(found) is None


def test_rows_a_range_cannot_summarise_go_as_rows() -> None:
    rows = _log()
    assert checked_range([]) is None
    assert checked_range([*rows[:3], rows[3][:5]]) is None  # a row left to decoding
    assert checked_range(_with(rows, 2, position=None)[:5]) is None
    assert checked_range([rows[1], rows[0], *rows[2:5]]) is None  # not in position order
    assert checked_range([rows[0], rows[0]]) is None  # (a position twice)


@pytest.mark.parametrize("disagree", ["leaf", "position", "stored leaf", "stored node",
                                      "overlap", "stored node's position"])
def test_a_range_the_table_disagrees_with_is_not_valid(disagree: str) -> None:
    rows = _log()
    table = _Table(rows)
    batches = _cut(rows, 16, checked=True)
    if disagree == "leaf":
        table.leaf[20] = (table.leaf[20][0], "00" * 32)
    elif disagree == "position":
        table.leaf[20] = (table.leaf[20][0] + 100, table.leaf[20][1])
    elif disagree == "stored leaf":
        table.levels[0][20] = b"\x00" * 32
    elif disagree == "stored node":
        table.levels[2][3] = b"\x00" * 32
    elif disagree == "stored node's position":
        table.positions[20] += 1
    else:  # a range that starts at or before the last position seen
        batches = [batches[0], checked_range(rows[15:32]), batches[2]]
    assert table.check(batches) is None


def test_a_hash_table_behind_the_log() -> None:
    """The hash table ends inside a range (the log holds events it has not seen yet): the
    checked range gives the rows' answer; stored leaves past the table's rows are never valid."""
    rows = _log()
    table = _Table(rows[:30])
    for every in (7, 16, 40):
        report = table.check(_cut(rows, every, checked=False))
        assert report is not None and report.events_checked == 40
        assert table.check(_cut(rows, every, checked=True)) == report
    # a range that starts at or before the last position seen, past the table's rows too
    back = [(row[0] - 2, *row[1:]) for row in rows[35:]]
    assert table.check([checked_range(rows[:35]), checked_range(back)]) is None
    assert table.check([rows[:35], back]) is None
    ahead = _Table(rows)
    ahead.leaf = ahead.leaf[:25]  # fewer hash-table rows than stored leaves
    assert ahead.check(_cut(rows, 16, checked=False)) is None
    assert ahead.check(_cut(rows, 16, checked=True)) is None


def _with_trees(table: _Table, rows: list[Row], every: int, top: int, size: int) -> list[Any]:
    """Ranges of `every` rows as a worker sends them: each with what it matched of the table
    (`range_subtrees`) where it can."""
    batches = []
    for at in range(0, len(rows), every):
        found = checked_range(rows[at:at + every])
        assert found is not None
        found.tree = range_subtrees(found.positions, [row[4] for row in rows[at:at + every]],
                                    top, size, table.joined_leaves, table.joined_nodes)
        batches.append(found)
    return batches


@pytest.mark.parametrize("every", [1, 4, 8, 16, 7])
def test_ranges_a_worker_matched_with_the_table_give_the_same_answer(every: int) -> None:
    """A range whose table rows and stored subtrees a worker matched joins the frontier by
    its perfect subtrees (aligned ranges; 7 is not: the caller checks those itself), to the
    answer of the rows, also with a saved digest's size inside a range and a table behind."""
    rows = _log(events=45)
    table = _Table(rows)
    size, top = len(rows), rows[-1][0]
    count = sum(len(level) for level in table.levels)
    expected = table.check(_cut(rows, every, checked=False))
    batches = _with_trees(table, rows, every, top, size)
    # (ranges of 7 are aligned only from leaf 0)
    assert [b.tree is not None for b in batches] == \
        [True] + [every != 7] * (len(batches) - 1)
    assert verify_streamed(iter(batches), table.leaves, top, None, size, table.nodes, count,
                           table.joined_leaves, table.joined_nodes) == expected
    leaves = [row[4] for row in rows]
    for cut in (3, 8, 20, 45):
        saved = SavedDigest(cut, root(leaves[:cut]).hex())
        want = verify_streamed(iter(_cut(rows, every, checked=False)), table.leaves, top, saved,
                               size, table.nodes, count)
        assert want is not None
        assert verify_streamed(iter(_with_trees(table, rows, every, top, size)), table.leaves,
                               top, saved, size, table.nodes, count, table.joined_leaves,
                               table.joined_nodes) == want
    behind = _Table(rows[:30])
    behind_count = sum(len(level) for level in behind.levels)
    want = verify_streamed(iter(_cut(rows, every, checked=False)), behind.leaves, 30, None, 30,
                           behind.nodes, behind_count)
    assert want is not None
    assert verify_streamed(iter(_with_trees(behind, rows, every, 30, 30)), behind.leaves, 30,
                           None, 30, behind.nodes, behind_count, behind.joined_leaves,
                           behind.joined_nodes) == want


@pytest.mark.parametrize("disagree", ["leaf", "stored leaf", "stored node", "top"])
def test_a_range_a_worker_found_different_is_checked_by_the_caller(disagree: str) -> None:
    """A worker's range that disagrees with the table carries no tree (the caller checks it
    and finds the problem); a tree made for another `top` is not taken."""
    rows = _log(events=40)
    table = _Table(rows)
    size, top = len(rows), rows[-1][0]
    count = sum(len(level) for level in table.levels)
    if disagree == "leaf":
        table.leaf[20] = (table.leaf[20][0], "00" * 32)
    elif disagree == "stored leaf":
        table.levels[0][20] = b"\x00" * 32
    elif disagree == "stored node":
        table.levels[2][5] = b"\x00" * 32
    batches = _with_trees(table, rows, 8, top - 1 if disagree == "top" else top, size)
    if disagree == "top":
        assert batches[0].tree is not None and batches[0].tree.top == top - 1
        assert verify_streamed(iter(batches), table.leaves, top, None, size, table.nodes,
                               count) == table.check(_cut(rows, 8, checked=False))
        return
    assert batches[2].tree is None
    assert verify_streamed(iter(batches), table.leaves, top, None, size, table.nodes, count,
                           table.joined_leaves, table.joined_nodes) is None
