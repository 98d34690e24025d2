"""Fixtures of the unit tests: an in-memory ledger whose clock is fixed ten years after T0."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ledger.application import Ledger
from tests.support.cases import memory_ledger


@pytest.fixture
def ledger() -> Iterator[Ledger]:
    app = memory_ledger()
    yield app
    app.close()
