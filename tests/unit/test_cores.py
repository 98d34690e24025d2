"""The cores a process may keep busy: its affinity, at most its cgroup's CPU quota."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from projections import cores


@pytest.mark.parametrize(("cpu_max", "v1", "expected"), [
    ("max 100000", (None, None), None),  # v2, no quota
    ("100000 100000", (None, None), 1),
    ("150000 100000", (None, None), 2),  # 1.5 cores: a second process has half a core
    ("5000 100000", (None, None), 1),
    (None, ("-1", "100000"), None),  # v1, no quota
    (None, ("200000", "100000"), 2),
    (None, (None, None), None),  # neither file
    ("garbled", (None, None), None),
])
def test_a_quota_in_cores(cpu_max: str | None, v1: tuple[str | None, str | None],
                          expected: int | None) -> None:
    assert cores.quota_cores(cpu_max, *v1) == expected


def test_the_affinity_bounded_by_the_quota(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    affinity = len(os.sched_getaffinity(0))
    monkeypatch.setattr(cores, "CGROUP", tmp_path)
    assert cores.usable_cores() == affinity  # no quota
    (tmp_path / "cpu.max").write_text("100000 100000\n")
    assert cores.usable_cores() == 1
    (tmp_path / "cpu.max").write_text(f"{(affinity + 4) * 100000} 100000\n")
    assert cores.usable_cores() == affinity  # a quota above the affinity does not add cores
