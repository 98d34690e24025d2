"""Mutation throughput with 1, 2 and 4 server processes on one PostgreSQL, beside a raw baseline.

Each row starts `pact-ledger serve --workers N` on a fresh database of a throwaway PostgreSQL
(tests/support/pgserver.py; fsync off, synchronous_commit on) and sends `makeApplication`
mutations (each opens a case: two events, read-your-writes included) over loopback HTTP,
bounded in count and time, several runs per row (the median is printed). The baseline, in the
same run, is a plain Starlette endpoint in one process that INSERTs one row per request in its
own transaction: what HTTP plus one commit costs with no ledger at all. The load generator is
Python and shares the machine's cores with the servers and the database.

    .venv/bin/python benchmarks/bench_processes.py [--requests 600] [--seconds 20] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MAKE = """mutation($input: MakeApplicationInput!) { makeApplication(input: $input) {
  __typename ... on CommandSucceeded { caseId version readModelsCurrent } } }"""

RAW_SERVER = """
import sys, uvicorn, psycopg_pool
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
pool = psycopg_pool.ConnectionPool({url!r}, min_size=2, max_size=8, open=True)
with pool.connection() as conn:
    conn.execute("CREATE TABLE IF NOT EXISTS raw_events (id BIGSERIAL PRIMARY KEY, "
                 "stream TEXT NOT NULL, body TEXT NOT NULL)")
def insert(body):
    with pool.connection() as conn:
        return conn.execute("INSERT INTO raw_events (stream, body) VALUES (%s, %s) "
                            "RETURNING id", (body[:40], body)).fetchone()[0]
async def write(request):
    import anyio
    body = (await request.body()).decode()
    return JSONResponse({{"id": await anyio.to_thread.run_sync(insert, body)}})
uvicorn.run(Starlette(routes=[Route("/raw", write, methods=["POST"])]), host="127.0.0.1",
            port={port}, log_level="warning")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code in (200, 404, 405):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


async def load(url: str, body: object, total: int, seconds: float, concurrency: int,
               headers: dict[str, str]) -> tuple[float, int, int]:
    """(requests per second, requests, errors) for at most `total` requests in `seconds`."""
    counter = itertools.count()
    sent = errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        async def worker() -> None:
            nonlocal sent, errors
            while sent < total and time.perf_counter() < deadline:
                sent += 1
                n = next(counter)
                response = await client.post(url, json=body(n), headers=headers)  # type: ignore[operator]
                if response.status_code != 200 or b'"errors"' in response.content[:300] \
                        or b"CommandSucceeded" not in response.content and "graphql" in url:
                    errors += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    return sent / elapsed, sent, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--processes", default="1,2,4")
    args = parser.parse_args()

    from ledger.envelope import Actor
    from pact_ledger.tokens import KeyRing, TokenService
    from tests.support.pgserver import TemporaryPostgres

    key = f"bench:{secrets.token_urlsafe(32)}"
    headers = {"authorization": "Bearer " + TokenService(KeyRing.parse(key)).issue(
        Actor("bench-so", "SCREENING_OFFICER", "Benchmark", "IT"))}
    run_id = secrets.token_hex(3)

    def mutation(n: int) -> dict[str, object]:
        reference = f"B-{run_id}-{time.monotonic_ns()}-{n}"
        return {"query": MAKE, "variables": {"input": {
            "memberState": "IT", "nationalReference": reference, "place": "Lampedusa",
            "person": {"nationality": "SY"}, "occurredAt": "2026-03-02T10:00:00Z",
            "commandId": reference}}}

    rows: list[tuple[str, list[float], int]] = []
    with TemporaryPostgres(settings={"synchronous_commit": "on"}) as pg, \
            tempfile.TemporaryDirectory(prefix="pact-bench-proc-") as tmp:
        cli = str(Path(sys.executable).parent / "pact-ledger")
        raw_url = pg.create_database("raw")
        port = _free_port()
        raw = subprocess.Popen([sys.executable, "-c", RAW_SERVER.format(url=raw_url, port=port)])
        try:
            _wait(f"http://127.0.0.1:{port}/raw")
            rates, errors = [], 0
            for _ in range(args.runs):
                rps, _sent, errs = asyncio.run(load(
                    f"http://127.0.0.1:{port}/raw", lambda n: {"n": n, "run": run_id},
                    args.requests, args.seconds, args.concurrency, {}))
                rates.append(rps)
                errors += errs
            rows.append(("raw INSERT, 1 tx/request, 1 process", rates, errors))
            print(f"raw: {', '.join(f'{r:.0f}' for r in rates)} req/s", flush=True)
        finally:
            raw.terminate()
            raw.wait(timeout=30)
        for processes in [int(p) for p in args.processes.split(",")]:
            url = pg.create_database(f"ledger_{processes}")
            port = _free_port()
            env = {**os.environ, "PACT_LEDGER_DATABASE_URL": url, "PACT_LEDGER_JWT_KEYS": key,
                   "PACT_LEDGER_RATE_LIMIT": str(10**9), "PACT_LEDGER_DATA_DIR": tmp}
            server = subprocess.Popen([cli, "serve", "--workers", str(processes), "--port",
                                       str(port)], env=env, stdout=subprocess.DEVNULL,
                                      start_new_session=True)
            try:
                _wait(f"http://127.0.0.1:{port}/readyz")
                asyncio.run(load(f"http://127.0.0.1:{port}/graphql", mutation, 40, 10, 4,
                                 headers))  # warm-up: every worker imports and connects
                rates, errors = [], 0
                for _ in range(args.runs):
                    rps, _sent, errs = asyncio.run(load(
                        f"http://127.0.0.1:{port}/graphql", mutation, args.requests,
                        args.seconds, args.concurrency, headers))
                    rates.append(rps)
                    errors += errs
                rows.append((f"makeApplication, {processes} process(es)", rates, errors))
                print(f"{processes} process(es): {', '.join(f'{r:.0f}' for r in rates)} req/s",
                      flush=True)
            finally:
                server.terminate()
                server.wait(timeout=60)

    print(f"\n{args.concurrency} concurrent clients, at most {args.requests} requests or "
          f"{args.seconds:.0f} s per run, median of {args.runs} runs, loopback, "
          f"{os.cpu_count()} cores shared with the database and the load generator\n")
    header = f"{'what':<40} {'req/s (median)':>15} {'runs':>24} {'errors':>7}"
    print(header)
    print("-" * len(header))
    for name, rates, errors in rows:
        runs = ", ".join(f"{r:.0f}" for r in rates)
        print(f"{name:<40} {statistics.median(rates):>15.0f} {runs:>24} {errors:>7}")


if __name__ == "__main__":
    main()
