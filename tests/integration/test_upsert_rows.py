"""`projections.db.upsert_rows` leaves exactly the rows that a statement per row leaves
(`Upsert.statement` through `executemany`), whichever way it writes them: on PostgreSQL from
`COPY_UPSERT_FROM` rows by COPY into a temporary stage and one `INSERT ... SELECT ... ON
CONFLICT`, and row by row for a role that may not create temporary tables."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from pact_ledger.wiring import Container
from projections.db import COPY_UPSERT_FROM, PostgresDatabase, ReadDatabase, Upsert, upsert_rows
from tests.support.pgserver import TemporaryPostgres

_COLUMNS = ("case_id", "seq", "name", "note", "n", "flag")


def _ddl(table: str) -> str:
    return (f"CREATE TABLE IF NOT EXISTS {table} (case_id TEXT PRIMARY KEY, seq BIGINT NOT NULL, "
            "name TEXT, note TEXT, n BIGINT, flag INTEGER NOT NULL)")


def _upsert(table: str) -> Upsert:
    return Upsert(table, _COLUMNS, key=("case_id",), kept=("seq",))


def _rows(generation: int, count: int) -> list[tuple[Any, ...]]:
    """`count` rows whose text holds what COPY escapes (tabs, newlines, backslashes, its null
    marker), big and negative numbers; a later generation changes every column."""
    texts = ["plain", "tab\there\nnewline", "back\\slash \\N \\. end", "Ωμέγα ✓ \U0001f600",
             "", "quote ' \" done"]
    return [(f"case-{i:04d}", 1000 * generation + i, texts[(i + generation) % len(texts)],
             None if (i + generation) % 3 == 0 else f"note {generation}/{i}",
             (2**62 - i) if i % 2 else -i * generation, (i + generation) % 2)
            for i in range(count)]


def _table(db: ReadDatabase, table: str) -> list[tuple[Any, ...]]:
    return [tuple(r[c] for c in _COLUMNS)
            for r in db.fetchall(f"SELECT * FROM {table} ORDER BY case_id")]


def _both_ways(db: ReadDatabase, calls: Sequence[list[tuple[Any, ...]]]) -> None:
    """The same calls through `upsert_rows` and through a statement per row, each into its own
    table, one transaction per call; then the two tables are compared."""
    for table in ("upsert_by_rows", "upsert_by_statements"):
        with db.transaction() as tx:
            tx.execute(_ddl(table))
    for rows in calls:
        with db.transaction() as tx:
            upsert_rows(tx, _upsert("upsert_by_rows"), rows)
        with db.transaction() as tx:
            tx.executemany(_upsert("upsert_by_statements").statement, rows)
    assert _table(db, "upsert_by_rows") == _table(db, "upsert_by_statements")


def test_upserts_leave_the_rows_a_statement_per_row_leaves(container: Container) -> None:
    many = COPY_UPSERT_FROM * 3
    first, second = _rows(1, many), _rows(2, many)
    # Inserts; then updates of every row (seq kept from the first insert) beside new rows; a
    # key twice in one call (the last values win, the first seq stays); a call under the
    # threshold; nothing at all.
    repeated = (second[: many // 2] + [(r[0], r[1] + 7, "again", *r[3:]) for r in second[5:10]]
                + [("case-new", 1, "first", None, 1, 0), ("case-new", 2, "second", "x", 2, 1)])
    _both_ways(container.db, [first, second[10:] + _rows(3, many + 40)[many:], repeated,
                              _rows(4, 5), []])
    rows = _table(container.db, "upsert_by_rows")
    assert len(rows) == many + 41
    by_key = {r[0]: r for r in rows}
    assert by_key["case-0005"][1:3] == (1005, "again")  # seq of the first insert, last name
    assert by_key[f"case-{many + 39:04d}"][1] == 3000 + many + 39
    assert by_key["case-new"] == ("case-new", 1, "second", "x", 2, 1)  # a new key twice
    if container.db.dialect == "postgres":  # the large calls went through a stage
        assert _stages(container.db) >= 1


def test_a_role_that_may_not_create_temporary_tables_upserts_row_by_row(
        postgres: TemporaryPostgres) -> None:
    name = f"t_{uuid.uuid4().hex[:12]}"
    role = f"r_{uuid.uuid4().hex[:12]}"
    admin_url = postgres.create_database(name)
    admin = PostgresDatabase(admin_url)
    try:
        with admin.transaction() as tx:
            tx.execute(f"REVOKE TEMPORARY ON DATABASE {name} FROM PUBLIC")
            tx.execute(f"CREATE ROLE {role} LOGIN")
            tx.execute(f"GRANT CREATE, USAGE ON SCHEMA public TO {role}")
        db = PostgresDatabase(_as_role(admin_url, role))
        try:
            many = COPY_UPSERT_FROM * 2
            _both_ways(db, [_rows(1, many), _rows(2, many)])
            assert len(_table(db, "upsert_by_rows")) == many
            assert _stages(db) == 0
        finally:
            db.close()
    finally:
        admin.close()
        postgres.drop_database(name)
        server = PostgresDatabase(postgres.url())
        try:
            with server.transaction() as tx:
                tx.execute(f"DROP ROLE IF EXISTS {role}")
        finally:
            server.close()  # (a pool left to the collector warns from its own thread)


def _stages(db: ReadDatabase) -> int:
    """Temporary stages of `upsert_by_rows` in the database's open sessions."""
    row = db.fetchone("SELECT COUNT(*) AS n FROM pg_class WHERE relpersistence = 't' "
                      "AND starts_with(relname, 'upsert_upsert_by_rows_')")
    return int(row["n"]) if row else 0


def _as_role(url: str, role: str) -> str:
    """The same database as another user (the test server trusts local connections)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url)
    params["user"] = role
    params.pop("password", None)
    return make_conninfo(**params)
