"""Settings read from the environment (`pact_ledger.settings`): a rebuild's memory budget."""

from __future__ import annotations

import pytest

from pact_ledger.options import environment
from pact_ledger.settings import Settings


def test_the_rebuild_memory_budget_is_whole_mebibytes_unset_by_default() -> None:
    assert Settings.from_env({}).rebuild_memory is None  # (the default budget)
    assert Settings.from_env({"PACT_LEDGER_REBUILD_MEMORY_MB": " 512 "}).rebuild_memory \
        == 512 * 2**20
    assert Settings.from_env({"PACT_LEDGER_REBUILD_MEMORY_MB": "0"}).rebuild_memory == 0
    flagged = environment({"rebuild_memory_mb": 0}, {"PACT_LEDGER_REBUILD_MEMORY_MB": "64"})
    assert Settings.from_env(flagged).rebuild_memory == 0  # (`serve --rebuild-memory-mb`)


@pytest.mark.parametrize("value", ["-1", "1.5", "2G", "lots"])
def test_a_bad_rebuild_memory_budget_is_refused_by_name(value: str) -> None:
    with pytest.raises(ValueError, match="PACT_LEDGER_REBUILD_MEMORY_MB must be whole mebibytes"):
        Settings.from_env({"PACT_LEDGER_REBUILD_MEMORY_MB": value})
