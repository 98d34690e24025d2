"""The benchmarks' steal figure: the stolen share of all CPU time between two reads of
/proc/stat (`benchmarks/host_steal.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import host_steal
from benchmarks.host_steal import Steal


def _stat(path: Path, steal: int, idle: int) -> None:
    # user nice system idle iowait irq softirq steal guest guest_nice
    path.write_text(f"cpu  100 0 50 {idle} 5 0 3 {steal} 40 0\ncpu0 1 2 3\n")


def test_the_share_is_the_steal_over_all_cpu_time_between(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    stat = tmp_path / "stat"
    monkeypatch.setattr(host_steal, "STAT", stat)
    _stat(stat, steal=10, idle=1000)
    with Steal() as steal:
        _stat(stat, steal=35, idle=1075)  # 25 stolen of 100 (guest time not counted again)
    assert steal.share == pytest.approx(0.25)
    assert steal.text() == "host steal 25.0% of the CPU time"


def test_without_proc_stat_the_share_is_unknown(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(host_steal, "STAT", tmp_path / "absent")
    with Steal() as steal:
        pass
    assert steal.share is None
    assert steal.text() == "host steal unknown"
