"""A PostgreSQL cluster kept between scale runs (benchmarks/bench_scale.py --keep DIR): the
throwaway cluster of tests/support/pgserver.py with the same settings, but in a directory
given, initialised only once, and stopped without being deleted, so that a 1M-event ledger
imported once can be measured again."""

from __future__ import annotations

import os
import weakref
from pathlib import Path
from typing import Any

import psycopg

from tests.support.pgserver import (
    TemporaryPostgres,
    _free_port,
    _stop_server,
    _unprivileged_user,
    find_bindir,
)


class KeptPostgres(TemporaryPostgres):
    """A cluster in `base` (made if missing); `stop()` stops the server, keeps the data."""

    def __init__(self, base: Path) -> None:
        super().__init__()
        self.external_url = None  # never the tests' external server
        self.base = base

    def _start_cluster(self) -> None:
        bindir = find_bindir()
        user = _unprivileged_user()
        base = self.base
        base.mkdir(parents=True, exist_ok=True)
        if user is not None:
            os.chown(base, user.pw_uid, user.pw_gid)
        self.base_dir = base
        if not (base / "data" / "PG_VERSION").exists():
            self._initdb(bindir, base, user)
        proc = None
        for attempt in range(5):
            self.port = _free_port()
            proc = self._spawn(bindir, base, user)
            if self._wait_ready(proc, base / "data", base / "server.log", last_try=attempt == 4):
                break
        self._proc = proc
        self._finalizer = weakref.finalize(self, _stop_server, proc, None)

def has_database(admin_url: str, name: str) -> bool:
    """Whether the server at `admin_url` holds database `name` (a kept ledger)."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        row: Any = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                (name,)).fetchone()
    return row is not None

