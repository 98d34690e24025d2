"""`projections.db.insert_rows` (PostgreSQL: COPY; SQLite: executemany) stores exactly the rows
a plain INSERT per row stores, whatever the text holds (COPY's own escapes: tabs, newlines,
backslashes, its null marker), and fails as a whole on a row that breaks a constraint."""

from __future__ import annotations

import pytest

from pact_ledger.wiring import Container
from projections.db import insert_rows

_DDL = ("CREATE TABLE IF NOT EXISTS insert_rows_check (seq BIGINT PRIMARY KEY, name TEXT, "
        "note TEXT, late BIGINT)")
_COLUMNS = ("seq", "name", "note", "late")
_ROWS = [
    (1, "plain", None, 0),
    (2, "tab\there, newline\nthere, return\rhere", "back\\slash \\N \\. end", 1),
    (3, "quotes ' \" and unicode: Ωμέγα ✓ \U0001f600", "", 2**62),
    (4, "\\N", "{\"json\":[1,2,\"x\\ty\"]}", -5),
]


def _table(container: Container) -> list[tuple[object, ...]]:
    rows = container.db.fetchall("SELECT * FROM insert_rows_check ORDER BY seq")
    return [tuple(r[c] for c in _COLUMNS) for r in rows]


def test_the_rows_read_back_as_given(container: Container) -> None:
    db = container.db
    with db.transaction() as tx:
        tx.execute(_DDL)
        insert_rows(tx, "insert_rows_check", _COLUMNS, _ROWS)
        insert_rows(tx, "insert_rows_check", _COLUMNS, [])  # (nothing: no statement at all)
    assert _table(container) == _ROWS


def test_a_row_that_breaks_a_constraint_fails_them_all(container: Container) -> None:
    db = container.db
    with db.transaction() as tx:
        tx.execute(_DDL)
        insert_rows(tx, "insert_rows_check", _COLUMNS, _ROWS[:1])
    with pytest.raises(Exception, match="(?i)unique|duplicate"), db.transaction() as tx:
        insert_rows(tx, "insert_rows_check", _COLUMNS, [_ROWS[1], _ROWS[0]])
    assert _table(container) == _ROWS[:1]
