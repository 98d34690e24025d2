"""The command line's part in the access log: every command that prints personal data logs
the read first (as the API does), the access log's own chain is verified, and on PostgreSQL the
log is provisioned so that the server's role can only read and append it."""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import click

from ledger.personal_data.sealed import PersonalDetails
from pact_ledger.settings import Settings
from projections.db import PostgresDatabase, ReadDatabase
from projections.personal_data_log import Access, PersonalDataLog
from projections.personal_data_log_chain import ChainReport, verify_chain
from projections.personal_data_log_roles import privilege_problems, provision

#: How the command line appears in the access log: the operating-system user who ran it.
CLI_ROLE, CLI_AUTHORITY, CLI_SCOPE = "COMMAND_LINE", "pact-ledger command line", "EU"


def personal_fields(values: Iterable[Any]) -> tuple[str, ...]:
    """The personal keys with a value anywhere in `values` (payloads, records, JSON text)."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str) and value[:1] == "{":
            try:
                value = json.loads(value)
            except ValueError:
                return
        if isinstance(value, dict):
            found.update(k for k in PersonalDetails.FIELDS if value.get(k) is not None)
            for v in value.values():
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)

    for value in values:
        walk(value)
    return tuple(sorted(found))


def log_cli_read(log: PersonalDataLog, case_id: str, case_member_state: str,
                 fields: tuple[str, ...], via: str) -> None:
    """Written before anything is printed: if it cannot be written, nothing is."""
    if fields:
        log.append([Access(at=datetime.now(UTC), subject=f"cli:{getpass.getuser()}",
                           role=CLI_ROLE, authority=CLI_AUTHORITY, member_state=CLI_SCOPE,
                           case_id=case_id, case_member_state=case_member_state,
                           fields=fields, via=via)])


def print_chain(console: Any, report: ChainReport) -> None:
    console.print(f"Access log: {report.rows} rows checked; head {report.head}.")
    for problem in report.problems[:20]:
        console.print(f"[bold red]{problem.reason}[/] access log row {problem.row_id}: "
                      f"{problem.detail}", highlight=False, soft_wrap=True)


def check_server_role(db: ReadDatabase, allow: bool) -> None:
    """Refuse an ordinary role that could change the access log. A superuser (a development or
    test cluster's bootstrap role) is beyond any grant: warned about, not refused."""
    problems = privilege_problems(db)
    if "is a superuser" in problems:
        click.echo("WARNING: the server connects to PostgreSQL as a superuser, which could "
                   "change the access log; in production serve as a role provisioned with "
                   "`pact-ledger provision-access-log`", err=True)
        return
    if problems and not allow:
        raise click.ClickException(
            "the database role the server connects as " + "; ".join(problems) + ". Run the "
            "server as a role that may only SELECT and INSERT the access log: `pact-ledger "
            "provision-access-log --app-role ROLE` with the owner's URL, then serve with "
            "ROLE's URL (or pass --allow-access-log-changes for development)")


def verify_access_log(db: ReadDatabase) -> ChainReport:
    return verify_chain(db)


@click.command("provision-access-log")
@click.option("--app-role", required=True, help="The role the server will connect as.")
def provision_access_log(app_role: str) -> None:
    """PostgreSQL, run with the owner's PACT_LEDGER_DATABASE_URL: create the access log as
    this role and let APP_ROLE only read and append it."""
    settings = Settings.from_env()
    if settings.backend != "postgres":
        raise click.ClickException("provision-access-log is for PostgreSQL")
    db = PostgresDatabase(settings.postgres_url, max_size=1)
    try:
        provision(db, app_role)
    finally:
        db.close()
    click.echo(f"access_log provisioned: {app_role} may SELECT and INSERT, nothing more")
