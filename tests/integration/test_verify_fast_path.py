"""`verify`'s fast path on a real demo ledger (every family of events, both backends): every
stored row is hashed without decoding it (format 3: its stored bytes as they are), to the very
hashes the decode path gives, and the report is the one the decode path gives."""

from __future__ import annotations

import dataclasses
import multiprocessing
import threading
import uuid
from collections import Counter
from pathlib import Path
from uuid import UUID

import pytest

from ledger.stored_canonical import StoredCanonical
from ledger.streamed_check import Checked
from ledger.verification import ALTERED, UNDECODABLE, Report, SavedDigest, Stored, _row, verify
from pact_ledger.demo.seeding import seed_demo
from pact_ledger.settings import Settings
from pact_ledger.wiring import Container, build
from projections import integrity_checks, parallel_hashing
from projections.db import SQLiteDatabase
from projections.stored_rows import raw_reader
from tests.support.flows import rejected_with_return, screened_applicant
from tests.support.pgserver import TemporaryPostgres
from tests.support.tamper import StoredRows

pytestmark = pytest.mark.storage


def test_every_demo_row_is_hashed_without_decoding_to_the_same_bytes(
        container: Container) -> None:
    seed_demo(container, cases=40, seed=11)
    app = container.ledger
    reader = raw_reader(app)
    assert reader is not None
    twin = StoredCanonical(app.mapper)
    rows = reader(1, 100_000)
    families: Counter[str] = Counter()
    for position, stream, version, topic, state in rows:
        assert stream is not None
        fast = twin.hashed(topic, stream, version, state, set())
        found, = app.recorder.select_notifications(position, 1, stop=position)
        event = app.mapper.to_domain_event(found)
        assert fast is not None, topic
        row, leaf = _row(Stored(position, stream, version, event, topic=topic, state=state))
        member_state = getattr(event, "member_state", None)
        assert fast == (row.hash, leaf, row.previous,
                        member_state if isinstance(member_state, str) else None), topic
        families[topic.split(":")[1].split(".")[0]] += 1
    assert {"case", "solidarity", "crisis", "resettlement", "reference"} <= set(families)

    container.runner.catch_up()
    integrity = container.reads.integrity
    report = integrity.verify_ledger(member_states=True)
    assert report.valid and report.events_checked == len(rows) and report.stream_states
    assert integrity.verify_ledger() == dataclasses.replace(report, stream_states={})
    fast = list(integrity.scan())
    assert all(type(row) is tuple for row in fast)  # none left to decoding
    decoded = [row for batch in integrity._decoding_batches() for row in batch]  # decode path
    assert all(row.event is not None for row in decoded)
    witness = integrity.table.witness()
    assert verify(fast, witness, record_at=integrity._record_at) == verify(decoded, witness) \
        == report


def _force_start(monkeypatch: pytest.MonkeyPatch, container: Container, start: str) -> None:
    """Workers started by `start` whatever `parallel_hashing._context` would choose. Forking
    while another thread may hold a lock is what `_context` avoids (it forks only when this
    process runs no other thread): for a forced fork, the read models' WAL checkpointer
    (`SQLiteDatabase.stop_checkpointer`) is stopped first, or a child may inherit SQLite's mutex
    held by a checkpoint and hang in `sqlite3.connect`."""
    if start == "fork" and isinstance(container.db, SQLiteDatabase):
        container.db.stop_checkpointer()
    monkeypatch.setattr(parallel_hashing, "_context",
                        lambda: multiprocessing.get_context(start))


@pytest.mark.parametrize("start", ["fork", "forkserver", "spawn"])
def test_worker_processes_find_what_one_process_finds(
        container: Container, monkeypatch: pytest.MonkeyPatch, start: str) -> None:
    """The parallel scan (`projections.parallel_hashing`), forced on a small ledger, gives the
    report of the one-process scan, for an untouched ledger and for a tampered one (an altered
    event, an undecodable row, and on SQLite a stream id the recorder cannot read); with
    workers forked from this process, by a fork server and fresh interpreters alike."""
    _force_start(monkeypatch, container, start)
    a = rejected_with_return(container.ledger, "IT-P-1")
    b = screened_applicant(container.ledger, "IT-P-2")
    container.runner.catch_up()
    integrity = container.reads.integrity

    def both() -> tuple[Report, Report]:
        """Each naming the streams' member states; asked for none, the same naming none."""
        found = []
        for states in (True, False):
            integrity.parallel_from = 10 ** 9
            alone = integrity.verify_ledger(member_states=states)
            integrity.parallel_from = 1
            try:
                found.append((alone, integrity.verify_ledger(member_states=states)))
            finally:
                integrity.parallel_from = 10 ** 9
        assert found[1] == tuple(dataclasses.replace(r, stream_states={}) for r in found[0])
        return found[0]

    alone, workers = both()
    assert alone.valid and workers == alone
    rows = StoredRows(container.settings)
    try:
        rows.alter_actor(rows.positions(a)[3])
        rows.set_state(rows.positions(b)[2], b"{not json")
        if rows.sqlite:
            rows.garble_stream_id(rows.positions(b)[4])
        alone, workers = both()
    finally:
        rows.close()
    assert {p.reason for p in alone.problems} >= {ALTERED, UNDECODABLE}
    assert workers == alone


def test_workers_are_forked_only_from_a_process_without_other_threads() -> None:
    """A fork copies only the calling thread (a lock another thread held stays held in the
    child): with another thread running, workers are forked by a fork server instead."""
    alone = "fork" if threading.active_count() == 1 else "forkserver"  # (a suite's threads)
    assert parallel_hashing._context().get_start_method() == alone
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, args=(10,))
    other.start()
    try:
        assert parallel_hashing._context().get_start_method() == "forkserver"
    finally:
        stop.set()
        other.join()
    assert parallel_hashing._context().get_start_method() == alone


def test_a_failing_worker_leaves_the_check_to_this_process(
        container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    screened_applicant(container.ledger, "IT-P-3")
    container.runner.catch_up()
    integrity = container.reads.integrity
    expected = integrity.verify_ledger()
    source = parallel_hashing.source_of(container.ledger)
    assert source is not None
    broken = dataclasses.replace(source, backend="sqlite", location="/nonexistent/dir/x.sqlite")
    monkeypatch.setattr(integrity_checks, "source_of", lambda app: broken)
    integrity.parallel_from = 1
    assert integrity.verify_ledger() == expected


def test_the_one_pass_check_gives_the_full_checks_report(
        container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    """`verify_ledger` checks a sound ledger in one pass (`ledger.streamed_check`) to the very
    report the full check gives, with and without a saved digest; a tampered one goes to the
    full check, which names the problem."""
    seed_demo(container, cases=12, seed=5)
    container.runner.catch_up()
    integrity = container.reads.integrity
    whole = integrity.verify_whole()
    digest = integrity.digest()
    saved = SavedDigest(digest.size - 3, integrity.table.tree(digest.size - 3).root().hex())
    whole_saved = integrity.verify_whole(saved)
    calls: list[int] = []
    full = integrity.verify_whole
    monkeypatch.setattr(integrity, "verify_whole",
                        lambda *args: calls.append(1) or full(*args))
    assert integrity.verify_ledger() == whole and whole.valid and whole.events_checked > 100
    assert integrity.verify_ledger(saved) == whole_saved and whole_saved.valid
    assert calls == []
    assert not integrity.verify_ledger(SavedDigest(saved.size, "00" * 32)).valid
    assert calls == [1]
    rows = StoredRows(container.settings)
    try:
        rows.alter_actor(rows.positions(UUID(next(iter(whole.stream_counts))))[1])
    finally:
        rows.close()
    report = integrity.verify_ledger()
    assert report.first_problem is not None and report.first_problem.reason == ALTERED
    assert calls == [1, 1]


def test_the_one_pass_check_gives_the_same_report_whatever_its_batches(
        container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of any length (the frontier carried between them at every level, a saved
    digest's size anywhere in a batch) give the full check's report without running it; a
    stored subtree above the leaves that differs sends the check to the full one."""
    seed_demo(container, cases=4, seed=3)
    container.runner.catch_up()
    integrity = container.reads.integrity
    size = integrity.digest().size
    assert size > 40
    saved = [None, *(SavedDigest(s, integrity.table.tree(s).root().hex())
                     for s in (1, 2, 7, 8, 9, size - 1, size))]
    whole = {s: integrity.verify_whole(s) for s in saved}
    calls: list[int] = []
    full = integrity.verify_whole
    monkeypatch.setattr(integrity, "verify_whole",
                        lambda *args: calls.append(1) or full(*args))
    for batch in (1, 3, 8, 13, 64):
        monkeypatch.setattr(integrity_checks, "READ_BATCH", batch)
        for s in saved:
            assert integrity.verify_ledger(s) == whole[s] and whole[s].valid, (batch, s)
    assert calls == []
    with container.db.transaction() as tx:
        tx.execute("UPDATE merkle_nodes SET hash = ? WHERE level = 2 AND idx = 1", ("00" * 32,))
    report = integrity.verify_ledger()
    assert not report.valid and calls == [1] and report == full()


@pytest.mark.parametrize("start", ["fork", "forkserver", "spawn"])
def test_workers_answer_with_checked_ranges(
        container: Container, monkeypatch: pytest.MonkeyPatch, start: str) -> None:
    """The workers themselves answer (not this process after a failing worker): each range as
    a `Checked` of exactly the rows and leaves this process hashes, or as those rows."""
    _force_start(monkeypatch, container, start)
    monkeypatch.setattr(parallel_hashing, "CHUNK", 7)
    seed_demo(container, cases=3, seed=2)
    app = container.ledger
    source = parallel_hashing.source_of(app)
    reader = raw_reader(app)
    assert source is not None and reader is not None
    last = app.recorder.max_notification_id() or 0
    mine = StoredCanonical(app.mapper).hashed_rows(reader(1, last), set())  # type: ignore
    found = list(parallel_hashing.hashed_ranges(source, last, checked=True))
    assert [(lo, hi) for lo, hi, _, _ in found] == \
        [(lo, min(lo + 6, last)) for lo in range(1, last + 1, 7)]
    checked = [results for _, _, readable, results in found if readable]
    assert len(checked) == len(found) and all(type(c) is Checked for c in checked)
    assert [p for c in checked for p in c.positions] == [row[0] for row in mine]
    assert b"".join(c.leaves for c in checked) == b"".join(row[4] for row in mine)
    rows = list(parallel_hashing.hashed_ranges(source, last))
    assert all(type(results) is list for _, _, _, results in rows)
    # (each worker keeps the streams it has seen: the member states differ, not the hashes)
    assert [row[:6] for _, _, _, results in rows for row in results] == \
        [row[:6] for row in mine]


def test_the_joined_reads_answer_what_the_row_reads_answer(
        container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    """The one-pass check's reads as a count and one string per batch give what its reads as
    rows give; a stored leaf's position that differs sends the check to the full one."""
    seed_demo(container, cases=4, seed=3)
    container.runner.catch_up()
    integrity = container.reads.integrity
    size = integrity.digest().size
    for after, upto in ((0, size), (3, 17), (size, size + 5), (5, 5)):
        rows = integrity._leaves(after, upto)
        assert integrity._joined_leaves(after, upto) == (len(rows), ",".join(h for _, h in rows))
    for level, lo, hi in ((0, 0, size), (0, 5, 9), (1, 2, 10), (3, 0, 100), (2, 50, 60)):
        rows = integrity._nodes(level, lo, hi)
        listed = (len(rows), ",".join(row[1] for row in rows))
        assert integrity._joined_nodes(level, lo, hi, None) == (*listed, 0)
        if level == 0:
            for shift in (0, 1):
                same = sum(1 for i, _, p in rows if p == i + shift)
                assert integrity._joined_nodes(level, lo, hi, shift) == (*listed, same)
    assert integrity._joined_nodes(0, 0, size, 1)[2] == size  # leaf i at position i + 1
    whole = integrity.verify_whole()
    calls: list[int] = []
    full = integrity.verify_whole
    monkeypatch.setattr(integrity, "verify_whole",
                        lambda *args: calls.append(1) or full(*args))
    assert integrity.verify_ledger() == whole and calls == []
    with container.db.transaction() as tx:
        tx.execute("UPDATE merkle_nodes SET position = position + 1 WHERE level = 0 AND idx = 7")
    assert integrity.verify_ledger() == full() and calls == [1]


def test_a_worker_that_imports_other_code_refuses_and_the_check_says_so(
        container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker whose `ledger`/`projections` are not this process's does not check with them:
    it says so, `verify` checks in this process (the same report) and records why."""
    screened_applicant(container.ledger, "IT-P-4")
    container.runner.catch_up()
    integrity = container.reads.integrity
    expected = integrity.verify_ledger()
    source = parallel_hashing.source_of(container.ledger)
    assert source is not None and source.code == parallel_hashing.code_files()
    other = dataclasses.replace(source, code=("/elsewhere/ledger/__init__.py",
                                              "/elsewhere/projections/__init__.py"))
    with pytest.raises(parallel_hashing.WorkerFailed, match="/elsewhere/ledger"):
        list(parallel_hashing.hashed_ranges(other, 3))
    monkeypatch.setattr(integrity_checks, "source_of", lambda app: other)
    integrity.parallel_from = 1
    before = len(parallel_hashing.FAILURES)
    assert integrity.verify_ledger() == expected
    failures = parallel_hashing.FAILURES[before:]
    del parallel_hashing.FAILURES[before:]
    assert len(failures) == 1 and "/elsewhere/ledger" in failures[0]


def test_a_fork_server_started_elsewhere_imports_this_process_code(
        container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Python 3.11's fork server puts its current directory first on its module path: started
    from a directory holding another `ledger` package, it still imports this process's."""
    from multiprocessing import forkserver

    for package in ("ledger", "projections"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("raise ImportError('another checkout')\n")
    screened_applicant(container.ledger, "IT-P-5")
    source = parallel_hashing.source_of(container.ledger)
    assert source is not None
    last = container.ledger.recorder.max_notification_id() or 0
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, args=(30,))  # (so no plain fork)
    other.start()
    monkeypatch.chdir(tmp_path)
    forkserver._forkserver._stop()  # type: ignore[attr-defined]
    try:
        assert parallel_hashing._context().get_start_method() == "forkserver"
        found = list(parallel_hashing.hashed_ranges(source, last))
        assert [row[0] for _, _, _, results in found for row in results] == \
            list(range(1, last + 1))
    finally:
        forkserver._forkserver._stop()  # type: ignore[attr-defined]
        stop.set()
        other.join()


#: A main script that notes each time its body runs (in which process), then verifies twice
#: with workers from a fork server (another thread runs: `parallel_hashing._context`).
_MAIN_SCRIPT = '''
import os, sys
with open(sys.argv[1], "a") as runs:
    runs.write(f"{os.getpid()}\\n")

if __name__ == "__main__":
    import threading
    from pact_ledger.settings import Settings
    from pact_ledger.wiring import build
    from projections import parallel_hashing
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, args=(60,))
    other.start()
    container = build(Settings(sys.argv[2]))
    try:
        assert parallel_hashing._context().get_start_method() == "forkserver"
        integrity = container.reads.integrity
        integrity.parallel_from = 1
        reports = [integrity.verify_ledger() for _ in range(2)]
        print(all(r.valid and r.events_checked > 0 for r in reports), parallel_hashing.FAILURES)
    finally:
        container.close()
        stop.set()
        other.join()
'''


@pytest.mark.parametrize("run_as", ["file", "module"])
def test_fork_server_workers_do_not_run_the_main_script_again(
        container: Container, tmp_path: Path, run_as: str) -> None:
    """The fork server stands in for the caller's main script (`projections.fork_server_main`;
    Python 3.11's preload of `__main__` never worked: each worker ran the script again, every
    `verify`), run as a file or with `python -m`: over two parallel verifies, the script's body
    runs in its own process only, in neither the fork server nor a worker, and the workers
    check every range."""
    import os
    import subprocess
    import sys

    screened_applicant(container.ledger, "IT-P-6")
    container.runner.catch_up()
    script, runs = tmp_path / "main_script.py", tmp_path / "runs.txt"
    script.write_text(_MAIN_SCRIPT)
    root = Path(__file__).resolve().parents[2]
    command = [str(script)] if run_as == "file" else ["-m", "main_script"]
    done = subprocess.run([sys.executable, *command, str(runs), container.settings.database_url],
                          capture_output=True, text=True, timeout=120, cwd=root,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path),
                                                                             str(root)])})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[-2] == "True []"
    pids = runs.read_text().split()
    assert len(pids) == 1, pids


def test_a_postgresql_worker_reads_events_and_hashes_through_one_connection(
        postgres: TemporaryPostgres) -> None:
    """Where the hash table is in the event store's database (no standby), a verify worker
    opens one connection for both reads, not one each: a verify adds one connection per worker
    to what its process holds (README, Connections)."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    container = build(Settings(postgres.create_database(name)))
    try:
        screened_applicant(container.ledger, "IT-P-7")
        container.runner.catch_up()
        source = parallel_hashing.source_of(container.ledger)
        assert source is not None
        tables = parallel_hashing.tables_of(container.reads.integrity.table.db)
        parallel_hashing._start(dataclasses.replace(source, tables=tables))
        worker = parallel_hashing._worker
        try:
            with psycopg.connect(postgres.url(name), autocommit=True) as conn:
                found = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                                     "AND application_name = %s",
                                     (name, parallel_hashing.WORKER_NAME)).fetchone()
            assert found == (1,)
            events = worker["read"](1, 10)
            assert [row[0] for row in events] == list(range(1, len(events) + 1))
            assert worker["joined"].leaves(0, len(events))[0] == len(events)
        finally:
            for conn in worker.pop("connections"):
                conn.close()
    finally:
        container.close()
        postgres.drop_database(name)
