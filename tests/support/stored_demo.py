"""A demo ledger's stored rows, as verify's workers read them, and the canonical form that
hashes them: the set-up of the range-check tests."""

from __future__ import annotations

from typing import Any

from ledger.stored_canonical import StoredCanonical
from pact_ledger.demo.seeding import seed_demo
from pact_ledger.wiring import Container
from projections.stored_rows import raw_reader


def demo_rows(container: Container, cases: int, seed: int,
              catch_up: bool = False) -> tuple[list[Any], StoredCanonical]:
    """Seed `cases` demo cases (then project them, if `catch_up`) and read every stored row."""
    seed_demo(container, cases=cases, seed=seed)
    if catch_up:
        container.runner.catch_up()
    app = container.ledger
    reader = raw_reader(app)
    assert reader is not None
    return list(reader(1, 100_000)), StoredCanonical(app.mapper)
