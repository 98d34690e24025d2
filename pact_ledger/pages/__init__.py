"""Server-rendered pages for auditors and appeal bodies (Jinja2; no script, no external asset,
so a page works offline and prints as it shows):

    /pages/cases/{id}            a case: timeline, decision trail, deadlines, the procedure
                                 over time (inline SVG), integrity status, proof bundle
    /pages/member-states/{code}  a member state's breaches and border-capacity use as charts

Read through the same scoped facade as GraphQL (`projections.scoped_exports`): a case outside
the principal's scope is "not found"; personal data are shown only to roles that may read them,
after the access is logged. Every response carries a strict Content-Security-Policy (styles by
nonce, no script at all) and `Cache-Control: no-store`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route, Router

from ledger.authorization.policy import Read, check_may_read
from ledger.border_capacity import annual_maximum
from ledger.envelope import Actor
from ledger.errors import Forbidden
from ledger.personal_data.sealed import PersonalDetails
from ledger.validation import camel
from ledger.vocabulary import MEMBER_STATES, is_member_state
from pact_ledger.exports import principal
from pact_ledger.pages.charts import (
    PHASE_COLOURS,
    Span,
    Step,
    bar_chart,
    capacity_gauge,
    procedure_chart,
)
from pact_ledger.timeline_table import details, personal_status
from pact_ledger.wiring import Container
from projections.deadline_queries import DeadlineFilter
from projections.exports import ExportQueries, opened_fields
from projections.overview import OverviewQueries
from projections.queries import CaseFilter
from projections.scoped_exports import ScopedExports

TEMPLATES = Path(__file__).parent / "templates"
_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)


def _when(value: str | None) -> str:
    if not value:
        return "—"
    return datetime.fromisoformat(value).astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def _basis(value: list[dict[str, str]]) -> str:
    return "; ".join(f"{b['act']} {b['article']}" for b in value)


_ENV.filters.update(when=_when, basis=_basis, details=details)


def render(template: str, status: int = 200, **values: Any) -> HTMLResponse:
    nonce = secrets.token_urlsafe(16)
    html = _ENV.get_template(template).render(nonce=nonce, now=datetime.now(UTC), **values)
    return HTMLResponse(html, status_code=status, headers={
        "content-security-policy": f"default-src 'none'; style-src 'nonce-{nonce}'; "
                                   "img-src data:; form-action 'self'; base-uri 'none'; "
                                   "frame-ancestors 'none'",
        "cache-control": "no-store", "referrer-policy": "same-origin",
        "x-content-type-options": "nosniff", "x-frame-options": "DENY"})


def message(status: int, heading: str, text: str, actor: Actor | None) -> HTMLResponse:
    return render("message.html", status, heading=heading, message=text, principal=actor)


def _page(handler: Callable[[Request, Actor], Response]) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        actor = principal(request)
        try:
            return handler(request, actor)
        except Forbidden as refused:
            return message(403, "Not for your role", str(refused), actor)

    return endpoint


def page_routes(container: Container) -> Router:
    """The routes under /pages (behind `CookieAuth` and the `Guard`)."""

    def exports_for(actor: Actor) -> ScopedExports:
        return ScopedExports(container.reads, container.access_log, actor,
                             ExportQueries(container.db), container.personal)

    def index(request: Request, actor: Actor) -> Response:
        states = sorted(MEMBER_STATES) if actor.member_state == "EU" else [actor.member_state]
        return render("index.html", principal=actor, member_states=states)

    def open_case(request: Request, actor: Actor) -> Response:
        try:
            case_id = UUID(request.query_params.get("id", "").strip())
        except ValueError:
            return message(400, "Not a case id", "A case id is a UUID.", actor)
        return RedirectResponse(f"/pages/cases/{case_id}", status_code=303)

    def case_page(request: Request, actor: Actor) -> Response:
        try:
            case_id = UUID(request.path_params["case_id"])
        except ValueError:
            return message(400, "Not a case id", "A case id is a UUID.", actor)
        exports = exports_for(actor)
        case = exports.case(str(case_id))
        if case is None:
            return message(404, "No such case", f"No case {case_id}.", actor)
        # Names and date of birth are sealed in the events (issue 12): opened through the key
        # store for roles that may read them, logged first; once erased, the page says so.
        person = None
        view = exports.personal_view(str(case_id))
        fields = opened_fields(view)
        if exports.personal.open([(str(case_id), case["member_state"],
                                   [camel(k) for k in fields])], f"page:{request.url.path}"):
            person = (view.details if view is not None and view.details is not None
                      and fields else PersonalDetails()).as_dict()
        # Sealed values in the timeline show as the case's status only (never opened here).
        timeline = exports.timeline(str(case_id), f"page:{request.url.path}",
                                    open_sealed=False) or []
        deadlines = exports.deadlines(str(case_id)) or []
        trail = exports.trail(str(case_id)) or []
        now = exports.reads.deadlines.now()
        chart = procedure_chart(
            [Step(datetime.fromisoformat(e["occurred_at"]), e["phase"], e["event_type"],
                  bool(e["recorded_late"])) for e in timeline],
            [Span(d["rule"], datetime.fromisoformat(d["started_at"]),
                  datetime.fromisoformat(d["due_at"]),
                  datetime.fromisoformat(d["met_at"]) if d["met_at"] else None, d["status"])
             for d in deadlines], now)
        # The bundle's records hold personal data only sealed (issue 12): for every reader.
        return render("case.html", principal=actor, case=dict(case), person=person,
                      personal_status=personal_status(view.marker() if view
                                                                   else None),
                      erased=view is not None and view.status == "ERASED",
                      timeline=timeline, deadlines=deadlines, trail=trail,
                      verification=exports.verification(case_id), chart=Markup(chart),
                      phase_colours=PHASE_COLOURS)

    def member_state_page(request: Request, actor: Actor) -> Response:
        code = request.path_params["code"].upper()
        exports = exports_for(actor)
        check_may_read(actor, Read.CASES)
        possible, _ = exports.reads.cases.narrowed(code)
        if not is_member_state(code) or not possible:
            return message(404, "No such member state", f"No member state {code} to show.",
                           actor)
        now = exports.reads.deadlines.now()
        total = exports.reads.cases.count(CaseFilter(member_state=code))
        breached = exports.reads.deadlines.count(
            DeadlineFilter(member_state=code, breached_only=True), now)
        overview = OverviewQueries(container.db)
        breaches = overview.breaches_by_rule(code, now)
        statuses = overview.status_counts(code)
        stats = exports.reads.statistics
        load = next((b for b in stats.border_load(now.year) if b.member_state == code), None)
        capacity = stats.capacities.get(code)
        in_procedure = load.in_procedure if load else 0
        border = {"in_procedure": in_procedure,
                  "assigned_this_year": load.assigned_this_year if load else 0,
                  "capacity": capacity, "annual_maximum": annual_maximum(capacity)}
        return render(
            "member_state.html", principal=actor, member_state=code, total_cases=total,
            breached=breached, breaches=breaches, border=border, year=now.year,
            breach_chart=Markup(bar_chart(breaches, "Breached deadlines by rule", "#c62828")),
            status_chart=Markup(bar_chart(statuses, "Cases by status")),
            capacity_chart=Markup(capacity_gauge(in_procedure, capacity)))

    return Router(routes=[
        Route("/", _page(index), methods=["GET"]),
        Route("/case", _page(open_case), methods=["GET"]),
        Route("/cases/{case_id}", _page(case_page), methods=["GET"]),
        Route("/member-states/{code}", _page(member_state_page), methods=["GET"]),
    ])
