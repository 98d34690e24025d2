"""Every setting of the server, by environment variable and by command-line flag: one table.

The settings are read from an environment mapping (`Settings`, `SecuritySettings`,
`ServeSettings` each take theirs from it); a flag given to `pact-ledger serve` overrides the
variable of the same row. README's configuration table lists exactly these rows (a test checks).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import click


@dataclass(frozen=True)
class Option:
    flag: str
    env: str
    help: str
    is_flag: bool = False  # --x/--no-x, stored as "1"/"0"
    type: Any = str


OPTIONS: tuple[Option, ...] = (
    Option("--host", "PACT_LEDGER_HOST", "Address to listen on (default 127.0.0.1)."),
    Option("--port", "PACT_LEDGER_PORT", "Port to listen on (default 8000; 0: any free port).",
           type=click.IntRange(0, 65535)),
    Option("--workers", "PACT_LEDGER_WORKERS",
           "Server processes (PostgreSQL only; one of them at a time keeps the read models "
           "current) (default 1).", type=click.IntRange(1, 64)),
    Option("--database-url", "PACT_LEDGER_DATABASE_URL",
           "sqlite:///PATH or postgresql://USER:PASS@HOST:PORT/DB (default: SQLite file in the "
           "data folder)."),
    Option("--read-database-url", "PACT_LEDGER_READ_DATABASE_URL",
           "A PostgreSQL hot standby that queries read from, postgresql://... (default none: "
           "the primary)."),
    Option("--ready-max-lag", "PACT_LEDGER_READY_MAX_LAG",
           "Events the read models may be behind the log for /readyz (default 1000).",
           type=click.IntRange(0)),
    Option("--command-deadline", "PACT_LEDGER_COMMAND_DEADLINE",
           "Seconds after its arrival by which a command is committed, or not recorded "
           "(default 10).", type=click.FloatRange(0.1)),
    Option("--consistency-wait", "PACT_LEDGER_CONSISTENCY_WAIT",
           "Seconds a command waits for the read models (and the standby) to include it "
           "(default 5).", type=click.FloatRange(0)),
    Option("--keystore-url", "PACT_LEDGER_KEYSTORE_URL",
           "Where the data keys of personal data live: sqlite:///path or postgresql://... "
           "(default beside the ledger)."),
    Option("--master-keys", "PACT_LEDGER_MASTER_KEYS",
           "kid1:base64,kid2:base64: the first wraps the data keys, all unwrap "
           "(default the development key)."),
    Option("--erasure-interval", "PACT_LEDGER_ERASURE_INTERVAL",
           "Seconds between the server's erasure runs; 0: off (default 3600).", type=int),
    Option("--rebuild-memory-mb", "PACT_LEDGER_REBUILD_MEMORY_MB",
           "MiB of memory up to which a rebuild (a server's, or `pact-ledger rebuild`) keeps "
           "every case in memory, then a fixed number; 0: a fixed number only (default 2048, "
           "or a quarter of the machine's memory if less).", type=click.IntRange(0)),
    Option("--helper-processes", "PACT_LEDGER_HELPER_PROCESSES",
           "Worker processes a rebuild or `verify` may start beside its own on a long log, at "
           "most; 0: none (default: 1 for a rebuild on two cores or more, 2 for verify).",
           type=click.IntRange(0, 64)),
    Option("--case-cache", "PACT_LEDGER_CASE_CACHE",
           "Cases each process holds for the next command on them; a command on any other "
           "case replays its events from the store first (8-18 kB a case; default 20000).",
           type=click.IntRange(1)),
    Option("--data-dir", "PACT_LEDGER_DATA_DIR",
           "Folder of the default SQLite file and the development key (default ./data)."),
    Option("--border-capacity", "PACT_LEDGER_BORDER_CAPACITY",
           "Adequate border-procedure capacity per member state, e.g. IT=8016,EL=2720."),
    Option("--jwt-keys", "PACT_LEDGER_JWT_KEYS",
           "HS256 keys kid1:secret1,kid2:secret2 (first signs; default: the development key)."),
    Option("--jwt-issuer", "PACT_LEDGER_JWT_ISSUER", "Required iss of HS256 tokens."),
    Option("--jwt-audience", "PACT_LEDGER_JWT_AUDIENCE", "Required aud of HS256 tokens."),
    Option("--jwks", "PACT_LEDGER_JWKS",
           "Identity provider's keys (RS256/ES256): a JWKS file path or https:// URL."),
    Option("--oidc-issuer", "PACT_LEDGER_OIDC_ISSUER", "Required iss of identity provider tokens."),
    Option("--oidc-audience", "PACT_LEDGER_OIDC_AUDIENCE",
           "Required aud of identity provider tokens."),
    Option("--claim-subject", "PACT_LEDGER_CLAIM_SUBJECT",
           "Claim naming the principal (default sub; Entra ID: oid)."),
    Option("--claim-role", "PACT_LEDGER_CLAIM_ROLE",
           "Claim (dotted path, text or list) holding the role (default roles; Keycloak: "
           "realm_access.roles)."),
    Option("--role-map", "PACT_LEDGER_ROLE_MAP",
           "Provider role -> ledger role, e.g. pl-case-worker=CASE_WORKER (default: same names)."),
    Option("--claim-member-state", "PACT_LEDGER_CLAIM_MEMBER_STATE",
           "Claim holding the member state (default member_state; Entra ID: tid)."),
    Option("--member-state-map", "PACT_LEDGER_MEMBER_STATE_MAP",
           "Claim value -> member state, e.g. TENANT-ID=IT (default: the value itself)."),
    Option("--claim-authority", "PACT_LEDGER_CLAIM_AUTHORITY",
           "Claim naming the authority (default authority)."),
    Option("--jwks-refresh-seconds", "PACT_LEDGER_JWKS_REFRESH_SECONDS",
           "Keys are re-read after this long, and for an unknown kid at most this often "
           "(default 300 and 30 s: the second is a tenth of it, at least 1 s).",
           type=click.IntRange(1, 86_400)),
    Option("--graphiql/--no-graphiql", "PACT_LEDGER_GRAPHIQL",
           "Serve GraphiQL (and introspection) on GET /graphql (default off).", is_flag=True),
    Option("--rate-limit", "PACT_LEDGER_RATE_LIMIT",
           "Requests a minute per principal (default 600).", type=click.IntRange(1)),
    Option("--max-body-bytes", "PACT_LEDGER_MAX_BODY_BYTES",
           "Largest request body (default 65536).", type=click.IntRange(1)),
    Option("--trusted-proxies", "PACT_LEDGER_TRUSTED_PROXIES",
           "Addresses whose X-Forwarded-For/-Proto are believed, e.g. 10.0.0.5,10.0.0.6 "
           "(default none)."),
    Option("--cors-origins", "PACT_LEDGER_CORS_ORIGINS",
           "Origins browsers may call from, e.g. https://case.example.eu (default none: no CORS)."),
    Option("--log-format", "PACT_LEDGER_LOG_FORMAT", "json or text (default text).",
           type=click.Choice(["json", "text"])),
    Option("--log-level", "PACT_LEDGER_LOG_LEVEL", "DEBUG, INFO, WARNING or ERROR (default INFO).",
           type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False)),
    Option("--metrics/--no-metrics", "PACT_LEDGER_METRICS",
           "Serve Prometheus metrics at /metrics (default on).", is_flag=True),
    Option("--allow-access-log-changes/--no-allow-access-log-changes",
           "PACT_LEDGER_ALLOW_ACCESS_LOG_CHANGES",
           "PostgreSQL: serve even if the database role could change the access log "
           "(development only; default off).", is_flag=True),
)


def setting_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Adds one click option per row; the command receives them as `**given` (None: not given)."""
    for option in reversed(OPTIONS):
        name = option.env.removeprefix("PACT_LEDGER_").lower()
        help_text = f"{option.help} [env {option.env}]"
        if option.is_flag:
            command = click.option(option.flag, name, default=None, help=help_text)(command)
        else:
            command = click.option(option.flag, name, default=None, type=option.type,
                                   help=help_text)(command)
    return command


def environment(given: Mapping[str, Any], base: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The environment with every given flag put in its variable's place."""
    env = dict(base)
    for option in OPTIONS:
        value = given.get(option.env.removeprefix("PACT_LEDGER_").lower())
        if value is None:
            continue
        env[option.env] = ("1" if value else "0") if option.is_flag else str(value)
    return env


def flag_on(env: Mapping[str, str], name: str, default: bool) -> bool:
    text = env.get(name, "").strip().lower()
    if not text:
        return default
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be 1 or 0, not {text!r}")
