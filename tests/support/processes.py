"""Server processes for fault tests: real `uvicorn` processes of the ASGI factory on free
loopback ports, a load driver that sends commands and reads through all of them, and the
checks that follow a fault (every acknowledged command kept, read models equal a rebuild).

Every loop here is bounded in count and time; every process started is stopped (or killed)
by the test that started it, and by `ServerProcess.__exit__` at the latest.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from ledger.envelope import Actor
from pact_ledger.settings import Settings
from pact_ledger.tokens import KeyRing, TokenService
from pact_ledger.wiring import Container, build
from projections.runner import ProjectionRunner

KEYS_TEXT = "proc:" + "p" * 40
TOKENS = TokenService(KeyRing.parse(KEYS_TEXT))
OFFICER = Actor("it-so-01", "SCREENING_OFFICER", "IT test authority", "IT")
WORKER = Actor("it-cw-01", "CASE_WORKER", "IT test authority", "IT")
HEADERS = {"authorization": f"Bearer {TOKENS.issue(OFFICER)}"}

MAKE = """mutation($input: MakeApplicationInput!) { makeApplication(input: $input) {
  __typename ... on CommandSucceeded { caseId version readModelsCurrent case { version } }
  ... on CommandError { code message } } }"""
READ = "query($id: ID!) { case(id: $id) { id version } cases(first: 1) { totalCount } }"

#: What a client may conclude from an answer.
ACKNOWLEDGED, NOT_RECORDED, UNKNOWN = "acknowledged", "not recorded", "unknown"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(database_url: str, data_dir: Path, read_url: str | None = None,
               **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PACT_LEDGER_")}
    env.update({"PACT_LEDGER_DATABASE_URL": database_url, "PACT_LEDGER_DATA_DIR": str(data_dir),
                "PACT_LEDGER_JWT_KEYS": KEYS_TEXT, "PACT_LEDGER_RATE_LIMIT": "1000000"})
    if read_url:
        env["PACT_LEDGER_READ_DATABASE_URL"] = read_url
    env.update(extra)
    return env


class ServerProcess:
    """One `uvicorn --factory pact_ledger.asgi:create_app` process on 127.0.0.1."""

    def __init__(self, env: dict[str, str], log: Path, port: int | None = None) -> None:
        self.env, self.log_path = env, log
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> ServerProcess:
        return self.spawn().wait_ready(timeout)

    def spawn(self) -> ServerProcess:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--factory", "pact_ledger.asgi:create_app",
                 "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
                env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        return self

    def wait_ready(self, timeout: float = 60.0) -> ServerProcess:
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server not ready in {timeout}s: {self.log_path.read_text()[-3000:]}")

    def ready(self) -> dict[str, Any]:
        return dict(httpx.get(f"{self.url}/readyz", timeout=5).json())

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """kill -9: no shutdown of any kind."""
        if self.alive:
            assert self.proc is not None
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.alive:
            assert self.proc is not None
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class Figures:
    """What a run did: the report's numbers."""

    requests: int = 0
    acknowledged: dict[str, tuple[str, int]] = field(default_factory=dict)  # commandId -> case
    claimed_not_recorded: set[str] = field(default_factory=set)
    unknown_answers: int = 0
    transport_errors: int = 0
    reads: int = 0
    stale_reads: list[str] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def classify(response: httpx.Response) -> tuple[str, dict[str, Any]]:
    """What an answer to a makeApplication says: acknowledged, not recorded, or unknown."""
    if response.status_code != 200:
        return UNKNOWN, {}
    body = response.json()
    if body.get("errors"):
        error = body["errors"][0]
        code = error.get("extensions", {}).get("code")
        if code == "DEADLINE_EXCEEDED" or "Nothing was recorded" in error.get("message", ""):
            return NOT_RECORDED, error
        return UNKNOWN, error
    result = body["data"]["makeApplication"]
    if result["__typename"] == "CommandSucceeded":
        return ACKNOWLEDGED, result
    if result["__typename"] == "OutcomeUnknown":
        return UNKNOWN, result
    return NOT_RECORDED, result


class Driver:
    """Sends `makeApplication` commands through a set of servers from a few threads; after
    each acknowledgement reads the case back through another server (read-your-writes
    across processes). A transport error or an "unknown" answer is retried with the same
    commandId on the next server; a "not recorded" one with a new commandId."""

    def __init__(self, servers: Sequence[ServerProcess], prefix: str,
                 figures: Figures | None = None) -> None:
        self.servers = list(servers)
        self.prefix = prefix
        self.figures = figures or Figures()
        self._counter = itertools.count()
        self._turn = itertools.count()

    def _server(self) -> ServerProcess:
        live = [s for s in self.servers if s.alive] or self.servers
        return live[next(self._turn) % len(live)]

    def run(self, commands: int, threads: int = 4, deadline_seconds: float = 90.0) -> Figures:
        until = time.monotonic() + deadline_seconds
        per_thread = [commands // threads + (i < commands % threads) for i in range(threads)]
        workers = [threading.Thread(target=self._work, args=(n, until)) for n in per_thread]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=deadline_seconds + 30)
        return self.figures

    def _work(self, commands: int, until: float) -> None:
        with httpx.Client(timeout=20) as http:
            for _ in range(commands):
                n = next(self._counter)
                self._one(http, n, until)

    def _one(self, http: httpx.Client, n: int, until: float) -> None:
        f = self.figures
        command_id = f"{self.prefix}-{n}-{uuid.uuid4().hex[:8]}"
        reference = f"{self.prefix}-{n}"
        for attempt in range(200):
            if time.monotonic() > until:
                return
            server = self._server()
            payload = {"query": MAKE, "variables": {"input": {
                "memberState": "IT", "nationalReference": reference, "place": "Lampedusa",
                "person": {"nationality": "SY"},
                "occurredAt": "2026-03-02T10:00:00Z", "commandId": command_id}}}
            try:
                response = http.post(f"{server.url}/graphql", json=payload, headers=HEADERS)
            except httpx.HTTPError:
                with f.lock:
                    f.requests += 1
                    f.transport_errors += 1
                time.sleep(0.1)
                continue  # same commandId: a retry records at most once
            verdict, result = classify(response)
            with f.lock:
                f.requests += 1
            if verdict == ACKNOWLEDGED:
                with f.lock:
                    f.acknowledged[command_id] = (result["caseId"], int(result["version"]))
                if result["readModelsCurrent"]:
                    self._read_back(http, server, result["caseId"], int(result["version"]))
                return
            if verdict == NOT_RECORDED:
                with f.lock:
                    f.claimed_not_recorded.add(command_id)
                command_id = f"{self.prefix}-{n}-{uuid.uuid4().hex[:8]}"
                reference = f"{self.prefix}-{n}-r{attempt}"  # if the claim were false, no clash
            else:
                with f.lock:
                    f.unknown_answers += 1
            time.sleep(0.1)

    def _read_back(self, http: httpx.Client, wrote: ServerProcess, case_id: str,
                   version: int) -> None:
        """Read-your-writes through another process than the one that answered."""
        others = [s for s in self.servers if s.alive and s is not wrote] or [wrote]
        reader = others[next(self._turn) % len(others)]
        try:
            response = http.post(f"{reader.url}/graphql", headers=HEADERS,
                                 json={"query": READ, "variables": {"id": case_id}})
        except httpx.HTTPError:
            return  # the reader died meanwhile (a fault under test): nothing was read
        with self.figures.lock:
            self.figures.reads += 1
        body = response.json() if response.status_code == 200 else {}
        if not body or body.get("errors"):
            return  # a refused or failed read (database down) is not a stale one
        case = body["data"]["case"]
        if case is None or int(case["version"]) < version:
            with self.figures.lock:
                self.figures.stale_reads.append(f"{case_id} via {reader.url}: {case}")


# --- after the fault ---------------------------------------------------------------------------
def recorded_command_ids(container: Container) -> tuple[set[str], int]:
    """Every command id in the event store, and the number of events read."""
    recorder, mapper = container.ledger.recorder, container.ledger.mapper
    ids: set[str] = set()
    position, count = 0, 0
    while True:
        batch = recorder.select_notifications(position, 2000, inclusive_of_start=False)
        if not batch:
            return ids, count
        for notification in batch:
            event = mapper.to_domain_event(notification)
            envelope = getattr(event, "envelope", None)
            if envelope is not None:
                ids.add(envelope.command_id)
        count += len(batch)
        position = batch[-1].id


def read_model_snapshot(container: Container) -> dict[str, list[tuple[str, ...]]]:
    tables = [t for p in container.runner.projections for t in p.tables]
    snapshot = {}
    for table in tables:
        rows = container.db.fetchall(f"SELECT * FROM {table}")
        snapshot[table] = sorted(tuple(str(v) for v in dict(r).values()) for r in rows)
    return snapshot


@dataclass(frozen=True)
class Verdict:
    events_checked: int
    acknowledged: int
    lost: int
    false_not_recorded: int
    equal_to_rebuild: bool


def verify(settings: Settings, figures: Figures) -> Verdict:
    """Every acknowledged command is in the event store, no "not recorded" answer was false,
    and the live read models (caught up) equal a clean rebuild."""
    container = build(settings)
    try:
        ids, events = recorded_command_ids(container)
        lost = [c for c in figures.acknowledged if c not in ids]
        false_claims = [c for c in figures.claimed_not_recorded if c in ids]
        runner: ProjectionRunner = container.runner
        runner.catch_up()
        live = read_model_snapshot(container)
        runner.rebuild()
        equal = read_model_snapshot(container) == live
        return Verdict(events, len(figures.acknowledged), len(lost), len(false_claims), equal)
    finally:
        container.close()


def wait_until(predicate: Any, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except (httpx.HTTPError, OSError, ValueError):
            pass
        time.sleep(interval)
    return False


@contextlib.contextmanager
def running(env: dict[str, str], logs: Path, count: int) -> Iterator[list[ServerProcess]]:
    """`count` independent server processes on one database, started together."""
    started = [ServerProcess(env, logs / f"server-{i}.log").spawn() for i in range(count)]
    try:
        for server in started:
            server.wait_ready()
        yield started
    finally:
        for server in started:
            server.stop()


def leaders(processes: Sequence[ServerProcess]) -> list[ServerProcess]:
    return [s for s in processes if s.alive and s.ready().get("projectionLeader")]
