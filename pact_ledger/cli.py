"""`pact-ledger`: serve the API, seed demo data, rebuild read models, show a case's timeline."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from uuid import UUID

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

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
@click.option("--no-graphiql", is_flag=True, help="Do not serve GraphiQL on GET /graphql.")
def serve(host: str, port: int, no_graphiql: bool) -> None:
    """Serve GraphQL at /graphql (GraphiQL in a browser) and /healthz."""
    import uvicorn

    from pact_ledger.server import create_app

    with _container() as container:
        caught_up = container.runner.catch_up()
        console.print(
            f"Pact Ledger on {container.settings.backend}: read models current "
            f"({caught_up} events applied at start). GraphiQL: http://{host}:{port}/graphql"
        )
        app = create_app(container, graphiql=not no_graphiql)
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


@main.command()
def rebuild() -> None:
    """Rebuild every read model from the first event."""
    with _container() as container, _progress("Rebuilding read models") as progress:
        applied = container.runner.rebuild(progress)
    console.print(f"Rebuilt from {applied} events.")


@main.command()
@click.argument("case_id")
def timeline(case_id: str) -> None:
    """Print a case's timeline: every event with both times, actor and legal basis."""
    from pact_ledger.timeline_table import render_timeline

    try:
        UUID(case_id)
    except ValueError:
        raise click.BadParameter("not a case id (a UUID)", param_hint="CASE_ID") from None
    with _container() as container:
        container.runner.catch_up()
        row = container.reads.cases.case(case_id.lower())
        if row is None:
            raise click.ClickException(f"no case with id {case_id}")
        console.print(render_timeline(row, container.reads.cases.timeline(case_id.lower())))


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
