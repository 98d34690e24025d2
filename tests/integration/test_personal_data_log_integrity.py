"""Issue 10, defect 13: the access log is tamper-evident like the events (a hash chain over its
rows, checked by `verify`); on PostgreSQL the server runs as a role that may only read and
append it; every command-line path that prints personal data logs the read first."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import click
import psycopg
import pytest
from click.testing import CliRunner
from psycopg import sql

from ledger.case import commands as c
from ledger.case.aggregate import Case
from pact_ledger.cli import main
from pact_ledger.cli_access import check_server_role
from pact_ledger.settings import Settings
from pact_ledger.tokens import KeyRing, TokenService
from pact_ledger.wiring import Container, build
from projections.db import PostgresDatabase
from projections.personal_data_log import Access, AccessFilter
from projections.personal_data_log_chain import ALTERED, BROKEN, UNCHAINED, verify_chain
from projections.personal_data_log_roles import privilege_problems, provision
from tests.support.acting import handle, principal
from tests.support.flows import screened_applicant
from tests.support.pgserver import TemporaryPostgres
from tests.support.steps import at

pytestmark = pytest.mark.storage


def reads(n: int, case_id: str = "c-1") -> list[Access]:
    return [Access(at=datetime.now(UTC), subject=f"it-cw-{i:02d}", role="CASE_WORKER",
                   authority="IT", member_state="IT", case_id=case_id, case_member_state="IT",
                   fields=("familyName",), via=f"case.person#{i}") for i in range(n)]


def behind_the_back(container: Container, statement: str, *params: object) -> None:
    """Direct SQL as an attacker who owns the database: the append-only triggers dropped."""
    with container.db.transaction() as tx:
        if container.db.dialect == "sqlite":
            tx.execute("DROP TRIGGER IF EXISTS access_log_no_update")
            tx.execute("DROP TRIGGER IF EXISTS access_log_no_delete")
        else:
            tx.execute("ALTER TABLE access_log DISABLE TRIGGER USER")
        tx.execute(statement, params)


def ids(container: Container) -> list[int]:
    return [r["id"] for r in container.db.fetchall("SELECT id FROM access_log ORDER BY id")]


def test_an_untouched_access_log_verifies(container: Container) -> None:
    for _ in range(3):
        container.access_log.append(reads(4))
    report = verify_chain(container.db)
    assert report.valid and report.rows == 12 and report.head is not None


def test_concurrent_reads_are_each_recorded_once_on_one_chain(container: Container) -> None:
    """Appends from many threads at once are committed in groups: every caller's rows are
    there, exactly once, each caller's together and in its order, on one unbroken chain."""
    callers, each = 8, 5
    start = threading.Barrier(callers)

    def reader(n: int) -> None:
        start.wait(timeout=30)
        for round_ in range(each):
            container.access_log.append(reads(3, case_id=f"c-{n}-{round_}"))

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    rows = container.db.fetchall("SELECT case_id, via FROM access_log ORDER BY id")
    assert len(rows) == callers * each * 3
    for n in range(callers):
        for round_ in range(each):
            mine = [i for i, r in enumerate(rows) if r["case_id"] == f"c-{n}-{round_}"]
            assert [rows[i]["via"] for i in mine] == [f"case.person#{i}" for i in range(3)]
            assert mine == list(range(mine[0], mine[0] + 3))  # one transaction: together
    report = verify_chain(container.db)
    assert report.valid and report.rows == callers * each * 3


@pytest.mark.parametrize("kind", ["altered", "deleted", "inserted", "swapped", "unhashed"])
def test_every_change_to_the_access_log_is_found(container: Container, kind: str) -> None:
    container.access_log.append(reads(6))
    rows = ids(container)
    if kind == "altered":
        behind_the_back(container, "UPDATE access_log SET subject = ? WHERE id = ?",
                        "someone-else", rows[2])
        expected = (rows[2], ALTERED)
    elif kind == "deleted":
        behind_the_back(container, "DELETE FROM access_log WHERE id = ?", rows[2])
        expected = (rows[3], BROKEN)
    elif kind == "inserted":
        (row,) = container.db.fetchall("SELECT * FROM access_log WHERE id = ?", (rows[1],))
        values = dict(row)
        # a forged copy of an earlier row (its hashes included) slipped in at the end
        container.access_log.append(reads(1))
        behind_the_back(container, "INSERT INTO access_log (at, subject, role, authority, "
                        "member_state, case_id, case_member_state, fields, via, previous_hash, "
                        "hash) VALUES (?, 'forged', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        values["at"], values["role"], values["authority"],
                        values["member_state"], values["case_id"],
                        values["case_member_state"], values["fields"], values["via"],
                        values["previous_hash"], values["hash"])
        forged = ids(container)[-1]
        expected = (forged, BROKEN)
    elif kind == "swapped":
        (a,) = container.db.fetchall("SELECT subject FROM access_log WHERE id = ?", (rows[1],))
        (b,) = container.db.fetchall("SELECT subject FROM access_log WHERE id = ?", (rows[4],))
        behind_the_back(container, "UPDATE access_log SET subject = ? WHERE id = ?",
                        b["subject"], rows[1])
        behind_the_back(container, "UPDATE access_log SET subject = ? WHERE id = ?",
                        a["subject"], rows[4])
        expected = (rows[1], ALTERED)
    else:
        behind_the_back(container, "UPDATE access_log SET hash = NULL WHERE id = ?", rows[0])
        expected = (rows[0], UNCHAINED)
    report = verify_chain(container.db)
    assert not report.valid
    first = report.problems[0]
    assert (first.row_id, first.reason) == expected, report.problems


def test_verify_fails_on_a_tampered_access_log(container: Container) -> None:
    container.access_log.append(reads(3))
    url = container.settings.database_url
    runner = CliRunner()
    ok = runner.invoke(main, ["verify"], env={"PACT_LEDGER_DATABASE_URL": url})
    assert ok.exit_code == 0 and "Access log: 3 rows checked" in ok.output, ok.output
    behind_the_back(container, "UPDATE access_log SET fields = ? WHERE id = ?", "[]",
                    ids(container)[1])
    bad = runner.invoke(main, ["verify"], env={"PACT_LEDGER_DATABASE_URL": url})
    assert bad.exit_code == 1 and ALTERED in bad.output, bad.output


def test_the_command_line_logs_every_read_of_personal_data(container: Container) -> None:
    case = screened_applicant(container.ledger, "IT-CLI-1")
    handle(container.ledger, c.StartScreening("IT", "IT-CLI-2", c.Person(
        "SY", family_name="Haddad", given_names="Rana"), "SEARCH_AND_RESCUE", "Lampedusa"),
        at(0))
    named = str(Case.create_id("IT", "IT-CLI-2"))
    container.runner.catch_up()
    keys = "cli:" + "k" * 40
    env = {"PACT_LEDGER_DATABASE_URL": container.settings.database_url, "COLUMNS": "250",
           "PACT_LEDGER_JWT_KEYS": keys}
    runner = CliRunner()
    # Issue 12: the names are sealed in the events. The proof export holds them only sealed
    # (nothing opened, nothing logged); without a token the timeline reads as an EU auditor
    # (no personal data); a case worker's token opens them, logged first.
    for args in (["export", named], ["timeline", named]):
        result = runner.invoke(main, args, env=env)
        assert result.exit_code == 0 and "Haddad" not in result.output, result.output
    assert container.access_log.entries(AccessFilter(case_id=named), 10, None) == []
    worker = TokenService(KeyRing.parse(keys)).issue(principal("CASE_WORKER", "IT"))
    result = runner.invoke(main, ["timeline", named, "--format", "json", "--token", worker],
                           env=env)
    assert result.exit_code == 0 and "Haddad" in result.output, result.output
    logged = container.access_log.entries(AccessFilter(case_id=named), 10, None)
    assert [r["via"] for r in logged] == [f"cli:timeline {named}"]
    assert all(json.loads(r["fields"]) == ["familyName", "givenNames"] for r in logged)
    assert all("Haddad" not in json.dumps(dict(r), default=str) for r in logged)
    # A case without personal data prints none and logs none.
    assert runner.invoke(main, ["timeline", str(case)], env=env).exit_code == 0
    assert container.access_log.entries(AccessFilter(case_id=str(case)), 10, None) == []
    assert verify_chain(container.db).valid


# --- PostgreSQL: the server's role may only read and append the access log ----------------------
@pytest.fixture
def owner_and_app(postgres: TemporaryPostgres) -> Iterator[tuple[str, str]]:
    """A database with two ordinary roles: the owner who provisions, the app the server is."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    roles = [f"{kind}_{uuid.uuid4().hex[:8]}" for kind in ("own", "app")]
    admin_url = postgres.create_database(name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        for role in roles:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD 'role-secret'").format(
                sql.Identifier(role)))
            conn.execute(sql.SQL("GRANT CREATE, USAGE ON SCHEMA public TO {}").format(
                sql.Identifier(role)))
        # The owner also keeps the key store (issue 12), a schema of its own.
        conn.execute(sql.SQL("GRANT CREATE ON DATABASE {} TO {}").format(
            sql.Identifier(name), sql.Identifier(roles[0])))
    parts = urlsplit(admin_url)
    owner_url, app_url = (urlunsplit(parts._replace(
        netloc=f"{role}:role-secret@{parts.hostname}:{parts.port}")) for role in roles)
    yield owner_url, app_url
    postgres.drop_database(name)
    with psycopg.connect(postgres.admin_url, autocommit=True) as conn:
        for role in roles:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def test_on_postgresql_the_server_role_can_only_read_and_append_the_access_log(
        owner_and_app: tuple[str, str]) -> None:
    owner_url, app_url = owner_and_app
    owner_db = PostgresDatabase(owner_url, max_size=1)
    try:
        provision(owner_db, urlsplit(app_url).username or "")
        assert "owns the access log (and could disable its triggers)" in \
            privilege_problems(owner_db)
        with pytest.raises(click.ClickException, match="owns the access log"):
            check_server_role(owner_db, allow=False)  # the owner may not serve
        check_server_role(owner_db, allow=True)  # unless told to, for development
    finally:
        owner_db.close()
    # The whole system runs as the app role; the key store (issue 12) under a role of its own.
    container = build(Settings(app_url, keystore_url=owner_url))
    try:
        assert privilege_problems(container.db) == []
        check_server_role(container.db, allow=False)
        case = screened_applicant(container.ledger, "IT-ROLE-1")
        container.runner.catch_up()
        container.access_log.append(reads(2, str(case)))
        assert verify_chain(container.db).valid
        for attack in ("DELETE FROM access_log", "UPDATE access_log SET subject = 'x'",
                       "TRUNCATE access_log", "ALTER TABLE access_log DISABLE TRIGGER ALL",
                       "DROP TABLE access_log", "DROP TRIGGER access_log_no_change ON access_log"):
            with psycopg.connect(app_url, autocommit=True) as conn, \
                    pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(attack)
        assert container.access_log.count() == 2
    finally:
        container.close()
