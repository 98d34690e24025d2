"""The demo script recorded through `Ledger.handle` at a fixed moment: a small ledger with every
kind of case step, for tests that compare read models built different ways."""

from __future__ import annotations

from datetime import UTC, datetime

from ledger.errors import LedgerError
from pact_ledger.demo.script import demo_script
from pact_ledger.wiring import Container

#: The moment the demo is recorded at (fixed: the same ledger every run).
DEMO_NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def record_demo(container: Container, cases: int = 12, seed: int = 5) -> int:
    """Record `cases` demo cases; return the log's last position."""
    for command, meta in demo_script(cases, seed, DEMO_NOW):
        try:
            container.ledger.handle(command, meta)
        except LedgerError:
            pass  # (the demo script's own refusals, as in the demo)
    return container.runner.log_position()
