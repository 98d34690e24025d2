"""Settings read from the environment (`pact_ledger.settings`): a rebuild's memory budget, the
helper processes, the cache of cases."""

from __future__ import annotations

from pathlib import Path

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


def test_the_case_cache_is_a_whole_number_of_cases_unset_by_default() -> None:
    assert Settings.from_env({}).case_cache is None  # (the ledger's default)
    assert "AGGREGATE_CACHE_MAXSIZE" not in Settings.from_env({}).eventsourcing_env()
    assert Settings.from_env({"PACT_LEDGER_CASE_CACHE": " 50000 "}).case_cache == 50_000
    flagged = environment({"case_cache": 7}, {"PACT_LEDGER_CASE_CACHE": "50000"})
    assert Settings.from_env(flagged).case_cache == 7  # (`serve --case-cache`)


def test_the_ledger_holds_as_many_cases_as_the_setting_says(tmp_path: Path) -> None:
    from pact_ledger.wiring import build

    settings = Settings.from_env({"PACT_LEDGER_DATABASE_URL": f"sqlite:///{tmp_path / 'l.sqlite'}",
                                  "PACT_LEDGER_CASE_CACHE": "7"})
    container = build(settings)
    try:
        ledger = container.ledger
        assert ledger.decided.maxsize == 7
        assert ledger.repository.cache is not None
        assert ledger.repository.cache.maxsize == 7  # type: ignore[attr-defined]
    finally:
        container.close()


@pytest.mark.parametrize("value", ["0", "-1", "1.5", "many"])
def test_a_bad_case_cache_is_refused_by_name(value: str) -> None:
    with pytest.raises(ValueError, match="PACT_LEDGER_CASE_CACHE must be a whole number of cases"):
        Settings.from_env({"PACT_LEDGER_CASE_CACHE": value})
