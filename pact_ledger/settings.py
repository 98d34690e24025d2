"""Settings from the environment. One variable chooses the backend for events and read models."""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from ledger.border_capacity import parse_capacities
from pact_ledger.master_keys import MASTER_KEYS, MasterKeys, development_master_keys
from pact_ledger.pg_recorder import TOPIC as POSTGRES_RECORDER
from pact_ledger.sqlite_recorder import TOPIC as SQLITE_RECORDER

DATABASE_URL = "PACT_LEDGER_DATABASE_URL"
DATA_DIR = "PACT_LEDGER_DATA_DIR"
BORDER_CAPACITY = "PACT_LEDGER_BORDER_CAPACITY"
# Personal data (issue 12, README "Personal data"): where the data keys live, how often the
# server runs the erasure schedule.
KEYSTORE_URL = "PACT_LEDGER_KEYSTORE_URL"
ERASURE_INTERVAL = "PACT_LEDGER_ERASURE_INTERVAL"
# Running several processes, a read replica, health and deadlines (README "Processes").
READ_DATABASE_URL = "PACT_LEDGER_READ_DATABASE_URL"
WORKERS = "PACT_LEDGER_WORKERS"
READY_MAX_LAG = "PACT_LEDGER_READY_MAX_LAG"
COMMAND_DEADLINE = "PACT_LEDGER_COMMAND_DEADLINE"
CONSISTENCY_WAIT = "PACT_LEDGER_CONSISTENCY_WAIT"
# The memory a rebuild's build may hold to keep every case (`projections.batch_state`).
REBUILD_MEMORY = "PACT_LEDGER_REBUILD_MEMORY_MB"
# The processes a rebuild or `verify` may start beside its own on a long log.
HELPER_PROCESSES = "PACT_LEDGER_HELPER_PROCESSES"
# The cases a process holds for the next command on them (the library's aggregate cache).
CASE_CACHE = "PACT_LEDGER_CASE_CACHE"
#: `pact-ledger import --memory-mb` (`pact_ledger.import_wiring`): not a server setting.
IMPORT_MEMORY = "PACT_LEDGER_IMPORT_MEMORY_MB"

#: Connections one process opens at most on the primary: the event store's pool (2 + 2),
#: the read models' pool (4), the key store's pool (2) and the leader's session (1): 11, so 8
#: processes (88) fit PostgreSQL's default max_connections of 100 with room for the CLI and an
#: administrator.
EVENT_POOL_SIZE, EVENT_POOL_OVERFLOW, READ_POOL_SIZE, KEYSTORE_POOL_SIZE = 2, 2, 4, 2
#: Every connection of one process on the primary, at most.
CONNECTIONS_PER_PROCESS = EVENT_POOL_SIZE + EVENT_POOL_OVERFLOW + READ_POOL_SIZE \
    + KEYSTORE_POOL_SIZE + 1


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be positive, not {raw!r}")
    return value


@dataclass(frozen=True)
class Settings:
    """`database_url` is `sqlite:///<path>` (the default, a file in the data folder) or
    `postgresql://user:password@host:port/dbname`."""

    database_url: str
    #: Adequate border-procedure capacity per member state (APR Art 47), e.g. "IT=8016,EL=2720".
    border_capacities: Mapping[str, int] = field(default_factory=dict)
    #: A PostgreSQL hot standby of the same database: queries read from it, commands still
    #: go to the primary (read-your-writes: a command waits for the standby to replay it).
    read_database_url: str | None = None
    #: Server processes `serve` starts (PostgreSQL only; one process on SQLite).
    workers: int = 1
    #: /readyz answers 503 when the read models are more events than this behind the log.
    ready_max_lag: int = 1000
    #: A command not committed this many seconds after it arrived is not recorded at all.
    command_deadline: float = 10.0
    #: How long a command waits for the read models (and the standby) to include it.
    consistency_wait: float = 5.0
    #: Where the data keys live (`pact_ledger.keystore`): None is the default beside the ledger.
    keystore_url: str | None = None
    #: The master keys that wrap the data keys; None is the development key.
    master_keys: MasterKeys | None = None
    #: Seconds between the server's background erasure runs (`pact_ledger.erasure`); None: off.
    erasure_interval: float | None = 3600.0
    #: Bytes of resident memory up to which a rebuild's build keeps every case in memory
    #: (`projections.batch_state.BatchState.memory_budget`): None is the default (2 GiB, at
    #: most a quarter of the machine's memory); 0 keeps only a fixed number of cases.
    rebuild_memory: int | None = None
    #: At most this many worker processes beside a rebuild's (its build worker,
    #: `projections.parallel_build`) or `verify`'s (`projections.parallel_hashing`) on a long
    #: log: None is each one's default (1 for a rebuild where the process may run on two cores
    #: or more, 2 for `verify`); 0 does all the work in the process itself (e.g. a container
    #: whose CPU quota is one core, which the process's CPU affinity does not show).
    helper_processes: int | None = None
    #: Cases each process holds for the next command on them (`Ledger.decided` and the
    #: repository's cache, the library's `AGGREGATE_CACHE_MAXSIZE`): None is the ledger's
    #: default (20,000). A command on any other case replays its events from the store first.
    case_cache: int | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        url = env.get(DATABASE_URL, "").strip()
        if not url:
            data_dir = Path(env.get(DATA_DIR, "data")).resolve()
            url = f"sqlite:///{data_dir / 'pact-ledger.sqlite'}"
        read_url = env.get(READ_DATABASE_URL, "").strip() or None
        if _not_postgres(read_url):
            raise ValueError(f"{READ_DATABASE_URL} must be a postgresql:// URL")
        masters = env.get(MASTER_KEYS, "").strip()
        return cls(url, parse_capacities(env.get(BORDER_CAPACITY, "")),
                   read_database_url=read_url,
                   workers=int(_number(env, WORKERS, 1)),
                   ready_max_lag=int(_number(env, READY_MAX_LAG, 1000)),
                   command_deadline=_number(env, COMMAND_DEADLINE, 10.0),
                   consistency_wait=_number(env, CONSISTENCY_WAIT, 5.0),
                   keystore_url=env.get(KEYSTORE_URL, "").strip() or None,
                   master_keys=MasterKeys.parse(masters) if masters else None,
                   erasure_interval=_erasure_interval(env),
                   rebuild_memory=_rebuild_memory(env),
                   helper_processes=_helper_processes(env),
                   case_cache=_case_cache(env))

    @property
    def read_postgres_url(self) -> str | None:
        if self.read_database_url is None:
            return None
        return self.read_database_url.replace("postgres://", "postgresql://", 1)

    @property
    def keystore_location(self) -> str:
        """SQLite: a file of its own beside the ledger's (`<name>-keys.sqlite`); PostgreSQL: the
        ledger's database (schema `pact_ledger_keys`) unless `PACT_LEDGER_KEYSTORE_URL` says."""
        if self.keystore_url:
            return self.keystore_url
        if self.backend == "sqlite":
            path = self.sqlite_path
            return f"sqlite:///{path.with_name(path.stem + '-keys.sqlite')}"
        return self.postgres_url

    def master_key_ring(self) -> MasterKeys:
        if self.master_keys is not None:
            return self.master_keys
        data_dir = self.sqlite_path.parent if self.backend == "sqlite" else Path("data").resolve()
        return development_master_keys(data_dir)

    @property
    def backend(self) -> str:
        scheme = urlparse(self.database_url).scheme
        if scheme == "sqlite":
            return "sqlite"
        if scheme in ("postgresql", "postgres"):
            return "postgres"
        raise ValueError(
            f"{DATABASE_URL} must start with sqlite:/// or postgresql://, not {scheme}://"
        )

    @property
    def sqlite_path(self) -> Path:
        return Path(unquote(urlparse(self.database_url).path))

    @property
    def postgres_url(self) -> str:
        return self.database_url.replace("postgres://", "postgresql://", 1)

    def eventsourcing_env(self) -> dict[str, str]:
        """The `eventsourcing` library's own configuration for the same database (and the
        ledger's cache of cases, where set)."""
        cache = {} if self.case_cache is None else {
            "AGGREGATE_CACHE_MAXSIZE": str(self.case_cache)}
        return self._store_env() | cache

    def _store_env(self) -> dict[str, str]:
        if self.backend == "sqlite":
            self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": "30",
                # Inserts without the library's nested wrappers (pact_ledger.sqlite_recorder).
                "APPLICATION_RECORDER_TOPIC": SQLITE_RECORDER,
            }
        parts = urlparse(self.postgres_url)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")) or "pact_ledger",
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or getpass.getuser()),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_POOL_SIZE": str(EVENT_POOL_SIZE),
            "POSTGRES_MAX_OVERFLOW": str(EVENT_POOL_OVERFLOW),
            # Bounded waits (issue 10 #8): for a connection (s), for a lock (s); a connection
            # is checked before use, so a restarted server's dead ones are replaced at once.
            "POSTGRES_CONNECT_TIMEOUT": "3",
            "POSTGRES_LOCK_TIMEOUT": "3",
            "POSTGRES_PRE_PING": "y",
            # Its retries of a failed insert stop at the command's deadline; its insert is one
            # implicit transaction (pact_ledger.pg_recorder).
            "APPLICATION_RECORDER_TOPIC": POSTGRES_RECORDER,
            # Off on purpose: with it on, a tailing reader was seen to skip an event.
            "POSTGRES_ENABLE_DB_FUNCTIONS": "",
        }


def _erasure_interval(env: Mapping[str, str]) -> float | None:
    """Whole seconds (default hourly); 0: off."""
    text = env.get(ERASURE_INTERVAL, "").strip()
    if not text:
        return 3600.0
    if not text.isdigit():
        raise ValueError(f"{ERASURE_INTERVAL} must be whole seconds, not {text!r}")
    return float(text) or None


def _whole_number(env: Mapping[str, str], name: str, what: str) -> int | None:
    """The variable as a whole number (unset or blank: None); `what` says what it must be."""
    text = env.get(name, "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(f"{name} must be {what}, not {text!r}")
    return int(text)


def _rebuild_memory(env: Mapping[str, str]) -> int | None:
    """Whole mebibytes, in bytes (unset: None, the default budget); 0: no budget."""
    mebibytes = _whole_number(env, REBUILD_MEMORY, "whole mebibytes (0: no memory budget)")
    return None if mebibytes is None else mebibytes * 2**20


def _helper_processes(env: Mapping[str, str]) -> int | None:
    """A whole number of processes (unset: None, each one's default); 0: none."""
    return _whole_number(env, HELPER_PROCESSES, "a whole number of processes (0: none)")


def _case_cache(env: Mapping[str, str]) -> int | None:
    """A whole number of cases, at least one (unset: None, the ledger's default; the library
    would read 0 as no bound at all)."""
    cases = _whole_number(env, CASE_CACHE, "a whole number of cases, at least 1")
    if cases == 0:
        raise ValueError(f"{CASE_CACHE} must be a whole number of cases, at least 1, not '0'")
    return cases


def _not_postgres(url: str | None) -> bool:
    """True when a read-database URL is given but is not PostgreSQL's."""
    return url is not None and urlparse(url).scheme not in ("postgresql", "postgres")
