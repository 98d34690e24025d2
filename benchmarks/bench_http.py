"""Load the running GraphQL server over loopback HTTP and print req/s and latency percentiles.

Two GraphQL operations (a page of 20 cases; a 30-event case timeline) are measured beside a plain
Starlette JSON endpoint that reads the same rows from the same database in the same run: the
ratio is the price of GraphQL (parsing, validation, execution, type completion).

Mutations (`recordHealthCheck` on open screening cases, one event each, the Python client
rotating over the cases) are measured beside `/raw/append`, a plain endpoint doing one INSERT +
COMMIT of an event-shaped row in the same database: asking for the consistency token only
(`position`), and asking for the `case` (the answer then waits for the read models). Each is the
median of --runs runs at --concurrency connections, then, once the read models have projected
those runs' events (`/readyz` lag 0; the time it took is printed), paced at --rate requests/s
for p99.

The server runs in its own process (one uvicorn worker) so that the load generator does not share
its interpreter. Every load is bounded in request count and in time; only 127.0.0.1 is contacted.

    .venv/bin/python benchmarks/bench_http.py [--requests 2000] [--seconds 20] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CASES_QUERY = """query Page($after: String) { cases(first: 20, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { cursor node { id memberState nationalReference nationality status procedure
                        lastDecisionType updatedAt } } } }"""
TIMELINE_QUERY = """query Timeline($id: ID!) { caseTimeline(caseId: $id) {
  position version type occurredAt recordedAt actor { id role authority memberState }
  legalBasis { act article } commandId correlationId payload } }"""


OPEN_CASES = 300
HEALTH_TOKEN = """mutation($input: RecordHealthCheckInput!) { recordHealthCheck(input: $input) {
  __typename ... on CommandSucceeded { caseId version position } } }"""
HEALTH_CASE = """mutation($input: RecordHealthCheckInput!) { recordHealthCheck(input: $input) {
  __typename ... on CommandSucceeded { caseId version position readModelsCurrent
                                       case { id status version } } } }"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(database_url: str, cases: int) -> str:
    """Seed demo cases plus one case with exactly 30 events; return that case's id."""
    from ledger.authorization.policy import WRITES
    from ledger.case import commands as c
    from ledger.case.aggregate import Case
    from ledger.command_meta import CommandMeta
    from ledger.envelope import Actor
    from pact_ledger.demo import seed_demo
    from pact_ledger.settings import Settings
    from pact_ledger.wiring import build

    container = build(Settings(database_url))
    try:
        seed_demo(container, cases=cases, seed=11)
        t = datetime(2025, 1, 6, 9, tzinfo=UTC)

        def step(command: c.CaseCommand, days: int) -> None:
            role = min(r.value for r in WRITES[type(command)])  # one who may record it
            actor = Actor(f"bench-{role.lower()}", role, "Benchmark", "IT")
            container.ledger.handle(
                command, CommandMeta(actor=actor, occurred_at=t + timedelta(days=days))
            )

        opened = datetime.now(UTC) - timedelta(days=2)
        for i in range(OPEN_CASES):  # open screening cases for the mutation rows
            container.ledger.handle(
                c.StartScreening("IT", f"BENCH-OPEN-{i}", c.Person("SY"), "SEARCH_AND_RESCUE",
                                 "Lampedusa"),
                CommandMeta(actor=Actor("bench-so", "SCREENING_OFFICER", "Benchmark", "IT"),
                            occurred_at=opened))
        ref = "BENCH-30"
        case_id = Case.create_id("IT", ref)
        step(c.StartScreening("IT", ref, c.Person("BD"), "SEARCH_AND_RESCUE", "Lampedusa"), 0)
        step(c.MakeApplication("IT", ref, "Lampedusa"), 1)
        step(c.CompleteScreening(case_id, "REFER_TO_REGISTRATION", "SF-1"), 2)
        step(c.RegisterApplication(case_id), 3)
        step(c.LodgeApplication(case_id), 5)
        step(c.AssignProcedure(case_id, "REGULAR"), 6)
        day = 30
        for round_no in range(5):  # a decision with its return decision: two events
            step(c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39", t + timedelta(days=day),
                                 with_return_decision=True, voluntary_departure_days=15), day)
            step(c.LodgeAppeal(case_id, "Tribunale di Catania"), day + 5)
            outcome = "REMITTED" if round_no < 4 else "UPHELD"
            step(c.DecideAppeal(case_id, outcome), day + 40)
            day += 50
        step(c.DeclareDecisionFinal(case_id), day)  # with RightToRemainEnded: two events
        step(c.CloseCase(case_id, "OTHER"), day + 60)
        container.runner.catch_up()
        assert len(container.reads.cases.timeline(str(case_id))) == 30
        return str(case_id)
    finally:
        container.close()


def open_case_ids() -> list[str]:
    from ledger.case.aggregate import Case

    return [str(Case.create_id("IT", f"BENCH-OPEN-{i}")) for i in range(OPEN_CASES)]


SERVER = """
import sys, uvicorn
sys.path.insert(0, {root!r})
from benchmarks.baseline_app import create_bench_app
uvicorn.run(create_bench_app(), host="127.0.0.1", port={port}, log_level="warning")
"""


@contextlib.contextmanager
def collections_paused() -> Iterator[None]:
    """No garbage collection in the load generator while it times requests (bounded: one paced
    run). This process seeded the ledger and imported the whole application, so a full
    collection of its own heap took 40-75 ms, and one landing in a paced run was counted as the
    server's latency (seen with `gc.callbacks` in both processes: the server's own full
    collections took 1-4 ms)."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def paced(url: str, make_request, rate: float, seconds: float) -> dict:
    """Open loop: one request every 1/rate s for `seconds` (bounded), latency of each."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        async def one() -> None:
            nonlocal errors
            start = time.perf_counter()
            response = await make_request(client)
            latencies.append(time.perf_counter() - start)
            if response.status_code != 200 or b'"errors"' in response.content[:200]:
                errors += 1

        tasks = []
        began = time.perf_counter()
        for i in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, began + i / rate - time.perf_counter()))
            tasks.append(asyncio.ensure_future(one()))
        await asyncio.gather(*tasks)
    latencies.sort()
    return {"requests": len(latencies), "errors": errors, "rps": rate,
            "p50": statistics.median(latencies) * 1000,
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000}


WRK_MUTATION_SCRIPT = """
local ids = {{{ids}}}
local template = {template}
local n = 0
errors = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/graphql", {{["Content-Type"] = "application/json",
    ["Authorization"] = "{authorization}"}}, string.format(template, ids[(n % #ids) + 1]))
end
response = function(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then errors = errors + 1 end
end
"""


def wrk_mutation(url: str, query: str, case_ids: list[str], when: str, seconds: float,
                 concurrency: int, authorization: str) -> dict:
    """A mutation row with wrk: each request for the next case of `case_ids` in turn (one
    thread), GraphQL errors counted from the bodies."""
    import json

    body = json.dumps({"query": query, "variables": {"input": {
        "caseId": "CASE", "result": "NO_NEEDS", "occurredAt": when}}})
    template = body.replace("%", "%%").replace('"CASE"', '"%s"')
    script = WRK_MUTATION_SCRIPT.format(
        ids=", ".join(json.dumps(i) for i in case_ids), template=json.dumps(template),
        authorization=authorization)
    script += WRK_ERRORS
    return _wrk(url, "/graphql", script, seconds, concurrency)


#: Appended to a script: its thread's `errors` (GraphQL errors in 200 answers) printed at the end.
WRK_ERRORS = """
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + (t:get("errors") or 0) end
  io.write(string.format("GraphQL errors: %d\\n", total))
end
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def mutation_rows(base: str, gql: dict, case_ids: list[str], args: argparse.Namespace,
                  use_wrk: bool = False, server_pid: int | None = None) -> None:
    """recordHealthCheck (token only; with the case) beside /raw/append, median of runs; the
    closed-loop rows with wrk when `use_wrk` (the paced rows always with the Python client)."""
    import itertools

    turn = itertools.count()
    when = (datetime.now(UTC) - timedelta(days=1)).isoformat()

    def mutation(query: str):  # type: ignore[no-untyped-def]
        def send(cl: httpx.AsyncClient):  # type: ignore[no-untyped-def]
            case_id = case_ids[next(turn) % len(case_ids)]
            return cl.post("/graphql", headers=gql, json={"query": query, "variables": {
                "input": {"caseId": case_id, "result": "NO_NEEDS", "occurredAt": when}}})
        return send

    def raw(cl: httpx.AsyncClient):  # type: ignore[no-untyped-def]
        return cl.post("/raw/append", content=b'{"result":"NO_NEEDS","occurredAt":"%s"}'
                       % when.encode())

    rows = [("mutation, token only", mutation(HEALTH_TOKEN)),
            ("mutation with case", mutation(HEALTH_CASE)),
            ("raw INSERT+COMMIT", raw)]
    queries = {"mutation, token only": HEALTH_TOKEN, "mutation with case": HEALTH_CASE}
    raw_body = f'{{"result":"NO_NEEDS","occurredAt":"{when}"}}'

    def closed(name: str, call) -> dict:  # type: ignore[no-untyped-def]
        """One closed-loop run, with the server's CPU ms per request (0 if not known)."""
        before = cpu_seconds(server_pid) if server_pid else 0.0
        result = closed_run(name, call)
        spent = cpu_seconds(server_pid) - before if server_pid else 0.0
        result["cpu_ms"] = spent / max(1, result["requests"]) * 1000
        return result

    def closed_run(name: str, call) -> dict:  # type: ignore[no-untyped-def]
        if not use_wrk:
            return asyncio.run(load(base, call, args.requests, args.seconds, args.concurrency))
        if name in queries:
            return wrk_mutation(base, queries[name], case_ids, when, args.seconds,
                                args.concurrency, gql["authorization"])
        return wrk_load(base, "/raw/append", raw_body, args.seconds, args.concurrency)

    bound = f"{args.seconds:.0f} s" if use_wrk else \
        f"at most {args.requests} requests or {args.seconds:.0f} s"
    print(f"\nMutations ({'wrk' if use_wrk else 'Python httpx'}): median of {args.runs} runs, "
          f"{args.concurrency} connections, {bound} each; then paced (Python httpx) at "
          f"{args.rate:.0f} req/s for {args.paced_seconds:.0f} s")
    header = (f"{'operation':<22} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
              f"{'CPU ms/req':>10}   {'paced p50':>9} {'paced p99':>9}")
    print(header)
    print("-" * len(header))
    rates = {}
    for name, call in rows:
        asyncio.run(load(base, call, 50, 5, 2))  # warm-up
        runs = [closed(name, call) for _ in range(args.runs)]
        r = {k: statistics.median(x[k] for x in runs)
             for k in ("rps", "p50", "p99", "errors", "cpu_ms")}
        behind = caught_up(base)
        with collections_paused():
            p = asyncio.run(paced(base, call, args.rate, args.paced_seconds))
        rates[name] = r["rps"]
        print(f"{name:<22} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} "
              f"{r['errors']:>7.0f} {r['cpu_ms']:>10.2f}   {p['p50']:>9.1f} {p['p99']:>9.1f}"
              f"   (runs: {', '.join(format(x['rps'], '.0f') for x in runs)}; {behind})",
              flush=True)
    raw_rps = rates["raw INSERT+COMMIT"]
    for name in ("mutation, token only", "mutation with case"):
        print(f"{name:<22} = {rates[name] / raw_rps:.0%} of the raw endpoint")


def caught_up(base: str, bound: float = 120.0) -> str:
    """Wait (bounded) until the server's read models have projected the closed-loop runs'
    events (`/readyz` lag 0), so the paced run measures the steady state at its rate and not
    the projector working off a backlog of thousands of events; say how long that took."""
    began = time.perf_counter()
    lag: object = "?"
    while time.perf_counter() - began < bound:
        try:
            lag = httpx.get(f"{base}/readyz", timeout=5).json().get("lag", "?")
        except (httpx.HTTPError, ValueError):
            lag = "?"
        if lag == 0:
            break
        time.sleep(0.2)
    return f"read models caught up in {time.perf_counter() - began:.1f} s (lag {lag})"


async def load(url: str, make_request, total: int, seconds: float, concurrency: int) -> dict:
    """Send at most `total` requests within `seconds`, `concurrency` at a time."""
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        async def worker() -> None:
            nonlocal sent, errors
            while sent < total and time.perf_counter() < deadline:
                sent += 1
                start = time.perf_counter()
                response = await make_request(client)
                latencies.append(time.perf_counter() - start)
                if response.status_code != 200 or b'"errors"' in response.content[:200]:
                    errors += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


WRK_SCRIPT = """
wrk.method = "{method}"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "{authorization}"
"""


def wrk_load(url: str, path: str, body: str | None, seconds: float, concurrency: int,
             authorization: str = "") -> dict:
    """The same load with wrk (a C load generator), when installed: the Python client above
    tops out near the plain endpoint's rate on two cores, wrk does not."""
    import json

    return _wrk(url, path, WRK_SCRIPT.format(method="POST" if body else "GET",
                                             body=json.dumps(body) if body else "nil",
                                             authorization=authorization),
                seconds, concurrency)


def _wrk(url: str, path: str, script_text: str, seconds: float, concurrency: int) -> dict:
    """Run wrk (one thread) with a Lua script; its figures, GraphQL errors counted where the
    script reports them."""
    import re

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(script_text)
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{concurrency}", f"-d{max(1, int(seconds))}s", "--latency",
             "-s", script.name, url + path],
            capture_output=True, text=True, timeout=seconds + 30, check=True,
        ).stdout
    finally:
        os.unlink(script.name)

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    graphql_errors = re.search(r"GraphQL errors: (\d+)", out)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        "errors": (int(graphql_errors.group(1)) if graphql_errors else
                   int(errors.group(1)) if errors else 0),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": ms("50%"),
        "p99": ms("99%"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--client", choices=("auto", "python", "wrk"), default="auto",
                        help="load generator; auto: wrk if installed")
    parser.add_argument("--runs", type=int, default=3, help="runs per mutation row (median)")
    parser.add_argument("--rate", type=float, default=100.0, help="paced mutation rate, req/s")
    parser.add_argument("--paced-seconds", type=float, default=10.0)
    parser.add_argument("--only", choices=("all", "reads", "mutations"), default="all")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite",
                        help="postgres: a throwaway cluster (tests/support/pgserver.py), or "
                             "the server named by $PACT_LEDGER_BENCH_POSTGRES_URL")
    parser.add_argument("--database-url", default=None,
                        help="default: a fresh database of --backend")
    args = parser.parse_args()
    if args.backend == "postgres" and args.database_url is None:
        from benchmarks.bench_storage import BENCH_URL
        from tests.support.pgserver import TemporaryPostgres

        with TemporaryPostgres(external_url=os.environ.get(BENCH_URL) or None) as pg:
            name = f"pact_bench_http_{os.getpid()}"
            args.database_url = pg.create_database(name)
            try:
                run(args)
            finally:
                pg.drop_database(name)
    else:
        run(args)


def run(args: argparse.Namespace) -> None:
    tmp = tempfile.TemporaryDirectory(prefix="pact-bench-http-")
    url = args.database_url or f"sqlite:///{Path(tmp.name) / 'ledger.sqlite'}"
    print(f"Seeding {args.cases} demo cases into {url.split('@')[-1]} ...", flush=True)
    case_id = prepare(url, args.cases)

    port = _free_port()
    # The server checks tokens as in production, with a key of this run and no rate limit
    # that a benchmark would hit.
    from ledger.envelope import Actor
    from pact_ledger.tokens import KeyRing, TokenService

    key = f"bench:{secrets.token_urlsafe(32)}"
    authorization = "Bearer " + TokenService(KeyRing.parse(key)).issue(
        Actor("bench", "CASE_WORKER", "Benchmark", "IT"))
    env = {**os.environ, "PACT_LEDGER_DATABASE_URL": url, "PACT_LEDGER_JWT_KEYS": key,
           "PACT_LEDGER_RATE_LIMIT": str(10**9)}
    server = subprocess.Popen([sys.executable, "-c", SERVER.format(root=str(ROOT), port=port)],
                              env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
        else:
            raise SystemExit("server did not start")

        gql = {"content-type": "application/json", "authorization": authorization}
        use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
        import json

        wrk_calls = {
            "page of 20 cases": (("/graphql", json.dumps({"query": CASES_QUERY})),
                                 ("/raw/cases", None)),
            "30-event timeline": (
                ("/graphql", json.dumps({"query": TIMELINE_QUERY, "variables": {"id": case_id}})),
                (f"/raw/timeline/{case_id}", None)),
        }
        scenarios = {
            "page of 20 cases": (
                lambda cl: cl.post("/graphql", json={"query": CASES_QUERY}, headers=gql),
                lambda cl: cl.get("/raw/cases"),
            ),
            "30-event timeline": (
                lambda cl: cl.post("/graphql", json={"query": TIMELINE_QUERY,
                                                     "variables": {"id": case_id}}, headers=gql),
                lambda cl: cl.get(f"/raw/timeline/{case_id}"),
            ),
        }
        client = "wrk" if use_wrk else "Python httpx"
        bound = f"{args.seconds:.0f} s"
        if not use_wrk:
            bound = f"{args.requests} requests or {bound}"
        print(f"\n{client}, {args.concurrency} connections, at most {bound} per row, "
              f"one uvicorn worker, loopback\n")
        header = (f"{'operation':<20} {'server':<20} {'req/s':>8} {'p50 ms':>8} "
                  f"{'p99 ms':>8} {'errors':>7}")
        print(header)
        print("-" * len(header))
        if args.only == "mutations":
            scenarios = {}
        for name, (graphql_call, raw_call) in scenarios.items():
            results = {}
            for index, (label, call) in enumerate(
                (("GraphQL", graphql_call), ("plain Starlette JSON", raw_call))
            ):
                asyncio.run(load(base, call, 50, 5, 2))  # warm-up
                if use_wrk:
                    path, body = wrk_calls[name][index]
                    r = wrk_load(base, path, body, args.seconds, args.concurrency, authorization)
                else:
                    r = asyncio.run(load(base, call, args.requests, args.seconds,
                                         args.concurrency))
                results[label] = r
                print(f"{name:<20} {label:<20} {r['rps']:>8.0f} {r['p50']:>8.1f} "
                      f"{r['p99']:>8.1f} {r['errors']:>7}")
            ratio = results["plain Starlette JSON"]["rps"] / results["GraphQL"]["rps"]
            print(f"{'':<20} {'baseline / GraphQL':<20} {ratio:>8.1f}x")
        if args.only in ("all", "mutations"):
            mutation_rows(base, gql, open_case_ids(), args, bool(use_wrk), server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
        tmp.cleanup()


if __name__ == "__main__":
    main()
