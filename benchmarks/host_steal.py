"""How much CPU time the host took from this machine while a benchmark ran (a VM's steal).

On a shared virtual machine the host runs other guests on the same cores; the time it takes
from ours is counted as `steal` in /proc/stat (Linux). It slows the ledger's Python work and a
raw baseline unequally as it comes and goes between them, and the load average does not show
it: in the twenty-third session it reached a quarter of the CPU time, and the raw baselines
moved 2-5x between runs. The benchmarks print the stolen share over their runs beside their
figures, so that a ratio taken in a quiet hour can be told from one taken in a noisy one.
"""

from __future__ import annotations

from pathlib import Path

STAT = Path("/proc/stat")


def cpu_times() -> tuple[int, int] | None:
    """(steal, total) jiffies of all CPUs since boot; None where /proc/stat does not say."""
    try:
        with STAT.open() as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    if len(fields) < 9 or fields[0] != "cpu":
        return None
    # user nice system idle iowait irq softirq steal [guest guest_nice]: the guest times are
    # counted in user and nice already
    values = [int(value) for value in fields[1:9]]
    return values[7], sum(values)


class Steal:
    """`with Steal() as steal: ...`, then `steal.share`: the stolen share of all CPU time in
    between (None: not known here)."""

    def __init__(self) -> None:
        self.start: tuple[int, int] | None = None
        self.end: tuple[int, int] | None = None

    def __enter__(self) -> Steal:
        self.start = cpu_times()
        return self

    def __exit__(self, *exc: object) -> None:
        self.end = cpu_times()

    @property
    def share(self) -> float | None:
        if self.start is None or self.end is None or self.end[1] <= self.start[1]:
            return None
        return (self.end[0] - self.start[0]) / (self.end[1] - self.start[1])

    def text(self) -> str:
        """What a benchmark prints, e.g. "host steal 2.1% of the CPU time"."""
        share = self.share
        return "host steal unknown" if share is None else \
            f"host steal {share:.1%} of the CPU time"
