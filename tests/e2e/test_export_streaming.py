"""A large export streams with flat memory: exporting three times as many cases does not raise
the peak of Python memory (server and client run in this process, so tracemalloc sees both),
and the peak stays far below the size of the export itself."""

from __future__ import annotations

import tracemalloc

import httpx
import pytest

from ledger.case import commands as c
from pact_ledger.wiring import Container
from tests.e2e.conftest import bearer, serving
from tests.support.acting import handle
from tests.support.steps import at

pytestmark = pytest.mark.storage

LARGE, SMALL = 3000, 1000  # the small export still fills two batches (BATCH = 500)


def _seed(container: Container) -> None:
    for state, count in (("IT", LARGE), ("EL", SMALL)):
        for n in range(count):
            handle(container.ledger, c.MakeApplication(state, f"M-{n}", "Port",
                                                       c.Person("SY")), at(0))
    container.runner.catch_up()


def _stream(http: httpx.Client, path: str) -> tuple[int, int, int]:
    """(lines, bytes, peak traced bytes) of one streamed export, read chunk by chunk."""
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    lines = size = 0
    with http.stream("GET", path, headers=bearer("AUDITOR", "EU")) as response:
        assert response.status_code == 200
        for chunk in response.iter_bytes():
            lines += chunk.count(b"\n")
            size += len(chunk)
    _, peak = tracemalloc.get_traced_memory()
    return lines, size, peak - before


def test_large_export_streams_with_flat_memory(container: Container) -> None:
    _seed(container)  # before the server starts: its runner would compete for the writes
    with serving(container) as url, httpx.Client(base_url=url, timeout=60) as http:
        for form in ("csv", "ndjson"):
            tracemalloc.start()
            try:
                _stream(http, f"/exports/cases.{form}?memberState=EL")  # warm up
                small = _stream(http, f"/exports/cases.{form}?memberState=EL")
                large = _stream(http, f"/exports/cases.{form}?memberState=IT")
            finally:
                tracemalloc.stop()
            header = 1 if form == "csv" else 0
            assert (small[0], large[0]) == (SMALL + header, LARGE + header)
            print(f"\n{form}: {SMALL} cases {small[1]:,} B, peak {small[2]:,} B; "
                  f"{LARGE} cases {large[1]:,} B, peak {large[2]:,} B")
            assert large[1] > 2.5 * small[1]
            assert large[2] < 1.3 * small[2]  # three times the cases, no more memory
    # Reading the same cases in one go, as a non-streaming export would, takes far more.
    tracemalloc.start()
    rows = container.db.fetchall("SELECT * FROM case_list WHERE member_state = 'IT'")
    _, whole = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(rows) == LARGE
    print(f"all {LARGE} rows at once: {whole:,} B")
    assert large[2] < whole * 0.75
