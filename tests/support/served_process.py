"""Runs `pact-ledger serve` as a real process on a free loopback port and reads its JSON log.

The server logs to stderr, one JSON object a line (PACT_LEDGER_LOG_FORMAT=json); its
"listening" line gives the port. A reader thread collects every line so that tests can look at
them; the process is stopped (SIGTERM, then SIGKILL) when the block ends.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PACT_LEDGER = str(Path(sys.executable).with_name("pact-ledger"))


@dataclass
class ServedProcess:
    process: subprocess.Popen[str]
    url: str = ""
    lines: list[str] = field(default_factory=list)
    stdout: list[str] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        """Every stderr line parsed as JSON (a line that is not JSON fails the test)."""
        return [json.loads(line) for line in list(self.lines) if line.strip()]

    def wait_for_record(self, predicate: Any, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for record in self.records():
                if predicate(record):
                    return record
            time.sleep(0.05)
        raise AssertionError(f"no such log record; got {self.lines[-20:]}")


def _pump(stream: Any, into: list[str]) -> None:
    for line in stream:
        into.append(line.rstrip("\n"))


@contextmanager
def served(env: Mapping[str, str], *args: str, timeout: float = 30.0) -> Iterator[ServedProcess]:
    full_env = {k: v for k, v in os.environ.items()
                if not k.startswith(("PACT_LEDGER_", "OTEL_", "PROMETHEUS_"))}
    full_env.update({"PACT_LEDGER_LOG_FORMAT": "json", "PACT_LEDGER_HOST": "127.0.0.1",
                     "PACT_LEDGER_PORT": "0", **env})
    process = subprocess.Popen([PACT_LEDGER, "serve", *args], env=full_env, text=True,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    served_process = ServedProcess(process)
    readers = [threading.Thread(target=_pump, args=(process.stderr, served_process.lines),
                                daemon=True),
               threading.Thread(target=_pump, args=(process.stdout, served_process.stdout),
                                daemon=True)]
    for reader in readers:
        reader.start()
    try:
        deadline = time.monotonic() + timeout
        while not served_process.url:
            if process.poll() is not None:
                time.sleep(0.2)
                raise AssertionError(f"server exited with {process.returncode}: "
                                     + "\n".join(served_process.lines[-20:]))
            if time.monotonic() > deadline:
                raise AssertionError("server did not start: "
                                     + "\n".join(served_process.lines[-20:]))
            for line in list(served_process.lines):
                if '"listening"' in line:
                    served_process.url = json.loads(line)["url"]
                elif found := re.search(r"pact_ledger\.serve: listening url=(\S+)", line):
                    served_process.url = found.group(1)
            time.sleep(0.05)
        yield served_process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        for reader in readers:
            reader.join(timeout=5)


def run_serve(env: Mapping[str, str], *args: str, timeout: float = 30.0
              ) -> subprocess.CompletedProcess[str]:
    """`pact-ledger serve` expected to refuse to start: its exit code and output."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PACT_LEDGER_")}
    full_env.update(env)
    return subprocess.run([PACT_LEDGER, "serve", *args], env=full_env, text=True,
                          capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
