"""The benchmark's server: the real application plus plain Starlette JSON endpoints that read the
same rows from the same database, as the baseline GraphQL is measured against."""

from __future__ import annotations

import asyncio

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
    ])
    return app
