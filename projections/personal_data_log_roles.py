"""Who may change the access log on PostgreSQL: no one the server runs as.

The triggers refuse UPDATE, DELETE and TRUNCATE, but a table's owner can disable its triggers
and a role with DELETE privilege can be granted around them. So the log is provisioned by an
owner role (`pact-ledger provision-access-log --app-role ROLE`, run with the owner's URL), and
the role the server connects as is granted SELECT and INSERT on it, nothing more. The server
refuses to start on a role that could change the log (`privilege_problems`).
"""

from __future__ import annotations

from typing import Any

from projections.db import ReadDatabase

_CHAIN_COLUMNS = ("previous_hash", "hash")


def provisioned_by_another_role(db: ReadDatabase) -> bool:
    row = db.fetchone("SELECT tableowner <> current_user AS other FROM pg_tables "
                      "WHERE tablename = 'access_log' AND schemaname = current_schema()")
    return bool(row and row["other"])


def add_chain_columns(tx: Any, dialect: str) -> None:
    """The hash-chain columns, on a log created before they existed."""
    if dialect == "sqlite":
        tx.execute("PRAGMA table_info(access_log)")
        have = {row["name"] for row in tx.fetchall()}
        for column in _CHAIN_COLUMNS:
            if column not in have:
                tx.execute(f"ALTER TABLE access_log ADD COLUMN {column} TEXT")
        return
    for column in _CHAIN_COLUMNS:
        tx.execute(f"ALTER TABLE access_log ADD COLUMN IF NOT EXISTS {column} TEXT")


def privilege_problems(db: ReadDatabase) -> list[str]:
    """What the connected role could do to the access log beyond reading and appending."""
    if db.dialect == "sqlite":
        return []
    row = db.fetchone(
        "SELECT r.rolsuper AS super, t.tableowner = current_user AS owns, "
        "has_table_privilege('access_log', 'UPDATE') AS can_update, "
        "has_table_privilege('access_log', 'DELETE') AS can_delete, "
        "has_table_privilege('access_log', 'TRUNCATE') AS can_truncate "
        "FROM pg_roles r, pg_tables t WHERE r.rolname = current_user "
        "AND t.tablename = 'access_log' AND t.schemaname = current_schema()")
    if row is None:
        return ["the access log does not exist"]
    return [what for what, flag in (
        ("is a superuser", row["super"]),
        ("owns the access log (and could disable its triggers)", row["owns"]),
        ("may UPDATE it", row["can_update"]), ("may DELETE from it", row["can_delete"]),
        ("may TRUNCATE it", row["can_truncate"])) if flag]


def provision(db: ReadDatabase, app_role: str) -> None:
    """As the owner: create the log (with its triggers) and let `app_role` read and append."""
    from psycopg import sql

    from projections.personal_data_log import PersonalDataLog

    PersonalDataLog(db).create()
    with db.transaction() as tx:
        grant = sql.SQL("GRANT SELECT, INSERT ON access_log TO {}").format(
            sql.Identifier(app_role))
        tx.execute(grant.as_string(None))
        revoke = sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON access_log "
                         "FROM {}").format(sql.Identifier(app_role))
        tx.execute(revoke.as_string(None))
