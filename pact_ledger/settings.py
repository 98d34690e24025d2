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

DATABASE_URL = "PACT_LEDGER_DATABASE_URL"
DATA_DIR = "PACT_LEDGER_DATA_DIR"
BORDER_CAPACITY = "PACT_LEDGER_BORDER_CAPACITY"
KEYSTORE_URL = "PACT_LEDGER_KEYSTORE_URL"


@dataclass(frozen=True)
class Settings:
    """`database_url` is `sqlite:///<path>` (the default, a file in the data folder) or
    `postgresql://user:password@host:port/dbname`."""

    database_url: str
    #: Adequate border-procedure capacity per member state (APR Art 47), e.g. "IT=8016,EL=2720".
    border_capacities: Mapping[str, int] = field(default_factory=dict)
    #: Where the data keys live (`pact_ledger.keystore`): None is the default beside the ledger.
    keystore_url: str | None = None
    #: The master keys that wrap the data keys; None is the development key.
    master_keys: MasterKeys | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        url = env.get(DATABASE_URL, "").strip()
        if not url:
            data_dir = Path(env.get(DATA_DIR, "data")).resolve()
            url = f"sqlite:///{data_dir / 'pact-ledger.sqlite'}"
        masters = env.get(MASTER_KEYS, "").strip()
        return cls(url, parse_capacities(env.get(BORDER_CAPACITY, "")),
                   keystore_url=env.get(KEYSTORE_URL, "").strip() or None,
                   master_keys=MasterKeys.parse(masters) if masters else None)

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
        """The `eventsourcing` library's own configuration for the same database."""
        if self.backend == "sqlite":
            self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        parts = urlparse(self.postgres_url)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")) or "pact_ledger",
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or getpass.getuser()),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_POOL_SIZE": "5",
            "POSTGRES_MAX_OVERFLOW": "5",
            # Off on purpose: with it on, a tailing reader was seen to skip an event.
            "POSTGRES_ENABLE_DB_FUNCTIONS": "",
        }
