"""Scale run: a large ledger built with `pact-ledger import`, then the existing commands on it,
each beside a raw baseline measured in the same run on the same database, and the same stages
on a small reference ledger (default 10k events) in the same invocation, for "beside the 10k
figures".

For each size and backend: demo cases (`pact_ledger.demo`) written as an NDJSON import file
(`pact_ledger.import_format`), about --events events, then these stages (--stages picks some):

* import: `pact-ledger import FILE --no-catch-up` in a subprocess (its own rate, which leaves
  out process start; its RSS and progress sampled from /proc while it runs);
* raw-insert: plain INSERTs of the very rows stored (same bytes), one transaction per batch of
  the import's size, into a table the script creates (the import's baseline);
* catch-up: `runner.catch_up()` of every read model (the import left them behind);
* hashes: the hash table alone (event hashes and stored subtrees, `IntegrityProjection`), a
  batch at a time: what verify, digest and proofs read, which an import leaves empty (a
  rebuild fills it too; put this stage first to measure those without a whole rebuild);
* rebuild: `runner.rebuild()` of every read model | raw: `SELECT` of every event row;
* verify: `verify_ledger()` | raw: `SELECT` + SHA-256 of every stored state;
* digest: `integrity.digest()` (size and Merkle root), in process;
* proofs: an inclusion and a consistency proof from the stored subtrees, median of 20;
* append: `Ledger.handle` of 40 new demo cases' commands onto the ledger as it is, one
  transaction per command | raw: the very rows stored, inserted plainly with the same grouping
  (adds events: last);
* graphql: a page of 20 cases and one case's timeline through the real ASGI app (in-process
  client, production token checks), median and p99 of --requests each | raw: the same rows by
  plain SQL, serialised with orjson.

Each stage but import runs in a child process of its own (benchmarks/scale_stages.py), so its
peak RSS (ru_maxrss) is its own and its CPU seconds (user + system) its own and its workers'
(a rebuild's build worker, verify's: `worker_cpu.cpu_with_workers`); the rebuild and catch-up print
their rate and RSS at each tenth, so a rate that falls or memory that grows with the ledger
shows. Each stage's line says the load average (os.getloadavg) before and after it: figures
are only comparable between lines of similar load. Lines are flushed as they come (`tee` them
to a log: partial figures survive), and a JSON line `FIGURES {...}` follows each stage.

`PACT_LEDGER_BENCH_SERIAL=1` runs the rebuild and catch-up stages without a build worker
(`projections.parallel_build`), to compare with a run that has one.

--keep DIR keeps the import files, the SQLite ledgers and a PostgreSQL cluster (DIR/pg,
started and stopped by the script, data kept) and records what each import did
(DIR/<size>/<backend>.json); a later run with --keep DIR (or --reuse DIR: the same, but it
never imports) skips an import already done and prints its recorded figures.

PostgreSQL: `PACT_LEDGER_BENCH_POSTGRES_URL` (a superuser URL) or a throwaway server
(`tests/support/pgserver.py`), or with --keep the kept cluster (with both --keep and the URL,
the server at the URL, its kept database used, never created again).

    .venv/bin/python benchmarks/bench_scale.py --events 1000000 --backend sqlite \
        --keep /tmp/pact-scale 2>&1 | tee bench-logs/scale-sqlite-1m.log

Figures are indicative (and the machine may be shared: the load average says how much);
nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scale_pg import has_database  # noqa: E402
from pact_ledger.demo.script import demo_entries  # noqa: E402
from pact_ledger.import_format import line_of  # noqa: E402
from pact_ledger.settings import IMPORT_MEMORY  # noqa: E402

BENCH_URL = "PACT_LEDGER_BENCH_POSTGRES_URL"
EVENTS_PER_CASE = 14.5  # the demo's mix, measured
CLI = str(Path(sys.executable).parent / "pact-ledger")
STAGES = ("import", "raw-insert", "catch-up", "hashes", "rebuild", "verify", "digest", "proofs",
          "graphql", "append")
STAGE_SCRIPT = str(Path(__file__).resolve().parent / "scale_stages.py")


def say(text: str) -> None:
    print(text, flush=True)


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def write_file(path: Path, events: int, seed: int, workers: int = 1) -> int:
    """The import file for about `events` events (written beside, then renamed: a file that
    exists is complete); returns its number of lines. With `workers` > 1 the same bytes are
    written by that many processes (benchmarks/scale_file.py: a 10M file took over an hour of
    one core, and `demo_entries` holds every entry in memory at once)."""
    if workers > 1:
        from benchmarks.scale_file import write

        return write(path, events, seed, workers, say=say)
    cases = max(1, round(events / EVENTS_PER_CASE))
    lines = 0
    part = path.with_suffix(".part")
    with part.open("w", encoding="utf-8") as out:
        for _, command, meta in demo_entries(cases, seed, datetime.now(UTC)):
            out.write(line_of(command, meta) + "\n")
            lines += 1
    part.rename(path)
    return lines


def proc_status(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a running process, MB."""
    rss = hwm = 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss, hwm


def children_rss(pid: int) -> list[float]:
    """VmRSS (MB) of each child of a running process (an import's `--workers`), from
    /proc/PID/task/*/children: the budget of `--memory-mb` is each worker's."""
    found: list[float] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split():
                found.append(proc_status(int(child))[0])
    except OSError:
        pass
    return found


def file_position(pid: int, path: Path) -> int | None:
    """How far process `pid` has read `path` (from /proc/PID/fdinfo), or None. The link in
    /proc names the file's real path, so `path` is resolved first (a symlinked import file
    showed no progress)."""
    target = str(path.resolve())
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == target:
                    text = Path(f"/proc/{pid}/fdinfo/{fd}").read_text()
                    return int(text.split()[1])
            except OSError:
                continue
    except OSError:
        pass
    return None


def run_child(cmd: list[str], env: dict[str, str], watch: Path | None = None,
              every: float = 60.0) -> tuple[str, dict[str, float]]:
    """Run `cmd`, echoing its lines (prefixed) as they come; returns (stdout, usage) where
    usage holds its own peak RSS (MB), CPU seconds and wall seconds (os.wait4). With `watch`
    (the import file), prints at least every `every` s how far it has read and its RSS."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, bufsize=1)
    stop = threading.Event()

    def watcher() -> None:
        size = watch.stat().st_size if watch else 0
        last_pos, last_t = 0, time.perf_counter()
        while not stop.wait(every):
            rss, hwm = proc_status(proc.pid)
            pos = file_position(proc.pid, watch) if watch else None
            now = time.perf_counter()
            where = ""
            if pos is not None and size:
                speed = (pos - last_pos) / 1e6 / (now - last_t)
                where = f"read {pos / size:.1%} of the file, {speed:.2f} MB/s since the last mark, "
                last_pos, last_t = pos, now
            held = children_rss(proc.pid)
            children = (" + children " + ", ".join(f"{mb:,.0f}" for mb in held) + " MB"
                        if held else "")
            say(f"  .. {now - started:.0f} s: {where}RSS {rss:,.0f} MB (peak {hwm:,.0f})"
                f"{children}, load {load()}")

    if watch is not None:
        threading.Thread(target=watcher, daemon=True).start()
    lines = []
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            lines.append(line)
            if not line.startswith("RESULT "):
                say("  | " + line.rstrip())
    except BaseException:
        proc.kill()  # stopped (SIGTERM): the stage's child goes too
        raise
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    wall = time.perf_counter() - started
    out = "".join(lines)
    if proc.returncode not in (0, 1):  # import exits 1 when lines were refused
        raise RuntimeError(f"{cmd[:3]} exited {proc.returncode}:\n{out[-3000:]}")
    return out, {"peak_rss_mb": usage.ru_maxrss / 1024, "cpu_s": usage.ru_utime + usage.ru_stime,
                 "wall_s": wall}


def _recorded_anything(url: str) -> bool:
    """Whether the ledger at `url` holds events already (an import resumed after a stop: the
    sample rates it starts with are recorded)."""
    from pact_ledger.settings import Settings
    from pact_ledger.wiring import build

    container = build(Settings(url))
    try:
        return bool(container.ledger.recorder.max_notification_id())
    finally:
        container.close()


def import_stage(url: str, path: Path, env: dict[str, str], workers: int = 1) -> dict[str, Any]:
    """`pact-ledger import` of the file; with `workers` > 1 as `--workers N` (its rate per CPU
    second then counts the workers' CPU too, but is not the single-process figure)."""
    if not _recorded_anything(url):  # (resumed: loading them again would first catch up
        subprocess.run([CLI, "load-recognition-rates", "--sample",  # every read model)
                        "--published-at", "2020-01-01"], env=env, check=True, capture_output=True)
    budget = env.get(IMPORT_MEMORY)
    say(f"  .. import memory budget per process: {budget} MiB" if budget else
        f"  .. import: the fixed number of kept cases (no {IMPORT_MEMORY})")
    out, usage = run_child([CLI, "import", str(path), "--member-state", "EU", "--role",
                            "ADMINISTRATOR", "--no-catch-up", "--no-progress",
                            *(["--workers", str(workers)] if workers > 1 else [])],
                           env, watch=path)
    said = re.search(r"Recorded (\d+) commands \((\d+) events\) in ([\d.]+) s", out)
    if said is None:
        raise RuntimeError(f"import failed: {out[-3000:]}")
    per_cpu = re.search(r"([\d,]+) per CPU second", out)
    refused = re.search(r"(\d+) refused", out)
    events, took = int(said[2]), float(said[3])
    return {"events": events, "seconds": took, "rate": events / took,
            "cpu_rate": float(per_cpu[1].replace(",", "")) if per_cpu else None,
            "refused": int(refused[1]) if refused else None, "workers": workers, **usage}


def line_for(name: str, f: dict[str, Any], ref: dict[str, Any] | None) -> str:
    """The human line of one stage's figures (`ref`: the same stage on the reference ledger)."""
    def beside(key: str, fmt: str = "{:,.0f}") -> str:
        return f" [ref: {fmt.format(ref[key])}]" if ref and ref.get(key) is not None else ""

    if name == "import":
        workers = f.get("workers", 1)
        return (f"{f['rate']:,.0f} events/s{beside('rate')} ({f['events']:,} events in "
                f"{f['seconds']:.0f} s; {f['cpu_rate'] or 0:,.0f} per CPU second"
                f"{beside('cpu_rate')}; {f['refused']} lines refused"
                + (f"; --workers {workers}: not the single-process figure" if workers > 1
                   else "") + ")")
    if name == "raw-insert":
        return (f"raw INSERT, 5,000 per commit: {f['raw_insert_rows_s']:,.0f} rows/s"
                + beside("raw_insert_rows_s")
                + (f" (stopped for disk space after {f['raw_insert_rows']:,} rows)"
                   if f.get("raw_insert_stopped_for_disk") else ""))
    if name in ("catch-up", "hashes", "rebuild"):
        text = (f"{f['rate']:,.0f} events/s{beside('rate')} ({f['applied']:,} events in "
                f"{f['seconds']:.0f} s; {f['cpu_rate']:,.0f} per CPU second of the process"
                f"{beside('cpu_rate')})")
        if name == "rebuild":
            text += (f"  | raw SELECT: {f['raw_select_rows_s']:,.0f} rows/s "
                     f"({f['rate'] / f['raw_select_rows_s']:.2%})")
        return text
    if name == "verify":
        return (f"{f['seconds']:.1f} s = {f['rate']:,.0f} events/s{beside('rate')} (valid: "
                f"{f['valid']}; {f['cpu_rate']:,.0f} per CPU second of the parent, hashing in "
                f"worker processes from 50k events)  | raw SELECT + SHA-256: "
                f"{f['raw_hash_rows_s']:,.0f} rows/s ({f['rate'] / f['raw_hash_rows_s']:.1%})")
    if name == "digest":
        return f"{f['seconds']:.3f} s{beside('seconds', '{:.3f} s')} (size {f['size']:,})"
    if name == "proofs":
        return (f"inclusion median {f['inclusion_ms'][0]:.2f} ms, consistency median "
                f"{f['consistency_ms'][0]:.2f} ms (tree of {f['size']:,})"
                + (f" [ref: {ref['inclusion_ms'][0]:.2f} / {ref['consistency_ms'][0]:.2f} ms]"
                   if ref else ""))
    if name == "append":
        return (f"Ledger.handle {f['rate']:,.0f} cmd/s{beside('rate')} ({f['commands']:,} "
                f"commands, {f['cpu_ms']:.2f} ms CPU each{beside('cpu_ms', '{:.2f} ms')})  | "
                f"raw INSERT, 1 tx per command: {f['raw_rate']:,.0f} cmd/s "
                f"({f['rate'] / f['raw_rate']:.1%})")
    if name == "graphql":
        parts = []
        for key in ("page", "timeline"):
            (m, p), (rm, rp) = f["graphql_ms"][key], f["raw_ms"][key]
            r = f" [ref: {ref['graphql_ms'][key][0]:.1f}]" if ref else ""
            size = (f" ({f['timeline_events']} events)"
                    if key == "timeline" and f.get("timeline_events") else "")
            parts.append(f"{key}{size} median {m:.1f} ms{r} p99 {p:.1f} ms | raw SQL + orjson "
                         f"median {rm:.2f} ms p99 {rp:.2f} ms")
        return "; ".join(parts)
    return json.dumps(f)


class Backends:
    """The databases of one invocation: SQLite files and PostgreSQL databases (on the kept
    cluster with --keep, else a throwaway or the external server), by size."""

    def __init__(self, stack: ExitStack, base: Path, kept: bool) -> None:
        self.stack, self.base, self.kept = stack, base, kept
        self.server: Any = None

    def url(self, backend: str, events: int) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.base / str(events) / 'ledger.sqlite'}"
        if self.server is None:
            if self.kept and not os.environ.get(BENCH_URL):
                from benchmarks.scale_pg import KeptPostgres

                self.server = self.stack.enter_context(KeptPostgres(self.base / "pg"))
            else:
                from tests.support.pgserver import TemporaryPostgres

                self.server = self.stack.enter_context(
                    TemporaryPostgres(external_url=os.environ.get(BENCH_URL) or None))
        name = f"pact_bench_scale_{events}"
        if self.kept and has_database(self.server.admin_url, name):
            return str(self.server.url(name))
        return str(self.server.create_database(name))


def run_size(events: int, backend: str, args: argparse.Namespace, backends: Backends,
             reference: dict[str, Any] | None) -> dict[str, Any]:
    folder = backends.base / str(events)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "import.ndjson"
    part = path.with_suffix(".part")
    while not path.exists() and part.exists() and time.time() - part.stat().st_mtime < 60:
        time.sleep(5)  # another run (the other backend) is writing it
    if not path.exists():
        started = time.perf_counter()
        lines = write_file(path, events, args.seed, args.file_workers)
        say(f"Import file: {lines:,} lines, {path.stat().st_size / 1e6:,.0f} MB (written in "
            f"{time.perf_counter() - started:.0f} s)")
    url = backends.url(backend, events)
    env = {**os.environ, "PACT_LEDGER_DATABASE_URL": url, "COLUMNS": "200"}
    record = folder / f"{backend}.json"
    done: dict[str, Any] = json.loads(record.read_text()) if record.exists() else {}
    figures: dict[str, Any] = {}
    say(f"\n== {backend} at about {events:,} events ({url.split('@')[-1]}), "
        f"stages {','.join(args.stages)}")
    for name in args.stages:
        before = load()
        if name == "import" and "import" in done:
            f = done["import"]
            say(f"import     (recorded earlier, {f.get('at', '?')}, load then "
                f"{f.get('load', '?')}) {line_for(name, f, (reference or {}).get(name))}")
            figures[name] = f
            say("FIGURES " + json.dumps({"backend": backend, "nominal": events, "stage": name,
                                         "recorded_earlier": True, **f}))
            continue
        if name == "import" and args.reuse:
            say("import     skipped (--reuse)")
            continue
        started_at = datetime.now(UTC).strftime("%H:%M:%S")
        say(f"-- {name} starting at {started_at} UTC, load {before}")
        if name == "import":
            f = import_stage(url, path, env, args.import_workers)
        else:
            out, usage = run_child([sys.executable, STAGE_SCRIPT, name, url,
                                    str(args.requests)], env)
            result = [line for line in out.splitlines() if line.startswith("RESULT ")]
            if not result:
                raise RuntimeError(f"stage {name}: no result:\n{out[-3000:]}")
            f = {**json.loads(result[-1].removeprefix("RESULT ")), **usage}
        f.update(at=f"{started_at} UTC", load=f"{before} -> {load()}")
        figures[name] = f
        if name == "import" and backends.kept:
            done["import"] = f
            record.write_text(json.dumps(done, indent=1))
        say(f"{name:<10} {line_for(name, f, (reference or {}).get(name))}")
        say(f"{'':<10} peak RSS {f['peak_rss_mb']:,.0f} MB, {f['cpu_s']:,.1f} CPU s, "
            f"{f['wall_s']:,.0f} s wall; load {f['load']}")
        say("FIGURES " + json.dumps({"backend": backend, "nominal": events, "stage": name,
                                     **{k: v for k, v in f.items() if k != "rss_samples_mb"}}))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, action="append",
                        help="ledger size (repeatable; default 1M)")
    parser.add_argument("--reference", type=int, default=10_000,
                        help="size of the reference ledger run first with the same stages "
                             "(0: none)")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--stages", default=",".join(STAGES),
                        help=f"comma-separated, in order (default: {','.join(STAGES)})")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="keep files, ledgers and the PostgreSQL cluster in DIR; an import "
                             "already done there is not repeated")
    parser.add_argument("--reuse", type=Path, metavar="DIR",
                        help="as --keep, and never import (the ledgers in DIR are measured)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--file-workers", type=int, default=1,
                        help="processes writing the import file (same bytes; 1: in this one)")
    parser.add_argument("--import-workers", type=int, default=1,
                        help="`pact-ledger import --workers N` (N > 1: the import's rate is not "
                             "the single-process one; the log says so)")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    # `kill PID` stops cleanly: the stage's child is killed, the kept cluster stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args.stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = set(args.stages) - set(STAGES)
    if unknown:
        parser.error(f"unknown stages: {', '.join(sorted(unknown))}")
    backends_wanted = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    sizes = [s for s in [args.reference] if s] + (args.events or [1_000_000])
    say(f"Scale run at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPUs, load "
        f"{load()}; sizes {', '.join(f'{s:,}' for s in sizes)}; {', '.join(backends_wanted)}")
    started = time.perf_counter()
    with ExitStack() as stack:
        kept = args.reuse or args.keep
        base = kept or Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="pact-bench-scale-")))
        backends = Backends(stack, base.resolve(), kept is not None)
        for backend in backends_wanted:
            reference = None
            for events in sizes:
                begun = time.perf_counter()
                figures = run_size(events, backend, args, backends, reference)
                say(f"({backend} at {events:,}: {time.perf_counter() - begun:.0f} s)")
                if reference is None and args.reference:
                    reference = figures
    say(f"\nDone in {time.perf_counter() - started:.0f} s, load {load()}")


if __name__ == "__main__":
    main()
