"""`pact-ledger serve`: read every setting, refuse what is invalid or insecure, then run uvicorn.

Forwarded headers (`X-Forwarded-For`, `-Proto`) are believed only from the configured trusted
proxies: uvicorn would otherwise trust them from 127.0.0.1, letting anything on the machine
choose the client address that failed authentications are counted by.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping, Sequence

import click
import uvicorn
from rich.console import Console

from pact_ledger import logging_setup, tracing
from pact_ledger.options import flag_on
from pact_ledger.security import JWKS, SecuritySettings
from pact_ledger.serve_settings import ServeSettings, insecure_settings
from pact_ledger.settings import Settings
from projections.read_model_version import READ_MODEL_VERSION

log = logging.getLogger("pact_ledger.serve")

CONFIGURATION_ERROR = 2
ALLOW_ACCESS_LOG_CHANGES = "PACT_LEDGER_ALLOW_ACCESS_LOG_CHANGES"


def _refuse(message: str) -> int:
    click.echo(f"pact-ledger serve: {message}", err=True)
    return CONFIGURATION_ERROR


#: How long uvicorn's supervisor waits for a worker to answer before it kills it.
WORKER_HEALTHCHECK_SECONDS = 60


class LedgerServer(uvicorn.Server):
    """uvicorn, saying where it listens once the socket is bound (the port when 0 was asked)."""

    def _log_started_message(self, listeners: Sequence[socket.SocketType]) -> None:
        host, port = listeners[0].getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        log.info("listening", extra={"url": f"http://{shown}:{port}", "host": host,
                                     "port": port})


def run(env: Mapping[str, str]) -> int:
    try:
        serve = ServeSettings.from_env(env)
        settings = Settings.from_env(env)
        _ = settings.backend  # checks the URL's scheme
        security = SecuritySettings.from_env(env)
    except (ValueError, OSError) as error:
        return _refuse(f"invalid setting: {error}")
    reasons = insecure_settings(serve, security.development_key, security.graphiql,
                                env.get(JWKS, "").strip() or None)
    if reasons:
        for reason in reasons:
            click.echo(f"pact-ledger serve: refusing to start: {reason}.", err=True)
        click.echo("(Listen on 127.0.0.1 for local development.)", err=True)
        return CONFIGURATION_ERROR
    config = logging_setup.configure(serve.log_format, serve.log_level)
    try:
        tracing.configure(env)
    except ValueError as error:
        return _refuse(f"invalid setting: {error}")

    from pact_ledger.cli_access import check_server_role
    from pact_ledger.cli_tokens import print_demo_tokens
    from pact_ledger.server import create_app
    from pact_ledger.wiring import build

    if settings.workers > 1 and settings.backend != "postgres":
        return _refuse("several server processes (--workers) need PostgreSQL "
                       "(PACT_LEDGER_DATABASE_URL); SQLite is served by one")
    try:
        container = build(settings)
    except Exception as error:  # configuration or connection problems: say so, no traceback
        log.error("cannot open the ledger", extra={"error": str(error)})
        return 1
    try:
        check_server_role(container.db, flag_on(env, ALLOW_ACCESS_LOG_CHANGES, False))
        version = container.runner.version()
        if version == READ_MODEL_VERSION:
            read_models = f"current ({container.runner.catch_up()} events applied at start)"
        else:  # the server rebuilds them blue-green (pact_ledger/upgrade.py)
            read_models = (f"of version {version}: rebuilding them to version "
                           f"{READ_MODEL_VERSION} in the background")
        log.info("ledger open", extra={
            "backend": settings.backend, "read_models": read_models,
            "workers": settings.workers,
            "graphiql": security.graphiql, "metrics": serve.metrics,
            "tracing": tracing.enabled(), "cors_origins": list(serve.cors_origins),
            "trusted_proxies": list(serve.trusted_proxies),
            "identity_provider": security.provider is not None,
            "hs256_keys": [kid for kid, _ in security.tokens.keys.keys]
            if security.accept_hs256 else []})
        if security.development_key:
            print_demo_tokens(Console(), security)
        common = dict(host=serve.host, port=serve.port, log_config=config,
                      proxy_headers=bool(serve.trusted_proxies),
                      forwarded_allow_ips=list(serve.trusted_proxies) or "",
                      server_header=False, lifespan="on", access_log=True, use_colors=None)
        if settings.workers == 1:
            app = create_app(container, security, serve=serve,
                             erasure_interval=settings.erasure_interval)
            LedgerServer(uvicorn.Config(app, **common)).run()  # type: ignore[arg-type]
            return 0
    finally:
        container.close()
    # Each worker builds its own container from the environment (pact_ledger/asgi.py).
    os.environ.update(env)
    # A worker answers uvicorn's health check only once it has imported the project and built
    # its system: on a loaded machine that took longer than uvicorn's 5 s, and the supervisor
    # killed and restarted every worker in a loop.
    uvicorn.run("pact_ledger.asgi:create_app", factory=True, workers=settings.workers,
                timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
                **common)  # type: ignore[arg-type]
    return 0
