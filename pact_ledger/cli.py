"""`pact-ledger`: serve the API, seed demo data, rebuild read models, verify the ledger against
tampering, export a case's record with its proofs and check the schema against the last release.
The exports for people and programs (timeline, trail, cases) are in `pact_ledger.cli_exports`."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ledger.verification import SavedDigest
from pact_ledger.cli_access import (
    log_cli_read,
    personal_fields,
    print_chain,
    verify_access_log,
)
from pact_ledger.options import environment, setting_options
from pact_ledger.settings import Settings
from pact_ledger.wiring import Container, build
from projections.blue_green import RebuildRunning
from projections.db import SQLiteDatabase
from projections.runner import StaleReadModels

console = Console()


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ValueError as error:
        raise click.ClickException(f"settings: {error}") from None


@contextmanager
def _container() -> Iterator[Container]:
    settings = _settings()
    try:
        container = build(settings)
    except Exception as error:  # configuration or connection problems: say so, no traceback
        raise click.ClickException(f"cannot open the ledger: {error}") from None
    try:
        yield container
    except StaleReadModels as error:
        raise click.ClickException(f"{error}; run `pact-ledger rebuild` (or start a server, "
                                   "which rebuilds them)") from None
    finally:
        container.close()


@contextmanager
def _progress(label: str, to: Console | None = None) -> Iterator[Callable[[int, int], None]]:
    with Progress(
        TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=to or console, transient=False,
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
@setting_options
def serve(**given: object) -> None:
    """Serve GraphQL at /graphql, /healthz, /metrics and a page at /. Requests need a bearer
    token (see `token`); without PACT_LEDGER_JWT_KEYS a demo token per role is printed.

    Every option can be given by its environment variable instead (shown with each); a flag
    wins over its variable. Exits 2, saying why, on an invalid or insecure setting."""
    from pact_ledger.serving import run

    sys.exit(run(environment(given)))


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
        try:
            applied = container.runner.rebuild(progress)
        except RebuildRunning as error:
            raise click.ClickException(str(error)) from None
        position = container.runner.position()
    console.print(f"Rebuilt from {applied} events (read models now at log position "
                  f"{position}); readers kept the previous tables until the switch.")


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


@main.command("schema-compat")
@click.option("--released", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The released SDL to compare with (default: the newest in schema/released).")
@click.option("--changelog", type=click.Path(dir_okay=False, path_type=Path),
              help="The API changelog (default: CHANGELOG-API.md).")
def schema_compat(released: Path | None, changelog: Path | None) -> None:
    """Exit 1 on a breaking change against the last released SDL that CHANGELOG-API.md does not
    record (`pact_ledger.schema_compat`)."""
    from pact_ledger.schema_compat import CHANGELOG, check

    result = check(released=released, changelog=changelog or CHANGELOG)
    for description in result.dangerous:
        console.print(f"dangerous: {description}", highlight=False, soft_wrap=True)
    for description in result.breaking:
        known = description not in result.unrecorded
        console.print(f"{'recorded ' if known else ''}BREAKING: {description}", highlight=False,
                      soft_wrap=True)
    if not result.ok:
        console.print(f"{len(result.unrecorded)} breaking change(s) against "
                      f"{result.released.name} not recorded in the API changelog: add a line "
                      "'- BREAKING: <the description above>' saying what clients do instead")
        sys.exit(1)
    console.print(f"No unrecorded breaking change against {result.released.name}.")


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
@click.option("--progress/--no-progress", default=None,
              help="A progress bar on standard error (default: when it is a terminal).")
def verify(case_id: str | None, saved: str | None, progress: bool | None) -> None:
    """Recompute every stored event's hash; exit 1 naming the first bad event if tampered."""
    with _container() as container:
        if isinstance(container.db, SQLiteDatabase):
            # a one-off check needs no background checkpoints; with no other thread running,
            # its workers are forks of this process (`projections.parallel_hashing._context`),
            # not of a fork server that would first import this command again (~1 s)
            container.db.stop_checkpointer()
        started = time.perf_counter()
        integrity = container.reads.integrity
        if case_id is not None:
            if saved:
                raise click.UsageError("--digest is for the whole ledger, not with --case")
            report = integrity.verify_case(_uuid(case_id))
            if report is None:
                raise click.BadParameter(f"no case with id {case_id}", param_hint="--case")
        elif progress if progress is not None else sys.stderr.isatty():
            with _progress("Verifying events", Console(stderr=True)) as update:
                report = integrity.verify_ledger(_saved_digest(saved) if saved else None,
                                                 update)
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
        chain = verify_access_log(container.db) if case_id is None else None
        if chain is not None:
            print_chain(console, chain)
        if not report.valid or (chain is not None and not chain.valid):
            sys.exit(1)
        console.print("[green]Valid[/]: every event matches its chain, the hash table"
                      + (" and the saved digest" if saved else "")
                      + ("; the access log's chain holds." if chain is not None else "."))


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
        row = container.reads.cases.case(str(_uuid(case_id)))
        log_cli_read(container.access_log, str(_uuid(case_id)),
                     row["member_state"] if row else "", personal_fields(document["events"]),
                     "cli:export")
        # Outside the records and their proofs: whether the sealed personal data are held or
        # erased (a status, not personal data; the export holds them only sealed).
        view = container.personal.view(str(_uuid(case_id)))
        document["personal_data"] = view.marker() if view else None
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
    from pact_ledger.cli_access import provision_access_log
    from pact_ledger.cli_exports import register
    from pact_ledger.cli_import import import_commands
    from pact_ledger.cli_personal_data import (
        erase,
        erase_due,
        new_master_key,
        rewrap_keys,
        subject_access,
    )
    from pact_ledger.cli_tokens import token

    for command in (token, provision_access_log, erase_due, erase, subject_access, rewrap_keys,
                    new_master_key, import_commands):
        main.add_command(command)
    register(main)  # timeline, trail, cases


_register()
