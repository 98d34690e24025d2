"""The PostgreSQL test harness itself: if this fails, every PostgreSQL test is suspect."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from tests.support.pgserver import ENV_URL, ROLE, TemporaryPostgres

external = pytest.mark.skipif(
    bool(os.environ.get(ENV_URL)), reason=f"{ENV_URL} is set: no throwaway server"
)


@pytest.fixture(scope="module")
def pg() -> Iterator[TemporaryPostgres]:
    with TemporaryPostgres() as server:
        yield server


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def database_exists(pg: TemporaryPostgres, name: str) -> bool:
    with psycopg.connect(pg.admin_url) as conn:
        row = conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s", (name,))
        return row.fetchone() == (1,)


def test_create_connect_select_drop(pg: TemporaryPostgres) -> None:
    name = unique("harness")
    url = pg.create_database(name)
    assert url == pg.url(name)

    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
        assert conn.execute("SELECT current_database()").fetchone() == (name,)

    pg.drop_database(name)
    assert not database_exists(pg, name)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=5).close()


def test_databases_are_isolated(pg: TemporaryPostgres) -> None:
    a, b = unique("iso_a"), unique("iso_b")
    url_a, url_b = pg.create_database(a), pg.create_database(b)
    try:
        with psycopg.connect(url_a) as conn:
            conn.execute("CREATE TABLE events (n int)")
            conn.execute("INSERT INTO events SELECT generate_series(1, 3)")
        with psycopg.connect(url_b) as conn:
            with pytest.raises(psycopg.errors.UndefinedTable):
                conn.execute("SELECT * FROM events")
            conn.rollback()
            conn.execute("CREATE TABLE events (n int)")
            conn.execute("INSERT INTO events VALUES (42)")
        with psycopg.connect(url_a) as conn:
            assert conn.execute("SELECT count(*), sum(n) FROM events").fetchone() == (3, 6)
        with psycopg.connect(url_b) as conn:
            assert conn.execute("SELECT count(*), sum(n) FROM events").fetchone() == (1, 42)
    finally:
        pg.drop_database(a)
        pg.drop_database(b)


def test_drop_disconnects_open_sessions(pg: TemporaryPostgres) -> None:
    name = unique("busy")
    held = psycopg.connect(pg.create_database(name), autocommit=True)
    try:
        pg.drop_database(name)
        assert not database_exists(pg, name)
        with pytest.raises(psycopg.OperationalError):
            held.execute("SELECT 1")
    finally:
        held.close()
    pg.drop_database(name)  # dropping a missing database is a no-op


def test_create_from_template(pg: TemporaryPostgres) -> None:
    template, copy = unique("tmpl"), unique("copy")
    with psycopg.connect(pg.create_database(template)) as conn:
        conn.execute("CREATE TABLE t AS SELECT 7 AS n")
    try:
        with psycopg.connect(pg.create_database(copy, template=template)) as conn:
            assert conn.execute("SELECT n FROM t").fetchone() == (7,)
    finally:
        pg.drop_database(copy)
        pg.drop_database(template)


@external
def test_throwaway_server_settings(pg: TemporaryPostgres) -> None:
    assert pg.url("x") == f"postgresql://{ROLE}@127.0.0.1:{pg.port}/x"
    with psycopg.connect(pg.url()) as conn:
        settings: dict[str, str] = dict(
            conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name = ANY(%s)",
                (["fsync", "synchronous_commit", "full_page_writes", "max_connections"],),
            ).fetchall()
        )
        superuser = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert superuser.fetchone() == (True,)
        data_dir = conn.execute("SHOW data_directory").fetchone()
    assert settings == {
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "max_connections": "200",
    }
    assert data_dir is not None and pg.base_dir is not None
    owner = os.stat(data_dir[0]).st_uid
    if os.geteuid() == 0:
        assert owner != 0, "the server must not run as root"
    else:
        assert owner == os.geteuid()


@external
def test_stop_removes_everything() -> None:
    server = TemporaryPostgres().start()
    base, port = server.base_dir, server.port
    assert base is not None and base.is_dir() and port is not None
    server.stop()
    server.stop()  # idempotent
    assert not base.exists()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "server still listening after stop()"
