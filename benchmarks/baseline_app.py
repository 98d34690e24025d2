"""The benchmark's server: the real application plus plain Starlette JSON endpoints that read the
same rows from the same database, as the baseline GraphQL is measured against, and one that
writes: `/raw/append` INSERTs one event-shaped row (stream, version, topic, state) into a table
of its own in the same database and commits it, as a mutation's floor."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import uuid
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pact_ledger.security import SecuritySettings
from pact_ledger.server import create_app
from pact_ledger.settings import Settings
from pact_ledger.wiring import build


def create_bench_app():  # type: ignore[no-untyped-def]
    container = build(Settings.from_env())
    app = create_app(container, SecuritySettings.from_env())  # keys and limits from the env
    queries = container.reads.cases

    def _json(rows: list) -> Response:
        return Response(orjson.dumps([dict(r) for r in rows]), media_type="application/json")

    async def raw_cases(request: Request) -> Response:
        from projections.queries import CaseFilter

        rows = await asyncio.to_thread(queries.cases, CaseFilter(), 20, None)
        return _json(rows[:20])

    async def raw_timeline(request: Request) -> Response:
        rows = await asyncio.to_thread(queries.timeline, request.path_params["case_id"])
        return _json(rows)

    append = _raw_append(container.settings)

    async def raw_append(request: Request) -> Response:
        body = await request.body()
        position = await asyncio.to_thread(append, body)
        return Response(orjson.dumps({"position": position}), media_type="application/json")
    async def raw_cases_person(request: Request) -> Response:
        """The same page with each case's personal data opened, after one access-log row per
        case is written (the duty the GraphQL page with `person` has)."""
        from datetime import UTC, datetime

        from projections.personal_data_log import Access
        from projections.queries import CaseFilter

        rows = (await asyncio.to_thread(queries.cases, CaseFilter(), 20, None))[:20]
        ids = [r["case_id"] for r in rows]
        views = await asyncio.to_thread(container.personal.views, ids)
        now = datetime.now(UTC)
        await asyncio.to_thread(container.access_log.append, [Access(
            at=now, subject="bench", role="CASE_WORKER", authority="Benchmark",
            member_state="IT", case_id=r["case_id"], case_member_state=r["member_state"],
            fields=("familyName", "givenNames"), via="raw") for r in rows])
        out = []
        for r in rows:
            view = views.get(r["case_id"])
            details = view.details if view is not None else None
            out.append({**dict(r), "family_name": details.family_name if details else None,
                        "given_names": details.given_names if details else None})
        return Response(orjson.dumps(out, default=str), media_type="application/json")

    app.router.routes.extend([
        Route("/raw/cases", raw_cases),
        Route("/raw/cases-person", raw_cases_person),
        Route("/raw/timeline/{case_id}", raw_timeline),
        Route("/raw/append", raw_append, methods=["POST"]),
    ])
    return app


_TABLE = ("CREATE TABLE IF NOT EXISTS bench_raw_append (id {serial} PRIMARY KEY, "
          "stream TEXT NOT NULL, version INTEGER NOT NULL, topic TEXT NOT NULL, "
          "state {blob} NOT NULL, UNIQUE (stream, version))")


def _raw_append(settings: Any) -> Any:
    """One INSERT + COMMIT per call, on the ledger's backend with the event store's durability
    (SQLite: WAL, synchronous=FULL)."""
    if settings.backend == "sqlite":
        local = threading.local()

        def conn() -> sqlite3.Connection:
            if getattr(local, "conn", None) is None:
                local.conn = sqlite3.connect(settings.sqlite_path, timeout=30,
                                             isolation_level=None)
                local.conn.execute("PRAGMA synchronous=FULL")
                local.conn.execute(_TABLE.format(serial="INTEGER", blob="BLOB"))
            return local.conn  # type: ignore[no-any-return]

        def append_sqlite(body: bytes) -> int:
            c = conn()
            c.execute("BEGIN IMMEDIATE")
            cur = c.execute("INSERT INTO bench_raw_append (stream, version, topic, state) "
                            "VALUES (?, 1, 'raw', ?)", (str(uuid.uuid4()), body))
            c.execute("COMMIT")
            return int(cur.lastrowid or 0)
        return append_sqlite

    from psycopg_pool import ConnectionPool

    pool = ConnectionPool(settings.postgres_url, min_size=2, max_size=8, open=True)
    with pool.connection() as c:
        c.execute(_TABLE.format(serial="BIGSERIAL", blob="BYTEA"))

    def append_pg(body: bytes) -> int:
        with pool.connection() as c:
            row = c.execute("INSERT INTO bench_raw_append (stream, version, topic, state) "
                            "VALUES (%s, 1, 'raw', %s) RETURNING id",
                            (str(uuid.uuid4()), body)).fetchone()
            return int(row[0]) if row else 0
    return append_pg
