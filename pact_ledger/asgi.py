"""The ASGI application for process managers: one container per worker process.

    uvicorn --factory pact_ledger.asgi:create_app --workers 4 --host 0.0.0.0 --port 8000
    gunicorn -k uvicorn.workers.UvicornWorker -w 4 'pact_ledger.asgi:create_app()'

Everything comes from the environment (PACT_LEDGER_DATABASE_URL, the keys, ...), so every worker
builds the same system. Several workers need PostgreSQL: one of them at a time follows the log
(the projection leader); each answers its own commands with read-your-writes.
"""

from __future__ import annotations

import os

from starlette.applications import Starlette

from pact_ledger.security import SecuritySettings
from pact_ledger.serve_settings import ServeSettings
from pact_ledger.server import create_app as create_server
from pact_ledger.settings import Settings
from pact_ledger.wiring import build


def create_app() -> Starlette:
    settings = Settings.from_env()
    security = SecuritySettings.from_env()
    container = build(settings)
    return create_server(container, security, serve=ServeSettings.from_env(os.environ),
                         close_container=True, erasure_interval=settings.erasure_interval)
