"""`pact-ledger timeline | trail | cases`: the exports on the command line, as text for people
(`--format table`, readable at 80 columns) or as CSV, NDJSON or JSON for programs.

They read as the principal of a bearer token (`--token`, or PACT_LEDGER_TOKEN), scoped and with
personal data logged exactly like the HTTP exports. Without a token they read as an EU-level
auditor named `cli`: every member state's cases, no personal data (so nothing to log).
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import click

from ledger.case.events import CASE_EVENT_TYPES
from ledger.case.phase import Phase
from ledger.envelope import Actor
from ledger.errors import Forbidden
from ledger.vocabulary import MEMBER_STATES, CaseStatus
from pact_ledger.export_formats import encode
from pact_ledger.timeline_table import timeline_lines, trail_lines
from projections.encoding import time_text
from projections.exports import (
    CASE_EXPORT_COLUMNS,
    CASE_PERSONAL_COLUMNS,
    TIMELINE_EXPORT_COLUMNS,
    TRAIL_EXPORT_COLUMNS,
    CaseSelection,
    ExportQueries,
)
from projections.queries import TimelineFilter
from projections.scoped_exports import ScopedExports

CLI_READER = Actor("cli", "AUDITOR", "command line without a token", "EU")
FORMATS = ("table", "csv", "ndjson", "json")
VALID_PHASES = tuple(p.value for p in Phase)

format_option = click.option("--format", "form", type=click.Choice(FORMATS), default="table",
                             show_default=True, help="table: for people, at the terminal's "
                             "width; csv, ndjson, json: for programs.")
token_option = click.option("--token", envvar="PACT_LEDGER_TOKEN", help="Read as this bearer "
                            "token's principal (env PACT_LEDGER_TOKEN); default: an EU "
                            "auditor, no personal data.")


def reader(token: str | None) -> Actor:
    if not token:
        return CLI_READER
    from pact_ledger.security import SecuritySettings
    from pact_ledger.tokens import TokenRejected

    try:
        return SecuritySettings.from_env().tokens.verify(token.strip())
    except (TokenRejected, ValueError) as rejected:
        raise click.BadParameter(str(rejected), param_hint="--token") from None


def width() -> int:
    return max(40, shutil.get_terminal_size((80, 24)).columns)


def write(chunks: Iterable[bytes]) -> None:
    sys.stdout.flush()
    out = sys.stdout.buffer
    for chunk in chunks:
        out.write(chunk)
    out.flush()


def write_lines(lines: Iterable[str]) -> None:
    write(f"{line}\n".encode() for line in lines)


def _phases(values: tuple[str, ...]) -> tuple[str, ...]:
    phases = tuple(v.upper() for v in values)
    unknown = [p for p, v in zip(phases, values, strict=True) if p not in VALID_PHASES]
    if unknown:
        raise click.BadParameter(f"unknown phase {', '.join(unknown)}; the phases are "
                                 f"{', '.join(VALID_PHASES)}", param_hint="--phase")
    return phases


def _types(values: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [v for v in values if v not in CASE_EVENT_TYPES]
    if unknown:
        raise click.BadParameter(f"unknown event type {', '.join(unknown)}; e.g. "
                                 "ApplicationLodged, DecisionIssued, AppealLodged",
                                 param_hint="--type")
    return values


def _case_id(value: str) -> str:
    from uuid import UUID

    try:
        return str(UUID(value))
    except ValueError:
        raise click.BadParameter("not a case id (a UUID)", param_hint="CASE_ID") from None


def _exports(container: Any, token: str | None) -> ScopedExports:
    return ScopedExports(container.reads, container.access_log, reader(token),
                         ExportQueries(container.db), container.personal)


@click.command()
@click.argument("case_id")
@click.option("--phase", "phases", multiple=True,
              help=f"Only this phase (repeatable): {', '.join(VALID_PHASES)}.")
@click.option("--type", "types", multiple=True, help="Only this event type (repeatable).")
@click.option("--from", "occurred_from", type=click.DateTime(), help="Occurred at or after (UTC).")
@click.option("--to", "occurred_to", type=click.DateTime(), help="Occurred at or before (UTC).")
@format_option
@token_option
def timeline(case_id: str, phases: tuple[str, ...], types: tuple[str, ...],
             occurred_from: datetime | None, occurred_to: datetime | None, form: str,
             token: str | None) -> None:
    """A case's timeline: every event with both times, actor, legal basis, details and what
    it changed."""
    from pact_ledger.cli import _container

    case = _case_id(case_id)
    criteria = TimelineFilter(
        event_types=_types(types), phases=_phases(phases),
        occurred_from=time_text(occurred_from.replace(tzinfo=UTC)) if occurred_from else None,
        occurred_to=time_text(occurred_to.replace(tzinfo=UTC)) if occurred_to else None)
    with _container() as container:
        container.runner.catch_up()
        exports = _exports(container, token)
        try:
            row = exports.case(case)
            events = exports.timeline(case, f"cli:timeline {case}", criteria)
        except Forbidden as refused:
            raise click.ClickException(str(refused)) from None
        if row is None or events is None:
            raise click.ClickException(f"no case with id {case_id}")
        if form == "table":
            write_lines(timeline_lines(dict(row), events, width()))
        else:
            write(encode(events, form, TIMELINE_EXPORT_COLUMNS))


@click.command()
@click.argument("case_id")
@format_option
@token_option
def trail(case_id: str, form: str, token: str | None) -> None:
    """A case's decision trail as an appeal body reads it: each decision, its basis,
    procedure and deadlines, the appeals against it, and which decision stands."""
    from pact_ledger.cli import _container

    case = _case_id(case_id)
    with _container() as container:
        container.runner.catch_up()
        try:
            decisions = _exports(container, token).trail(case)
        except Forbidden as refused:
            raise click.ClickException(str(refused)) from None
        if decisions is None:
            raise click.ClickException(f"no case with id {case_id}")
        if form == "table":
            write_lines(trail_lines(decisions, width()))
        else:
            write(encode(decisions, form, TRAIL_EXPORT_COLUMNS))


def _case_table(records: Iterable[dict[str, Any]], width: int) -> Iterator[str]:
    """One line a case (its reference on a line of its own when it would not fit)."""
    yield f"{'case id':<36}  ms  {'status':<17} reference"
    for r in records:
        line = f"{r['case_id']:<36}  {r['member_state']:<2}  {r['status']:<17}"
        reference = r["national_reference"]
        if len(line) + 1 + len(reference) <= width:
            yield f"{line} {reference}"
        else:
            yield line
            yield f"    {reference}"


@click.command()
@click.option("--member-state", type=click.Choice(sorted(MEMBER_STATES)),
              help="Only this member state's cases (default: every one in scope).")
@click.option("--status", type=click.Choice(list(CaseStatus.__members__)), help="Only cases "
              "in this status.")
@click.option("--personal", is_flag=True, help="With names and dates of birth (roles that may "
              "read them; each read is logged).")
@format_option
@token_option
def cases(member_state: str | None, status: str | None, personal: bool, form: str,
          token: str | None) -> None:
    """A member state's cases and their current state, streamed (any number of cases)."""
    from pact_ledger.cli import _container

    with _container() as container:
        container.runner.catch_up()
        exports = _exports(container, token)
        try:
            exports.check_cases(personal)
        except Forbidden as refused:
            raise click.ClickException(str(refused)) from None
        records = exports.cases(CaseSelection(member_state, status), personal,
                                via=f"cli:cases {member_state or 'all'}")
        if form == "table":
            write_lines(_case_table(records, width()))
        else:
            write(encode(records, form,
                         CASE_EXPORT_COLUMNS + (CASE_PERSONAL_COLUMNS if personal else ())))


def register(group: click.Group) -> None:
    for command in (timeline, trail, cases):
        group.add_command(command)
