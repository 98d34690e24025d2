"""GraphQL reads through a real uvicorn at a paced rate: p50/p99 and server CPU per request,
beside plain Starlette + orjson endpoints reading the same rows in the same server.

The three reads of `bench_reads.py` (a page of 20 cases; a 30-event timeline; the page with each
case's `person`, 20 access-log rows written before the answer) and their plain endpoints
(`benchmarks/baseline_app.py`) are sent over loopback to one uvicorn worker in its own process,
open loop at `--rate` requests/s for `--seconds` (one request every 1/rate s, whether or not the
earlier ones have been answered, so a slow server shows as latency, not as a lower rate). Each
row is the median of `--runs` runs, alternating GraphQL and plain so that load from other jobs
hits both. Besides latency it prints the server process's CPU seconds per request (from
/proc, user + system), as requests per CPU-second and the ratio GraphQL / plain: the figure
least distorted by a shared machine. Only 127.0.0.1 is contacted; every run is bounded.

    .venv/bin/python benchmarks/bench_read_latency.py [--cases 300] [--rate 100] [--seconds 10]
        [--runs 3] [--only person]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_http import (  # noqa: E402
    CASES_QUERY,
    SERVER,
    TIMELINE_QUERY,
    _free_port,
    collections_paused,
    cpu_seconds,
    prepare,
)
from benchmarks.bench_reads import PERSON_QUERY  # noqa: E402


async def paced(url: str, make_request, rate: float, seconds: float) -> dict:  # type: ignore[no-untyped-def]
    """Open loop: one request every 1/rate s for `seconds` (bounded), the latency of each; a
    request that fails (status, GraphQL errors, a dropped connection) counts as an error and
    its time as its latency."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64,
                          keepalive_expiry=2.0)  # below uvicorn's 5 s: no reuse of closed ones
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        async def one() -> None:
            nonlocal errors
            start = time.perf_counter()
            try:
                response = await make_request(client)
                failed = response.status_code != 200 or b'"errors"' in response.content[:200]
            except httpx.HTTPError:
                failed = True
            latencies.append(time.perf_counter() - start)
            errors += failed

        tasks = []
        began = time.perf_counter()
        for i in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, began + i / rate - time.perf_counter()))
            tasks.append(asyncio.ensure_future(one()))
        await asyncio.gather(*tasks)
    latencies.sort()
    return {"requests": len(latencies), "errors": errors,
            "p50": statistics.median(latencies) * 1000,
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000}


def measure(base: str, pid: int, send, rate: float, seconds: float) -> dict:  # type: ignore[no-untyped-def]
    before = cpu_seconds(pid)
    with collections_paused():  # the load generator's own collections are not the server's
        result = asyncio.run(paced(base, send, rate, seconds))
    result["cpu_ms"] = (cpu_seconds(pid) - before) / max(1, result["requests"]) * 1000
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--rate", type=float, default=100.0, help="requests/s, paced")
    parser.add_argument("--seconds", type=float, default=10.0, help="per run and row")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("all", "page", "timeline", "person"), default="all",
                        help="one read (and its plain endpoint) only")
    parser.add_argument("--database-url", default=None,
                        help="default: a fresh SQLite file in a temporary folder")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="pact-bench-latency-")
    url = args.database_url or f"sqlite:///{Path(tmp.name) / 'ledger.sqlite'}"
    print(f"Seeding {args.cases} demo cases into {url.split('@')[-1]} ...", flush=True)
    case_id = prepare(url, args.cases)

    from ledger.envelope import Actor
    from pact_ledger.tokens import KeyRing, TokenService

    key = f"bench:{secrets.token_urlsafe(32)}"
    authorization = "Bearer " + TokenService(KeyRing.parse(key)).issue(
        Actor("bench", "CASE_WORKER", "Benchmark", "IT"))
    env = {**os.environ, "PACT_LEDGER_DATABASE_URL": url, "PACT_LEDGER_JWT_KEYS": key,
           "PACT_LEDGER_RATE_LIMIT": str(10**9)}
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER.format(root=str(ROOT), port=port)],
                              env=env)
    base = f"http://127.0.0.1:{port}"
    headers = {"content-type": "application/json", "authorization": authorization}

    def gql(body: dict):  # type: ignore[no-untyped-def]
        return lambda cl: cl.post("/graphql", json=body, headers=headers)

    reads = {
        "page of 20 cases": (gql({"query": CASES_QUERY}), lambda cl: cl.get("/raw/cases")),
        "30-event timeline": (gql({"query": TIMELINE_QUERY, "variables": {"id": case_id}}),
                              lambda cl: cl.get(f"/raw/timeline/{case_id}")),
        "page of 20 + person": (gql({"query": PERSON_QUERY}),
                                lambda cl: cl.get("/raw/cases-person")),
    }
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
        else:
            raise SystemExit("server did not start")
        print(f"\nuvicorn, one worker, loopback; open loop at {args.rate:.0f} req/s for "
              f"{args.seconds:.0f} s per run; median of {args.runs} runs\n")
        header = (f"{'read':<21} {'server':<8} {'p50 ms':>7} {'p99 ms':>7} {'max-run p99':>11} "
                  f"{'errors':>6} {'CPU ms/req':>10} {'req/CPU-s':>9}")
        print(header)
        print("-" * len(header))
        keys = {"page": "page of 20 cases", "timeline": "30-event timeline",
                "person": "page of 20 + person"}
        for name, pair in reads.items():
            if args.only != "all" and name != keys[args.only]:
                continue
            for send in pair:  # warm-up
                asyncio.run(paced(base, send, 20, 1))
            runs: dict[str, list[dict]] = {"GraphQL": [], "plain": []}
            for _ in range(args.runs):
                for label, send in zip(runs, pair, strict=True):
                    runs[label].append(measure(base, server.pid, send, args.rate,
                                               args.seconds))
            cpu = {}
            for label, rs in runs.items():
                med = {k: statistics.median(r[k] for r in rs)
                       for k in ("p50", "p99", "errors", "cpu_ms")}
                cpu[label] = med["cpu_ms"]
                print(f"{name:<21} {label:<8} {med['p50']:>7.1f} {med['p99']:>7.1f} "
                      f"{max(r['p99'] for r in rs):>11.1f} {med['errors']:>6.0f} "
                      f"{med['cpu_ms']:>10.2f} {1000 / med['cpu_ms']:>9.0f}   "
                      f"(p99 of runs: {', '.join(format(r['p99'], '.1f') for r in rs)})",
                      flush=True)
            print(f"{'':<21} GraphQL / plain, requests per CPU-second: "
                  f"{cpu['plain'] / cpu['GraphQL']:.2f}")
        load = os.getloadavg()
        print(f"\nload average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        tmp.cleanup()


if __name__ == "__main__":
    main()
