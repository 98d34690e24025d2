"""Legal time for tests: steps are placed in days after a fixed past moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ledger.command_meta import CommandMeta
from ledger.envelope import Actor

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CASE_WORKER = Actor("it-cw-01", "CASE_WORKER", "IT Ministry of the Interior", "IT")


def at(days: float, actor: Actor = CASE_WORKER, **kwargs: object) -> CommandMeta:
    """Command metadata for a step `days` after T0."""
    return CommandMeta(actor=actor, occurred_at=T0 + timedelta(days=days), **kwargs)  # type: ignore[arg-type]
