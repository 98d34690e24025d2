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


def test_helper_processes_are_a_whole_number_unset_by_default() -> None:
    assert Settings.from_env({}).helper_processes is None  # (each one's default)
    assert Settings.from_env({"PACT_LEDGER_HELPER_PROCESSES": " 1 "}).helper_processes == 1
    assert Settings.from_env({"PACT_LEDGER_HELPER_PROCESSES": "0"}).helper_processes == 0
    flagged = environment({"helper_processes": 0}, {"PACT_LEDGER_HELPER_PROCESSES": "2"})
    assert Settings.from_env(flagged).helper_processes == 0  # (`serve --helper-processes`)


@pytest.mark.parametrize("value", ["-1", "1.5", "two"])
def test_bad_helper_processes_are_refused_by_name(value: str) -> None:
    with pytest.raises(ValueError, match="PACT_LEDGER_HELPER_PROCESSES must be a whole number"):
        Settings.from_env({"PACT_LEDGER_HELPER_PROCESSES": value})
