"""How many cores this process may keep busy: its CPU affinity, bounded by a cgroup CPU quota.

A container started with a CPU limit (`docker run --cpus 1`, a Kubernetes CPU limit) still sees
every core of its host in its affinity (`os.sched_getaffinity`); the limit is a quota of CPU
time per period in its cgroup, which the kernel enforces by pausing the whole container. A
second process there only takes turns with the first, at the price of its memory: so a
rebuild's build worker (`projections.parallel_build`) asks this, not the affinity alone.
The quota is read where a container sees its own cgroup: `/sys/fs/cgroup/cpu.max` (cgroup v2)
or `/sys/fs/cgroup/cpu/cpu.cfs_quota_us` and `cpu.cfs_period_us` (v1).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")


def quota_cores(cpu_max: str | None, v1_quota: str | None = None,
                v1_period: str | None = None) -> int | None:
    """The cores a cgroup quota allows, rounded up (1.5 cores: 2); None where there is none.
    `cpu_max`: v2's `cpu.max` ("max 100000" or "150000 100000"); else v1's two files."""
    quota, period = (cpu_max.split() + [""])[:2] if cpu_max else (v1_quota, v1_period)
    try:
        allowed, every = int(quota or ""), int(period or "")
    except ValueError:  # "max", absent or unreadable: no quota
        return None
    if allowed <= 0 or every <= 0:  # (v1 writes -1 for none)
        return None
    return max(1, math.ceil(allowed / every))


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def usable_cores() -> int:
    """The affinity's cores, at most the cgroup quota's."""
    cores = len(os.sched_getaffinity(0))
    quota = quota_cores(_read(CGROUP / "cpu.max"), _read(CGROUP / "cpu" / "cpu.cfs_quota_us"),
                        _read(CGROUP / "cpu" / "cpu.cfs_period_us"))
    return cores if quota is None else min(cores, quota)
