"""`pact-ledger`: serve the API, seed demo data, rebuild read models, show a case's timeline,
verify the ledger against tampering and export a case's record with its proofs."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ledger.verification import SavedDigest
from pact_ledger.settings import Settings
from pact_ledger.wiring import Container, build

console = Console()


@contextmanager
def _container() -> Iterator[Container]:
    try:
        settings = Settings.from_env()
        container = build(settings)
    except Exception as error:  # configuration or connection problems: say so, no traceback
        raise click.ClickException(f"cannot open the ledger: {error}") from None
    try:
        yield container
    finally:
        container.close()


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    with Progress(
        TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=False,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=max(total, done))

        yield update


@click.group()
@click.option("--verbose", is_flag=True, help="Log at INFO level.")
def main(verbose: bool) -> None:
    """Pact Ledger: the event-sourced case ledger of the EU Pact on Migration and Asylum.

    The database is chosen by PACT_LEDGER_DATABASE_URL (default: an SQLite file under
    ./data, or PACT_LEDGER_DATA_DIR).
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--graphiql/--no-graphiql", default=None,
              help="Serve GraphiQL (and schema introspection) on GET /graphql. Default: "
                   "PACT_LEDGER_GRAPHIQL=1, else off.")
def serve(host: str, port: int, graphiql: bool | None) -> None:
    """Serve GraphQL at /graphql and /healthz. Requests need a bearer token (see `token`);
    without PACT_LEDGER_JWT_KEYS a demo token per role is printed."""
    import uvicorn

    from pact_ledger.cli_tokens import print_demo_tokens, security_settings
    from pact_ledger.server import create_app

    security = security_settings()
    if graphiql is not None:
        security = replace(security, graphiql=graphiql)
    with _container() as container:
        caught_up = container.runner.catch_up()
        console.print(
            f"Pact Ledger on {container.settings.backend}: read models current "
            f"({caught_up} events applied at start). GraphQL: http://{host}:{port}/graphql"
            + (" (GraphiQL in a browser)" if security.graphiql else ""))
        if security.development_key:
            print_demo_tokens(console, security)
        else:
            kids = ", ".join(kid for kid, _ in security.tokens.keys.keys)
            console.print(f"Bearer tokens verified with keys {kids}; `pact-ledger token` "
                          "issues one.")
        app = create_app(container, security)
        uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command()
@click.option("--cases", default=300, show_default=True, type=click.IntRange(1, 1_000_000))
@click.option("--seed", default=7, show_default=True, type=int, help="Same seed, same cases.")
@click.option("--if-empty", is_flag=True, help="Do nothing if the ledger already has events.")
def demo(cases: int, seed: int, if_empty: bool) -> None:
    """Record realistic synthetic cases that follow the regulations' flows."""
    from pact_ledger.demo import is_empty, seed_demo

    with _container() as container:
        if if_empty and not is_empty(container):
            console.print("The ledger already holds events; demo data not added.")
            return
        with _progress("Recording demo cases") as progress:
            result = seed_demo(container, cases=cases, seed=seed, progress=progress)
        console.print(
            f"Recorded {result.events} events in {result.commands} commands for {cases} cases"
            + (f"; {result.refused} refused" if result.refused else "")
        )


@main.command("load-recognition-rates")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False,
                                                        path_type=Path))
@click.option("--sample", is_flag=True, help="Load the labelled sample shipped with the ledger.")
@click.option("--published-at", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="When the figures were published (legal time; default: now).")
def load_recognition_rates(path: Path | None, sample: bool, published_at: datetime | None) -> None:
    """Load EU-wide recognition rates (APR Arts 42(1)(j), 45(1)) as versioned reference data.

    PATH is a JSON file as described in ledger/reference_data/README.md (e.g. built from
    Eurostat's annual first-instance decisions); procedure assignment uses the latest reference
    year loaded."""
    from ledger.errors import LedgerError
    from pact_ledger.reference_files import (
        load_command,
        recognition_rates_file,
        sample_recognition_rates,
    )

    if (path is None) == (not sample):
        raise click.UsageError("give a PATH or --sample (not both)")
    try:
        table = sample_recognition_rates() if sample else recognition_rates_file(path)  # type: ignore[arg-type]
    except (OSError, ValueError) as error:
        raise click.ClickException(f"cannot read the figures: {error}") from None
    moment = (published_at.replace(tzinfo=UTC) if published_at is not None
              else datetime.now(UTC))
    with _container() as container:
        try:
            outcome = container.ledger.handle(*load_command(table, moment))
        except LedgerError as error:
            raise click.ClickException(f"{error.code}: {error}") from None
        container.runner.catch_up()
    state = "already loaded" if outcome.replayed else "loaded"
    console.print(f"Recognition rates {table.get('version')} ({table.get('referenceYear')}, "
                  f"{'confirmed' if table.get('confirmed') else 'UNCONFIRMED'}): {state}.")


@main.command()
def rebuild() -> None:
    """Rebuild every read model from the first event."""
    with _container() as container, _progress("Rebuilding read models") as progress:
        applied = container.runner.rebuild(progress)
    console.print(f"Rebuilt from {applied} events.")


@main.command()
@click.argument("case_id")
@click.option("--phase", "phases", multiple=True, help="Only this phase (repeatable), e.g. "
              "EXAMINATION, REMEDIES.")
@click.option("--type", "types", multiple=True, help="Only this event type (repeatable).")
@click.option("--from", "occurred_from", type=click.DateTime(), help="Occurred at or after.")
@click.option("--to", "occurred_to", type=click.DateTime(), help="Occurred at or before.")
def timeline(case_id: str, phases: tuple[str, ...], types: tuple[str, ...],
             occurred_from: datetime | None, occurred_to: datetime | None) -> None:
    """Print a case's timeline: every event with both times, actor, legal basis, payload and
    what it changed. Dates are UTC."""
    from pact_ledger.timeline_table import render_timeline
    from projections.encoding import time_text
    from projections.queries import TimelineFilter

    try:
        UUID(case_id)
    except ValueError:
        raise click.BadParameter("not a case id (a UUID)", param_hint="CASE_ID") from None
    criteria = TimelineFilter(
        event_types=types, phases=tuple(p.upper() for p in phases),
        occurred_from=time_text(occurred_from.replace(tzinfo=UTC)) if occurred_from else None,
        occurred_to=time_text(occurred_to.replace(tzinfo=UTC)) if occurred_to else None)
    with _container() as container:
        container.runner.catch_up()
        row = container.reads.cases.case(case_id.lower())
        if row is None:
            raise click.ClickException(f"no case with id {case_id}")
        events = container.reads.cases.timeline(case_id.lower(), criteria)
        console.print(render_timeline(row, events))


@main.command("export-schema")
@click.option("--check", is_flag=True, help="Exit 1 if schema/schema.graphql is out of date.")
def export_schema(check: bool) -> None:
    """Write the GraphQL SDL to schema/schema.graphql."""
    from schema.build import SDL_PATH, export, sdl

    if check:
        current = SDL_PATH.read_text(encoding="utf-8") if SDL_PATH.exists() else ""
        if current != sdl():
            console.print("schema/schema.graphql differs from the code; run export-schema")
            sys.exit(1)
        console.print("schema/schema.graphql is current")
        return
    console.print(f"Wrote {export()}")


# --- tamper evidence ---------------------------------------------------------------------------
SHOWN = 20  # problems printed by `verify`; the first is the first bad event


def _saved_digest(value: str) -> SavedDigest:
    """A digest as `pact-ledger digest` printed it (or GraphQL's ledgerDigest), file or JSON."""
    try:
        text = value if value.lstrip().startswith("{") else Path(value).read_text("utf-8")
        data = json.loads(text)
        return SavedDigest(int(data["size"]), str(data.get("root") or data["rootHash"]))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise click.BadParameter(f"not a saved digest: {error}", param_hint="--digest") from None


@main.command()
def digest() -> None:
    """Print the ledger digest (size, Merkle root) as JSON, for an auditor to keep."""
    with _container() as container:
        container.runner.catch_up()
        click.echo(json.dumps(container.reads.integrity.digest().saved(), indent=2))


@main.command()
@click.option("--case", "case_id", help="Check one case only.")
@click.option("--digest", "saved", help="A saved digest (file or JSON) the log must extend.")
def verify(case_id: str | None, saved: str | None) -> None:
    """Recompute every stored event's hash; exit 1 naming the first bad event if tampered."""
    with _container() as container:
        started = time.perf_counter()
        integrity = container.reads.integrity
        if case_id is not None:
            if saved:
                raise click.UsageError("--digest is for the whole ledger, not with --case")
            report = integrity.verify_case(_uuid(case_id))
            if report is None:
                raise click.BadParameter(f"no case with id {case_id}", param_hint="--case")
        else:
            report = integrity.verify_ledger(_saved_digest(saved) if saved else None)
        took = time.perf_counter() - started
        console.print(f"Checked {report.events_checked} events in {took:.2f} s.")
        for problem in report.problems[:SHOWN]:
            console.print(f"[bold red]{problem.reason}[/] position {problem.position} stream "
                          f"{problem.stream} version {problem.version}: {problem.detail}",
                          highlight=False, soft_wrap=True)
        if len(report.problems) > SHOWN:
            console.print(f"... and {len(report.problems) - SHOWN} more problems")
        if not report.valid:
            sys.exit(1)
        console.print("[green]Valid[/]: every event matches its chain, the hash table"
                      + (" and the saved digest." if saved else "."))


@main.command("export")
@click.argument("case_id")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output).")
def export_case(case_id: str, out: Path | None) -> None:
    """Write a case's complete record with inclusion proofs, as JSON for `ledger/proofs.py`."""
    with _container() as container:
        container.runner.catch_up()
        try:
            document = container.reads.integrity.export_case(_uuid(case_id))
        except ValueError as error:
            raise click.ClickException(str(error)) from None
    if document is None:
        raise click.ClickException(f"no case with id {case_id}")
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    console.print(f"Wrote {len(document['events'])} events to {out}; check it offline with "
                  f"python3 ledger/proofs.py verify {out}")


def _uuid(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise click.BadParameter("not a case id (a UUID)", param_hint="CASE_ID") from None


def _register() -> None:
    from pact_ledger.cli_tokens import token

    main.add_command(token)


_register()
