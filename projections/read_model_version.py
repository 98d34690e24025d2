"""The version of the read models' shape, kept beside the tracking position.

Raise `READ_MODEL_VERSION` whenever a read-model table changes shape or what it holds (a new
column, another encoding, another rule for a figure). A server that finds an older version does
not serve or extend those tables: it rebuilds them blue-green (`projections.blue_green`) and
switches when the new ones are complete, while processes of the old version keep serving.
A database written before versions were kept has no row: that is version 1, today's shape.
"""

from __future__ import annotations

from projections.db import ReadDatabase, Tx

#: 2: names and date of birth no longer in `case_list` (sealed in the events, issue 12);
#: `details.personal_data` holds the person id, key id and erasure facts. Deadlines keep
#: extended months, the calendar version and how they were counted; the published
#: recognition rates (issue 11); Eurodac hits and responsibility keep more details.
#: 3: detention, reception and age assessment in `details`, minority derived (the claim kept as
#: `details.claimed_minor`); new deadlines (RCD Arts 11(3), 17(1), 25(1); detention maxima) that
#: older cases gain on a rebuild (issue 11 part 5).
READ_MODEL_VERSION = 3

#: The shape of the tables before this table existed.
UNVERSIONED = 1

VERSION_DDL = """CREATE TABLE IF NOT EXISTS read_model_version (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL
)"""


def ensure_version_row(tx: Tx, name: str, fresh: bool) -> None:
    """`fresh`: the tables were created just now, so they have today's shape."""
    tx.execute(VERSION_DDL)
    tx.execute("INSERT INTO read_model_version (name, version) VALUES (?, ?) "
               "ON CONFLICT (name) DO NOTHING",
               (name, READ_MODEL_VERSION if fresh else UNVERSIONED))


def stored_version(db: ReadDatabase, name: str) -> int:
    row = db.fetchone("SELECT version FROM read_model_version WHERE name = ?", (name,))
    return int(row["version"]) if row else UNVERSIONED


def stored_version_in(tx: Tx, name: str) -> int:
    tx.execute("SELECT version FROM read_model_version WHERE name = ?", (name,))
    row = tx.fetchone()
    return int(row["version"]) if row else UNVERSIONED


def set_version(tx: Tx, name: str, version: int) -> None:
    tx.execute("UPDATE read_model_version SET version = ? WHERE name = ?", (version, name))
