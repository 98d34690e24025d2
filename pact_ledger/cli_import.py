"""`pact-ledger import FILE`: a member state's caseload, as NDJSON commands
(`pact_ledger.import_format`), recorded through the ledger's rules in large transactions
(`ledger.bulk_import`). Refused lines are reported one by one; a re-run after a crash records
only what the first run did not."""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import click
from rich.console import Console

from ledger.authorization.roles import principal_problem
from ledger.bulk_import import BATCH_EVENTS, KEPT_AGGREGATES, ImportInterrupted
from ledger.envelope import Actor
from pact_ledger.import_frozen import frozen_batches
from pact_ledger.import_parallel import Outcome, ParallelImport, outcome_of
from pact_ledger.settings import IMPORT_MEMORY

SHOWN = 50  # refusals printed; `--report` has them all


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as handle:
        yield from handle


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def run_import(outcomes: Iterable[Outcome], total: int, stop_on_error: bool,
               progress: Callable[[int, int], None] | None, report: IO[str] | None,
               say: Callable[[str], None]) -> dict[str, int]:
    """Report each refusal through `say` (and every line to `report`); returns the counts of
    recorded, replayed and refused lines and events recorded."""
    counts = {"recorded": 0, "replayed": 0, "refused": 0, "events": 0, "last_line": 0}
    shown = 0
    for done, outcome in enumerate(outcomes, 1):
        counts[outcome.status] += 1
        counts["events"] += outcome.events
        counts["last_line"] = max(counts["last_line"], outcome.line)
        detail = outcome.detail
        if detail is not None:
            if shown < SHOWN:
                where = detail["code"] + (f" {detail['rule']} ({detail['article']})"
                                          if "rule" in detail else "")
                say(f"line {outcome.line} (command {outcome.command_id or '?'}): refused, "
                    f"{where}: {detail['message']}")
            shown += 1
        if report is not None:
            entry: dict[str, Any] = {"line": outcome.line, "commandId": outcome.command_id,
                                     "status": outcome.status}
            if detail is not None:
                entry.update(detail)
            else:
                entry["events"] = outcome.events
            report.write(json.dumps(entry, ensure_ascii=False) + "\n")
        if progress is not None and (done % 1000 == 0):
            progress(counts["last_line"], total)
    if progress is not None:
        progress(total if not stop_on_error or not counts["refused"] else counts["last_line"],
                 total)
    return counts


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--member-state", required=True,
              help="The member state the import acts for (EU: an EU-level principal).")
@click.option("--role", default="CASE_WORKER", show_default=True,
              help="The role of lines that name none (a line's actor.role wins).")
@click.option("--actor-id", default="import", show_default=True,
              help="The principal recorded on lines that name none.")
@click.option("--authority", default="", help="The authority recorded on lines that name none "
                                              "(default: 'MS migration import').")
@click.option("--stop-on-error", is_flag=True,
              help="Stop at the first refused line (the lines before it are recorded).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write one JSON line per input line: recorded, replayed or refused (why).")
@click.option("--batch", default=BATCH_EVENTS, show_default=True, type=click.IntRange(1),
              help="Events saved per transaction.")
@click.option("--progress/--no-progress", default=None,
              help="A progress bar on standard error (default: when it is a terminal).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes, each importing a share of the cases (a case's lines "
                   "in one, in file order; shared streams in file order between them).")
@click.option("--memory-mb", default=0, show_default=True, type=click.IntRange(0),
              envvar=IMPORT_MEMORY, show_envvar=True,
              help="MiB of resident memory up to which each import process (each worker) "
                   "keeps every case it has used, then as many as it held then; 0: the "
                   f"{KEPT_AGGREGATES:,} used last. A case that left is read back from its "
                   "events when a later line needs it.")
@click.option("--catch-up/--no-catch-up", default=True, show_default=True,
              help="Bring the read models up to date afterwards (else: the next `serve` or "
                   "`rebuild` does).")
def import_commands(path: Path, member_state: str, role: str, actor_id: str, authority: str,
                    stop_on_error: bool, report_path: Path | None, batch: int,
                    progress: bool | None, workers: int, memory_mb: int, catch_up: bool) -> None:
    """Record the commands of an NDJSON file (one mutation per line, as GraphQL receives it;
    see README) through the same rules as mutations, in large transactions.

    Every line needs a commandId: running the import again (after a crash, or after fixing
    refused lines) records only the commands not yet recorded. Exits 1 if any line was refused.
    """
    from pact_ledger.cli import _container, _progress, console
    from pact_ledger.import_format import parse_line, read_items
    from pact_ledger.import_wiring import bulk_import

    member_state = member_state.upper()
    problem = principal_problem(role, member_state)
    if problem is not None:
        raise click.BadParameter(problem, param_hint="--member-state/--role")
    if workers > 1 and stop_on_error:
        raise click.BadParameter("--stop-on-error needs one worker (with several, the lines "
                                 "after a refusal may be recorded already)",
                                 param_hint="--workers")
    principal = Actor(id=actor_id, role=role,
                      authority=authority or f"{member_state} migration import",
                      member_state=member_state)
    err = Console(stderr=True)
    total = count_lines(path)
    report = report_path.open("w", encoding="utf-8") if report_path else None
    started, cpu = time.perf_counter(), time.process_time() + _children_cpu()
    parallel = ParallelImport(principal, workers, batch, memory_mb) if workers > 1 else None
    try:
        with _container() as container, frozen_batches() as after_batch:
            bulk = bulk_import(container, batch, after_batch, memory_mb)
            if parallel is not None:
                outcomes: Iterable[Outcome] = parallel.run(
                    bulk, lambda n, t: parse_line(n, t, principal), enumerate(_lines(path), 1))
            else:
                outcomes = (outcome_of(r) for r in bulk.run(read_items(_lines(path), principal),
                                                            stop_on_error=stop_on_error))

            def say(text: str) -> None:
                err.print(text, highlight=False, soft_wrap=True, markup=False)

            try:
                if progress if progress is not None else sys.stderr.isatty():
                    with _progress("Importing commands", err) as update:
                        counts = run_import(outcomes, total, stop_on_error, update, report, say)
                else:
                    counts = run_import(outcomes, total, stop_on_error, None, report, say)
            except ImportInterrupted as error:
                raise click.ClickException(str(error)) from None
            finally:
                if parallel is not None:
                    parallel.close()
                    parallel = None
            took = time.perf_counter() - started
            cpu = time.process_time() + _children_cpu() - cpu  # the workers have ended
            console.print(
                f"Recorded {counts['recorded']} commands ({counts['events']} events) in "
                f"{took:.1f} s ({counts['events'] / max(took, 1e-9):,.0f} events/s, "
                f"{counts['events'] / max(cpu, 1e-9):,.0f} per CPU second of this process"
                f"{' and its workers' if workers > 1 else ''}); "
                f"{counts['replayed']} already recorded (skipped); "
                f"{counts['refused']} refused (nothing recorded for them).", highlight=False)
            if stop_on_error and counts["refused"]:
                console.print(f"Stopped at line {counts['last_line']}: the lines after it were "
                              "not recorded.", highlight=False)
            if catch_up:
                container.runner.catch_up()
    finally:
        if parallel is not None:
            parallel.close()
        if report is not None:
            report.close()
    if counts["refused"]:
        sys.exit(1)
