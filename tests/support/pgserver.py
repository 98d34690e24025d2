"""Throwaway PostgreSQL servers for tests.

Tests that touch PostgreSQL need a real server, but must not depend on (or damage)
whatever server a developer happens to run.  :class:`TemporaryPostgres` therefore
creates a private cluster in a temporary directory, runs it on a free port on
127.0.0.1 with durability switched off (tests never need crash safety), and deletes
everything again on :meth:`TemporaryPostgres.stop`.  The cluster lives in /dev/shm
when that has room (much faster than a disk), else in $TMPDIR or /tmp.

PostgreSQL refuses to run as root, and CI runs as root: in that case the cluster is
created and run as an unprivileged OS user (``postgres`` if it exists, else
``nobody``).  Clients always connect over TCP as the role ``pact``, which initdb
creates as the bootstrap superuser, with ``trust`` authentication, so no password
is needed and the OS user the server runs as does not matter to clients.

If ``PACT_LEDGER_TEST_POSTGRES_URL`` is set (a URL of an existing server, with a
superuser), no server is started; databases are created on that server instead.

    with TemporaryPostgres() as pg:
        url = pg.create_database("ledger_test")
        ...
        pg.drop_database("ledger_test")
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

ENV_URL = "PACT_LEDGER_TEST_POSTGRES_URL"
"""Environment variable naming an existing server to use instead of a throwaway one."""

ROLE = "pact"
"""Superuser role of throwaway clusters (initdb's bootstrap user; trust auth, no password)."""

HOST = "127.0.0.1"

# Durability is pointless for a cluster that is deleted after the run; these make
# commits and CREATE DATABASE far cheaper.  max_connections leaves room for
# connection pools of several app instances and parallel tests.
SERVER_SETTINGS: dict[str, str] = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}

SHM_MIN_FREE = 2 << 30
"""Free bytes /dev/shm needs before clusters go there (a cluster with WAL can reach ~1.5 GB)."""

_BIND_FAILURE = re.compile(r"could not (bind|create listen socket)|Address already in use")


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries were found (run scripts/ensure-postgres)."""


class PostgresStartError(RuntimeError):
    """The throwaway server could not be initialised or started."""


def find_bindir() -> Path:
    """Directory holding initdb and postgres: PATH first, then the newest /usr/lib/postgresql/N/bin.

    Debian/Ubuntu do not put the server binaries on PATH, hence the fallback.
    """
    found = shutil.which("initdb")
    if found:
        # A symlink farm (e.g. /usr/local/bin) may lack postgres: use the real directory then.
        for candidate in (Path(found).parent, Path(found).resolve().parent):
            if (candidate / "postgres").is_file():
                return candidate
    versions = []
    for bindir in Path("/usr/lib/postgresql").glob("*/bin"):
        if (bindir / "initdb").is_file() and (bindir / "postgres").is_file():
            key = tuple(int(p) if p.isdigit() else 0 for p in bindir.parent.name.split("."))
            versions.append((key, bindir))
    if versions:
        return max(versions)[1]
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, postgres) not found on PATH or under "
        f"/usr/lib/postgresql/*/bin; run scripts/ensure-postgres or set {ENV_URL}"
    )


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (a race is handled by retrying)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _unprivileged_user() -> pwd.struct_passwd | None:
    """The OS user to run the server as: None if we are not root (run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise PostgresStartError("running as root, but neither OS user 'postgres' nor 'nobody' exists")


def _reachable_by(path: Path, user: pwd.struct_passwd) -> bool:
    """Whether ``user`` can traverse every ancestor of ``path`` (root's TMPDIR may be private)."""
    for parent in path.resolve().parents:
        st = parent.stat()
        if not (st.st_mode & 0o001 or (st.st_uid == user.pw_uid and st.st_mode & 0o100)):
            return False
    return True


def _parent_dir() -> Path:
    """Where to put clusters: $TMPDIR if set, else /dev/shm if roomy, else the temp dir.

    On a disk, kernel writeback throttling made CREATE DATABASE take ~250 ms instead of
    ~20 ms and doubled initdb time (measured on a 2-vCPU VM, ext4); RAM-backed /dev/shm avoids it.
    Docker's default 64 MB /dev/shm is far too small, hence the free-space check.
    """
    if not os.environ.get("TMPDIR"):
        shm = Path("/dev/shm")
        try:
            st = os.statvfs(shm)
            if os.access(shm, os.W_OK | os.X_OK) and st.f_bavail * st.f_frsize >= SHM_MIN_FREE:
                return shm
        except OSError:
            pass
    return Path(tempfile.gettempdir())


def _log_tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError as exc:
        return f"(server log unreadable: {exc})"


def _stop_server(proc: subprocess.Popen[bytes] | None, base: Path | None) -> None:
    """Fast-shut the server down (escalating if it hangs) and delete its directory."""
    if proc is not None and proc.poll() is None:
        for sig, wait in ((signal.SIGINT, 15.0), (signal.SIGQUIT, 5.0), (signal.SIGKILL, 5.0)):
            try:
                proc.send_signal(sig)
                proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
            except ProcessLookupError:
                break
    if base is not None:
        shutil.rmtree(base, ignore_errors=True)


def _drop_leftovers(admin_url: str, names: set[str]) -> None:
    """Drop databases this harness created on an external server and that are still there."""
    for name in sorted(names):
        try:
            with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
                _drop(conn, name)
        except psycopg.Error:
            pass
    names.clear()


def _drop(conn: psycopg.Connection[Any], name: str) -> None:
    ident = sql.Identifier(name)
    if conn.info.server_version >= 130000:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
        return
    conn.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = %s AND pid <> pg_backend_pid()",
        (name,),
    )
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(ident))


class TemporaryPostgres:
    """A PostgreSQL server for one test session: a private throwaway cluster, or
    the server named by ``PACT_LEDGER_TEST_POSTGRES_URL``.

    Not started by the constructor: call :meth:`start` or use it as a context manager.
    """

    def __init__(
        self,
        *,
        external_url: str | None = None,
        start_timeout: float = 30.0,
        settings: dict[str, str] | None = None,
    ) -> None:
        """``external_url`` defaults to ``$PACT_LEDGER_TEST_POSTGRES_URL`` (empty = unset)."""
        if external_url is None:
            external_url = os.environ.get(ENV_URL) or None
        if external_url is not None and urlsplit(external_url).scheme not in (
            "postgres",
            "postgresql",
        ):
            raise ValueError(f"{ENV_URL} must be a postgresql:// URL, got {external_url!r}")
        self.external_url = external_url
        self.start_timeout = start_timeout
        self.settings = {**SERVER_SETTINGS, **(settings or {})}
        self.port: int | None = None
        self.base_dir: Path | None = None
        self.startup_seconds: float | None = None
        """Wall time of :meth:`start` (initdb + server start + first connection)."""
        self._proc: subprocess.Popen[bytes] | None = None
        self._created: set[str] = set()
        self._finalizer: weakref.finalize[Any, Any] | None = None

    # -- lifecycle ---------------------------------------------------------

    @property
    def is_external(self) -> bool:
        return self.external_url is not None

    @property
    def started(self) -> bool:
        return self._finalizer is not None and self._finalizer.alive

    def start(self) -> TemporaryPostgres:
        """Start the throwaway server (or check the external one answers); returns self."""
        if self.started:
            return self
        t0 = time.monotonic()
        if self.external_url is not None:
            with psycopg.connect(self.admin_url, connect_timeout=10):
                pass
            self._finalizer = weakref.finalize(self, _drop_leftovers, self.admin_url, self._created)
        else:
            self._start_cluster()
        self.startup_seconds = time.monotonic() - t0
        return self

    def stop(self) -> None:
        """Stop the server and delete its directory (external server: drop our databases)."""
        if self._finalizer is not None:
            self._finalizer()
        self._proc = None

    def __enter__(self) -> TemporaryPostgres:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- URLs and databases ------------------------------------------------

    def url(self, dbname: str = "postgres") -> str:
        """Connection URL of ``dbname`` on this server."""
        if self.external_url is not None:
            parts = urlsplit(self.external_url)
            return urlunsplit(parts._replace(path="/" + quote(dbname, safe="")))
        if self.port is None:
            raise RuntimeError("TemporaryPostgres is not started")
        return f"postgresql://{ROLE}@{HOST}:{self.port}/{quote(dbname, safe='')}"

    @property
    def admin_url(self) -> str:
        """URL of the maintenance database used for CREATE/DROP DATABASE."""
        if self.external_url is not None:
            path = urlsplit(self.external_url).path.lstrip("/")
            return self.external_url if path else self.url("postgres")
        return self.url("postgres")

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """Create database ``name`` (optionally as a copy of ``template``); returns its URL."""
        query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            query += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with self._admin() as conn:
            conn.execute(query)
        self._created.add(name)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop ``name`` if it exists, disconnecting its clients first."""
        with self._admin() as conn:
            _drop(conn, name)
        self._created.discard(name)

    def _admin(self) -> psycopg.Connection[Any]:
        if not self.started:
            raise RuntimeError("TemporaryPostgres is not started")
        return psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10)

    # -- throwaway cluster -------------------------------------------------

    def _start_cluster(self) -> None:
        bindir = find_bindir()
        user = _unprivileged_user()
        base = self._make_base_dir(user)
        proc: subprocess.Popen[bytes] | None = None
        try:
            self._initdb(bindir, base, user)
            for attempt in range(5):
                self.port = _free_port()
                proc = self._spawn(bindir, base, user)
                last_try = attempt == 4
                if self._wait_ready(proc, base / "data", base / "server.log", last_try=last_try):
                    break
                proc = None  # lost a race for the port: try another
        except BaseException:
            _stop_server(proc, base)
            raise
        self._proc = proc
        self._finalizer = weakref.finalize(self, _stop_server, proc, base)

    def _make_base_dir(self, user: pwd.struct_passwd | None) -> Path:
        """A fresh private directory (data dir, log, unix socket) owned by the server's user."""
        parent = _parent_dir()
        # The unix socket path must stay under ~107 bytes; the server user must reach it.
        if len(str(parent)) > 60 or (user is not None and not _reachable_by(parent / "x", user)):
            parent = Path("/tmp")
        base = Path(tempfile.mkdtemp(prefix="pact-pg-", dir=parent))
        if user is not None:
            os.chown(base, user.pw_uid, user.pw_gid)
        self.base_dir = base
        return base

    def _run_kwargs(self, base: Path, user: pwd.struct_passwd | None) -> dict[str, Any]:
        """subprocess arguments: drop to ``user`` (if root), neutral environment and cwd."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k != "LANG"}
        env.update(LC_ALL="C", HOME=str(base))  # English log messages; no stray ~/.psqlrc etc.
        kwargs: dict[str, Any] = {"env": env, "cwd": base}
        if user is not None:
            kwargs.update(user=user.pw_uid, group=user.pw_gid, extra_groups=[])
        return kwargs

    def _initdb(self, bindir: Path, base: Path, user: pwd.struct_passwd | None) -> None:
        cmd = [
            str(bindir / "initdb"),
            "--pgdata", str(base / "data"),
            "--username", ROLE,
            "--auth", "trust",
            "--encoding", "UTF8",
            "--locale", "C",
            "--no-sync",
            "--no-instructions",
        ]  # fmt: skip
        result = subprocess.run(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=120,
            **self._run_kwargs(base, user),
        )
        if result.returncode != 0:
            output = result.stdout.decode(errors="replace")[-3000:]
            raise PostgresStartError(f"initdb failed (exit {result.returncode}):\n{output}")

    def _spawn(
        self, bindir: Path, base: Path, user: pwd.struct_passwd | None
    ) -> subprocess.Popen[bytes]:
        """Run postgres directly (not via pg_ctl) so we hold its pid and can signal it."""
        settings = {
            **self.settings,
            "listen_addresses": HOST,
            "port": str(self.port),
            "unix_socket_directories": str(base),
        }
        cmd = [str(bindir / "postgres"), "-D", str(base / "data")]
        for key, value in settings.items():
            cmd += ["-c", f"{key}={value}"]
        with open(base / "server.log", "wb") as log:  # fresh per attempt: clean failure tails
            return subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Own session: a Ctrl-C meant for pytest must not kill the server mid-teardown.
                start_new_session=True,
                **self._run_kwargs(base, user),
            )

    def _wait_ready(
        self, proc: subprocess.Popen[bytes], data_dir: Path, log: Path, *, last_try: bool
    ) -> bool:
        """Poll until *our* server accepts connections.

        False if it could not bind its port because another process took it meanwhile
        (the caller retries on a new port); raises on other failures or after start_timeout.
        """
        deadline = time.monotonic() + self.start_timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                tail = _log_tail(log)
                if _BIND_FAILURE.search(tail) and not last_try:
                    return False
                raise PostgresStartError(
                    f"postgres exited with code {proc.returncode} during startup; "
                    f"log {log}:\n{tail}"
                )
            try:
                with psycopg.connect(self.url("postgres"), connect_timeout=2) as conn:
                    row = conn.execute("SHOW data_directory").fetchone()
            except psycopg.Error as exc:  # not listening yet, starting up, someone else's port
                last_error = exc
                time.sleep(0.05)
                continue
            if row is not None and os.path.realpath(row[0]) == os.path.realpath(data_dir):
                return True
            # Another cluster (say, a parallel test worker's) answers on this port, so
            # ours will fail to bind and exit: wait for that, the loop then retries.
            last_error = RuntimeError(f"port {self.port} is served by another cluster {row}")
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
        _stop_server(proc, None)
        raise PostgresStartError(
            f"postgres did not accept connections within {self.start_timeout:.0f}s "
            f"({last_error}); log {log}:\n{_log_tail(log)}"
        )

    def restart(self, down_seconds: float = 0.0, immediate: bool = True,
                while_down: Callable[[], None] | None = None) -> None:
        """Stop the throwaway server (immediate shutdown: like a crash, then recovery from the
        WAL) and start it again on the same port after `down_seconds` (and `while_down`)."""
        if self._proc is None or self.base_dir is None:
            raise RuntimeError("restart needs a throwaway server started by the tests")
        self._proc.send_signal(signal.SIGQUIT if immediate else signal.SIGINT)
        self._proc.wait(timeout=30)
        time.sleep(down_seconds)
        if while_down is not None:
            while_down()
        bindir = find_bindir()
        user = _unprivileged_user()
        base = self.base_dir
        proc = self._spawn(bindir, base, user)
        self._wait_ready(proc, base / "data", base / "server.log", last_try=True)
        self._proc = proc
        if self._finalizer is not None:
            self._finalizer.detach()
        self._finalizer = weakref.finalize(self, _stop_server, proc, base)

    def __repr__(self) -> str:
        where = self.external_url if self.is_external else f"{HOST}:{self.port} in {self.base_dir}"
        return f"<TemporaryPostgres {where} {'started' if self.started else 'stopped'}>"


def _client_tool(bindir: Path, name: str) -> str:
    """A client program of the same installation as the server binaries (a symlink farm such
    as /usr/local/bin may hold only some of them)."""
    for candidate in (bindir / name, (bindir / "postgres").resolve().parent / name):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise PostgresUnavailable(f"{name} not found beside {bindir} or on PATH")
    return found


class TemporaryStandby:
    """A hot standby of a throwaway primary (streaming replication), for read-replica tests.

    Made with ``pg_basebackup -R`` from the running primary, as the same unprivileged OS user,
    and run on another free port of 127.0.0.1; it replays the primary's WAL continuously and
    answers read-only queries. Stopped (and deleted) by :meth:`stop`.
    """

    def __init__(self, primary: TemporaryPostgres, start_timeout: float = 30.0) -> None:
        if primary.is_external or primary.base_dir is None or primary.port is None:
            raise PostgresStartError("a standby needs a throwaway primary started by the tests")
        self.primary = primary
        self.start_timeout = start_timeout
        self.port: int | None = None
        self.base_dir: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None

    def url(self, dbname: str = "postgres") -> str:
        if self.port is None:
            raise RuntimeError("TemporaryStandby is not started")
        return f"postgresql://{ROLE}@{HOST}:{self.port}/{quote(dbname, safe='')}"

    def start(self) -> TemporaryStandby:
        bindir = find_bindir()
        user = _unprivileged_user()
        primary_dir = self.primary.base_dir
        base = self.primary._make_base_dir(user)  # same layout and owner as the primary's
        self.primary.base_dir = primary_dir
        self.base_dir = base
        kwargs = self.primary._run_kwargs(base, user)
        result = subprocess.run(
            [_client_tool(bindir, "pg_basebackup"), "--pgdata", str(base / "data"), "--host", HOST,
             "--port", str(self.primary.port), "--username", ROLE, "--write-recovery-conf",
             "--wal-method", "stream", "--checkpoint", "fast", "--no-sync"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            timeout=120, **kwargs)
        if result.returncode != 0:
            shutil.rmtree(base, ignore_errors=True)
            raise PostgresStartError("pg_basebackup failed (exit "
                                     f"{result.returncode}):\n{result.stdout.decode()[-3000:]}")
        proc: subprocess.Popen[bytes] | None = None
        try:
            for attempt in range(5):
                self.port = _free_port()
                proc = self._spawn(bindir, base, kwargs)
                if self._wait_ready(proc, base / "server.log", last_try=attempt == 4):
                    break
                proc = None
        except BaseException:
            _stop_server(proc, base)
            raise
        self._proc = proc
        self._finalizer = weakref.finalize(self, _stop_server, proc, base)
        return self

    def _spawn(self, bindir: Path, base: Path, kwargs: dict[str, Any]
               ) -> subprocess.Popen[bytes]:
        settings = {**self.primary.settings, "listen_addresses": HOST, "port": str(self.port),
                    "unix_socket_directories": str(base), "hot_standby": "on"}
        cmd = [str(bindir / "postgres"), "-D", str(base / "data")]
        for key, value in settings.items():
            cmd += ["-c", f"{key}={value}"]
        with open(base / "server.log", "wb") as log:
            return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True, **kwargs)

    def _wait_ready(self, proc: subprocess.Popen[bytes], log: Path, *, last_try: bool) -> bool:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                tail = _log_tail(log)
                if _BIND_FAILURE.search(tail) and not last_try:
                    return False
                raise PostgresStartError(f"standby exited with code {proc.returncode}:\n{tail}")
            try:
                with psycopg.connect(self.url(), connect_timeout=2) as conn:
                    row = conn.execute("SELECT pg_is_in_recovery()").fetchone()
                if row is not None and row[0]:
                    return True
            except psycopg.Error:
                pass
            time.sleep(0.05)
        _stop_server(proc, None)
        raise PostgresStartError(f"standby did not start within {self.start_timeout:.0f}s:\n"
                                 f"{_log_tail(log)}")

    def stop(self) -> None:
        if self._finalizer is not None:
            self._finalizer()
        self._proc = None

    def __enter__(self) -> TemporaryStandby:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
