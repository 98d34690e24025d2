"""GraphQL reads in process: CPU per request of the real ASGI app beside plain Starlette + orjson.

Three reads (a page of 20 cases; a 30-event timeline; the page of 20 with each case's `person`,
so 20 access-log rows written before the answer) are sent through the whole ASGI stack (guard,
token check, observer, strawberry) by an in-process client, and beside them plain Starlette
endpoints that read the same rows from the same database (`benchmarks/baseline_app.py`; the
personal-data one opens the same personal data and writes the same access-log rows). No sockets:
this isolates the server's own cost from the load generator, which on a 2-core shared machine
otherwise dominates. The figure is requests per CPU-second of the process (all its threads), the
median of `--runs`, with wall-clock p50/p99 of one request at a time; the HTTP figures under load
are `bench_http.py`'s.

    .venv/bin/python benchmarks/bench_reads.py [--cases 300] [--requests 300] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_http import CASES_QUERY, TIMELINE_QUERY, prepare  # noqa: E402

PERSON_QUERY = """query PagePerson { cases(first: 20) { edges { node { id nationalReference
  status person { familyName givenNames } } } } }"""


def details_query(event_types: list[str]) -> str:
    """The timeline query with `details` instead of `payload`: every field of each event type's
    details (leaf fields; the personal-data status of the opening event) by inline fragments."""
    from graphql import GraphQLEnumType, GraphQLScalarType, get_named_type

    from schema.build import schema

    fragments, seen = [], {}  # type: ignore[var-annotated]
    for name in sorted(set(event_types)):
        kind = schema._schema.type_map[f"{name}Details"]
        leaves = []
        for f, d in kind.fields.items():  # type: ignore[union-attr]
            if isinstance(get_named_type(d.type), (GraphQLScalarType, GraphQLEnumType)):
                # a field name with another type in another fragment needs its own alias
                clash = seen.setdefault(f, str(d.type)) != str(d.type)
                leaves.append(f"{f}{len(fragments)}: {f}" if clash else f)
        nested = " personalData { status }" if "personalData" in kind.fields else ""  # type: ignore[union-attr]
        fragments.append(f"... on {name}Details {{ {' '.join(leaves)}{nested} }}")
    return TIMELINE_QUERY.replace("payload", "details { " + " ".join(fragments) + " }")


async def measure(client: httpx.AsyncClient, send, requests: int) -> dict:  # type: ignore[no-untyped-def]
    latencies = []
    cpu = time.process_time()
    for _ in range(requests):
        start = time.perf_counter()
        response = await send(client)
        latencies.append(time.perf_counter() - start)
        if response.status_code != 200 or b'"errors"' in response.content[:200]:
            raise SystemExit(f"failed: {response.status_code} {response.text[:300]}")
    cpu = time.process_time() - cpu
    latencies.sort()
    return {"cpu_rps": requests / cpu, "p50": statistics.median(latencies) * 1000,
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000}


async def run(app, calls: dict, requests: int, runs: int) -> None:  # type: ignore[no-untyped-def]
    async with app.router.lifespan_context(app):
        await asyncio.sleep(0.5)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            header = (f"{'read':<22} {'server':<16} {'req/CPU-s':>10} {'p50 ms':>8} "
                      f"{'p99 ms':>8}")
            print(header)
            print("-" * len(header))
            for name, pair in calls.items():
                results: dict[str, list[dict]] = {"GraphQL": [], "plain": []}
                for send in pair:
                    await measure(client, send, 30)  # warm-up
                for _ in range(runs):  # alternate, so that load from other jobs hits both
                    for label, send in zip(results, pair, strict=True):
                        results[label].append(await measure(client, send, requests))
                med = {label: {k: statistics.median(r[k] for r in rs) for k in rs[0]}
                       for label, rs in results.items()}
                for label, m in med.items():
                    print(f"{name:<22} {label:<16} {m['cpu_rps']:>10.0f} {m['p50']:>8.2f} "
                          f"{m['p99']:>8.2f}")
                share = med["GraphQL"]["cpu_rps"] / med["plain"]["cpu_rps"]
                print(f"{'':<22} {'GraphQL / plain':<16} {share:>10.2f}")


def timeline_types(case_id: str) -> list[str]:
    """The event types of the benchmark's timeline, read from the read model."""
    from pact_ledger.settings import Settings
    from pact_ledger.wiring import build

    container = build(Settings.from_env())
    try:
        return [r["event_type"] for r in container.reads.cases.timeline(case_id)]
    finally:
        container.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--requests", type=int, default=300, help="per run and read")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None,
                        help="default: a fresh SQLite file in a temporary folder")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="pact-bench-reads-")
    url = args.database_url or f"sqlite:///{Path(tmp.name) / 'ledger.sqlite'}"
    print(f"Seeding {args.cases} demo cases into {url.split('@')[-1]} ...", flush=True)
    case_id = prepare(url, args.cases)

    from ledger.envelope import Actor
    from pact_ledger.tokens import KeyRing, TokenService

    key = f"bench:{secrets.token_urlsafe(32)}"
    token = TokenService(KeyRing.parse(key)).issue(Actor("bench", "CASE_WORKER", "Benchmark", "IT"))
    os.environ.update(PACT_LEDGER_DATABASE_URL=url, PACT_LEDGER_JWT_KEYS=key,
                      PACT_LEDGER_RATE_LIMIT=str(10**9))
    from benchmarks.baseline_app import create_bench_app

    headers = {"authorization": f"Bearer {token}"}

    def gql(body: dict):  # type: ignore[no-untyped-def]
        return lambda c: c.post("/graphql", json=body, headers=headers)

    types = timeline_types(case_id)
    calls = {
        "page of 20 cases": (gql({"query": CASES_QUERY}), lambda c: c.get("/raw/cases")),
        "30-event timeline": (gql({"query": TIMELINE_QUERY, "variables": {"id": case_id}}),
                              lambda c: c.get(f"/raw/timeline/{case_id}")),
        "timeline, details": (gql({"query": details_query(types), "variables": {"id": case_id}}),
                              lambda c: c.get(f"/raw/timeline/{case_id}")),
        "page of 20 + person": (gql({"query": PERSON_QUERY}),
                                lambda c: c.get("/raw/cases-person")),
    }
    print(f"\nin-process ASGI client, one request at a time, {args.requests} requests per run, "
          f"median of {args.runs} runs\n")
    try:
        asyncio.run(run(create_bench_app(), calls, args.requests, args.runs))
    finally:
        tmp.cleanup()


if __name__ == "__main__":
    main()
