"""A rebuild and a catch-up far behind run without automatic garbage collections (full ones
walked every case kept in memory: `projections.collection`), and give the collector back as
they found it, whether they succeed or fail."""

from __future__ import annotations

import gc
from datetime import UTC, datetime

import pytest

from ledger.errors import LedgerError
from pact_ledger.demo.script import demo_script
from pact_ledger.settings import Settings
from pact_ledger.wiring import build


def test_rebuild_and_catch_up_pause_collections_while_they_run(settings: Settings) -> None:
    container = build(settings)
    try:
        now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
        for command, meta in demo_script(3, 2, now):
            try:
                container.ledger.handle(command, meta)
            except LedgerError:
                pass
        seen: list[bool] = []
        assert gc.isenabled()
        assert container.runner.catch_up(lambda _p, _t: seen.append(gc.isenabled()),
                                         batch_size=10) > 0
        assert gc.isenabled()
        assert container.runner.rebuild(lambda _p, _t: seen.append(gc.isenabled()),
                                        batch_size=10) > 0
        assert gc.isenabled()
        assert seen and not any(seen)

        def fail(_position: int, _target: int) -> None:
            raise RuntimeError("stopped half-way")

        with pytest.raises(RuntimeError):
            container.runner.rebuild(fail, batch_size=10)
        assert gc.isenabled()
    finally:
        container.close()
