"""Exports over HTTP, beside GraphQL: the same bearer tokens (or the login cookie for a browser),
the same scopes (`projections.scoped_exports`), personal data only for the roles that may read
it and logged before it is sent.

    GET /exports/cases.{csv|ndjson|json}?memberState=IT&status=DECIDED&personal=true
    GET /exports/cases/{id}/timeline.{csv|ndjson|json}
    GET /exports/cases/{id}/decision-trail.{csv|ndjson|json}
    GET /exports/cases/{id}/deadlines.{csv|ndjson|json}
    GET /exports/cases/{id}/proof-bundle.json      (check with python3 ledger/proofs.py verify)

A member state's cases stream (`StreamingResponse`, one batch of rows in memory at a time); the
checks (role, input) come first, so a refusal is a plain 4xx before any data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route, Router

from ledger.envelope import Actor
from ledger.errors import Forbidden
from ledger.vocabulary import CaseStatus, is_member_state
from pact_ledger.export_formats import FORMATS, MEDIA_TYPES, encode
from pact_ledger.wiring import Container
from projections.exports import (
    CASE_EXPORT_COLUMNS,
    CASE_PERSONAL_COLUMNS,
    DEADLINE_EXPORT_COLUMNS,
    TIMELINE_EXPORT_COLUMNS,
    TRAIL_EXPORT_COLUMNS,
    CaseSelection,
    ExportQueries,
)
from projections.scoped_exports import ScopedExports

log = logging.getLogger(__name__)


class BadRequest(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def error(status: int, code: str, message: str, **extensions: Any) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message,
                                     "extensions": {"code": code, **extensions}}]},
                        status_code=status)


def principal(request: Request) -> Actor:
    actor = request.scope.get("state", {}).get("principal")
    if not isinstance(actor, Actor):  # only the Guard puts one there
        raise PermissionError("no authenticated principal")
    return actor


def scoped(container: Container, request: Request) -> ScopedExports:
    return ScopedExports(container.reads, container.access_log, principal(request),
                         ExportQueries(container.db), container.personal)


def case_id_of(request: Request) -> UUID:
    try:
        return UUID(request.path_params["case_id"])
    except ValueError:
        raise BadRequest("caseId", "not a case id (a UUID)") from None


def format_of(request: Request, allowed: tuple[str, ...] = FORMATS) -> str:
    form = request.path_params["format"]
    if form not in allowed:
        raise BadRequest("format", f"unknown format {form!r}: one of {', '.join(allowed)}")
    return form


def selection_of(request: Request) -> tuple[CaseSelection, bool]:
    query = request.query_params
    unknown = sorted(set(query) - {"memberState", "status", "personal"})
    if unknown:
        raise BadRequest(unknown[0], f"unknown parameter {unknown[0]!r}: memberState, status "
                                     "and personal are known")
    state = query.get("memberState")
    if state is not None and not is_member_state(state):
        raise BadRequest("memberState", "not a member state code (e.g. IT)")
    status = query.get("status")
    if status is not None and status not in CaseStatus.__members__:
        known = ", ".join(CaseStatus.__members__)
        raise BadRequest("status", f"unknown case status; one of {known}")
    personal = query.get("personal", "false")
    if personal not in ("true", "false"):
        raise BadRequest("personal", "true or false")
    return CaseSelection(state, status), personal == "true"


def attachment(name: str, form: str, chunks: Iterator[bytes]) -> StreamingResponse:
    return StreamingResponse(chunks, media_type=MEDIA_TYPES[form], headers={
        "content-disposition": f'attachment; filename="{name}.{form}"',
        "cache-control": "no-store", "x-content-type-options": "nosniff"})


def guarded(handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """Refusals and bad input as 4xx with a code; nothing else reaches the client."""

    def endpoint(request: Request) -> Response:
        try:
            return handler(request)
        except BadRequest as bad:
            return error(400, "INVALID_INPUT", f"{bad.field}: {bad}",
                         fields=[{"field": bad.field, "message": str(bad)}])
        except Forbidden as refused:
            return error(403, "FORBIDDEN", str(refused))

    return endpoint


def _not_found(case_id: UUID) -> JSONResponse:
    return error(404, "CASE_NOT_FOUND", f"No case {case_id}")


def export_routes(container: Container) -> Router:
    """The routes under /exports (behind `CookieAuth` and the `Guard`)."""

    def cases(request: Request) -> Response:
        form = format_of(request)
        selection, personal = selection_of(request)
        exports = scoped(container, request)
        exports.check_cases(personal)
        columns = CASE_EXPORT_COLUMNS + (CASE_PERSONAL_COLUMNS if personal else ())
        records = exports.cases(selection, personal, via=str(request.url.path))
        name = f"cases-{selection.member_state or 'all'}"
        return attachment(name, form, encode(records, form, columns))

    def one_case(what: str, columns: tuple[str, ...]) -> Callable[[Request], Response]:
        def handler(request: Request) -> Response:
            case_id, form = case_id_of(request), format_of(request)
            exports = scoped(container, request)
            via = str(request.url.path)
            records = (exports.timeline(str(case_id), via) if what == "timeline"
                       else exports.trail(str(case_id)) if what == "decision-trail"
                       else exports.deadlines(str(case_id)))
            if records is None:
                return _not_found(case_id)
            return attachment(f"{case_id}-{what}", form, encode(records, form, columns))
        return handler

    def proof_bundle(request: Request) -> Response:
        case_id = case_id_of(request)
        try:
            document = scoped(container, request).proof_bundle(case_id, str(request.url.path))
        except ValueError as unexportable:  # an event not yet hashed, or undecodable
            return error(409, "NOT_EXPORTABLE", str(unexportable))
        if document is None:
            return _not_found(case_id)
        return Response(orjson.dumps(document, option=orjson.OPT_INDENT_2),
                        media_type="application/json", headers={
                            "content-disposition":
                                f'attachment; filename="{case_id}-proof-bundle.json"',
                            "cache-control": "no-store"})

    return Router(routes=[
        Route("/cases.{format}", guarded(cases), methods=["GET"]),
        Route("/cases/{case_id}/timeline.{format}",
              guarded(one_case("timeline", TIMELINE_EXPORT_COLUMNS)), methods=["GET"]),
        Route("/cases/{case_id}/decision-trail.{format}",
              guarded(one_case("decision-trail", TRAIL_EXPORT_COLUMNS)), methods=["GET"]),
        Route("/cases/{case_id}/deadlines.{format}",
              guarded(one_case("deadlines", DEADLINE_EXPORT_COLUMNS)), methods=["GET"]),
        Route("/cases/{case_id}/proof-bundle.json", guarded(proof_bundle), methods=["GET"]),
    ])
