"""The scale run's import file (benchmarks/bench_scale.py), written by several processes: the
same bytes as `demo_entries` in one process (checked by `--check`), in a fraction of the wall
time and with bounded memory.

`demo_entries` plans every case, keeps every entry in one list (about 0.5 KB each: ~5 GB at
10M events) and sorts it; planning and serialising cost ~0.19 ms of CPU per line, so a 10M
file took over an hour of one core. Here the cases are split into shards of consecutive
numbers; each shard is planned, sorted and serialised by a worker process into a file of lines
prefixed by their sort key, and the parent merges the shards' files (heapq.merge) into the
import file. Cases are independent (each has its own seeded Random) but for one shared
counter: national references are numbered by member state and year in case order. A cheap
first pass gives every shard the counter as it stands before its first case: it runs the real
`plan_case` of each case only until its reference is numbered (a Counter that stops the
planning at its first increment), so no demo code is copied.

    python benchmarks/scale_file.py OUT --events N [--seed 11] [--workers 2] [--check]
"""

from __future__ import annotations

import argparse
import heapq
import multiprocessing
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid5

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pact_ledger.demo import script  # noqa: E402
from pact_ledger.demo.crisis import crisis_period  # noqa: E402
from pact_ledger.demo.lifecycle import plan_case  # noqa: E402
from pact_ledger.import_format import line_of  # noqa: E402

EVENTS_PER_CASE = 14.5  # the demo's mix, measured
SHARD_CASES = 50_000  # ~0.7M lines: ~350 MB of entries in a worker at once
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


class _Numbered(Exception):
    """Raised by _Stopper once the case's reference is numbered."""


class _Stopper(Counter[tuple[str, int]]):
    """A counter that stops the planning at its first increment, saying which key."""

    def __setitem__(self, key: tuple[str, int], value: int) -> None:
        raise _Numbered(key)


def reference_keys(first: int, last: int, seed: int, anchor: datetime, crisis: Any) -> Counter:
    """How many references cases first..last number per (member state, year): the real
    planning of each case, stopped where its reference is numbered."""
    counts: Counter[tuple[str, int]] = Counter()
    for no in range(first, last + 1):
        try:
            plan_case(random.Random(f"pact-ledger-demo:{seed}:{no}"), anchor, _Stopper(), crisis)
        except _Numbered as numbered:
            counts[numbered.args[0]] += 1
        else:
            raise RuntimeError(f"case {no}: planned without numbering a reference")
    return counts


def _key(entered: datetime, no: int, step_no: int) -> str:
    """`demo_entries`' sort key (entered, case number, step) as text that sorts the same."""
    return f"{(entered - _EPOCH) // _US:020d} {no:010d} {step_no:06d}\t"


def _lines(entries: list[Any], seed: int) -> Iterator[str]:
    """Keyed import lines of entries sorted as `demo_entries` sorts them (its meta: ids from
    the seed, case and step; causation: the case's previous command)."""
    entries.sort(key=lambda p: p[:3])
    previous: dict[int, str] = {}
    for entered, no, step_no, t, command, actor in entries:
        key = "crisis" if no == 0 else str(no)
        command_id = str(uuid5(script._NAMESPACE, f"{seed}/{key}/{step_no}"))  # noqa: SLF001
        meta = script.CommandMeta(actor=actor, occurred_at=t, command_id=command_id,
                                  correlation_id=str(uuid5(script._NAMESPACE,  # noqa: SLF001
                                                           f"{seed}/{key}")),
                                  causation_id=previous.get(no, command_id))
        previous[no] = command_id
        yield _key(entered, no, step_no) + line_of(command, meta) + "\n"


def _shard(job: tuple[int, int, int, datetime, Counter, Path]) -> tuple[Path, int]:
    """Plan cases first..last (the counter as it stands before `first`), write their keyed
    lines sorted to `out`; first == 0 is the crisis period's commands alone."""
    first, last, seed, now, numbers, out = job
    anchor = now.replace(hour=0, minute=0, second=0, microsecond=0)
    crisis = crisis_period(seed, anchor)
    entries: list[Any] = []
    if first == 0:
        for i, (t, command, actor) in enumerate(crisis.commands()):
            if t <= now:
                entries.append((t, 0, i, t, command, actor))
    else:
        numbers = Counter(numbers)
        for no in range(first, last + 1):
            case = plan_case(random.Random(f"pact-ledger-demo:{seed}:{no}"), anchor, numbers,
                             crisis)
            entries.extend(script._entries(no, case.steps, now))  # noqa: SLF001
    count = 0
    with out.open("w", encoding="utf-8") as f:
        for line in _lines(entries, seed):
            f.write(line)
            count += 1
    return out, count


def write(path: Path, events: int, seed: int, workers: int, now: datetime | None = None,
          say: Any = print, shard_cases: int = SHARD_CASES) -> int:
    """The import file for about `events` events, as `demo_entries(cases, seed, now)` writes
    it (written beside, then renamed: a file that exists is complete); returns its lines."""
    now = now or datetime.now(UTC)
    cases = max(1, round(events / EVENTS_PER_CASE))
    anchor = now.replace(hour=0, minute=0, second=0, microsecond=0)
    crisis = crisis_period(seed, anchor)
    started = time.perf_counter()
    bounds = [(a, min(a + shard_cases - 1, cases)) for a in range(1, cases + 1, shard_cases)]
    numbers: Counter[tuple[str, int]] = Counter()
    work = path.parent / (path.name + ".shards")
    work.mkdir(parents=True, exist_ok=True)
    jobs = [(0, 0, seed, now, Counter(), work / "crisis")]
    for first, last in bounds:
        jobs.append((first, last, seed, now, Counter(numbers), work / f"{first:09d}"))
        numbers += reference_keys(first, last, seed, anchor, crisis)
    say(f"  .. import file: {cases:,} cases in {len(bounds)} shards over {workers} processes "
        f"(references counted in {time.perf_counter() - started:.0f} s)")
    done = 0
    with multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=1) as pool:
        for out, count in pool.imap_unordered(_shard, jobs):
            done += 1
            say(f"  .. shard {out.name}: {count:,} lines ({done}/{len(jobs)}, "
                f"{time.perf_counter() - started:.0f} s)")
    part = path.with_suffix(".part")
    files = [j[-1].open(encoding="utf-8") for j in jobs]
    lines = 0
    try:
        with part.open("w", encoding="utf-8") as out:
            for line in heapq.merge(*files):
                out.write(line[line.index("\t") + 1:])
                lines += 1
    finally:
        for f in files:
            f.close()
    for job in jobs:
        job[-1].unlink()
    work.rmdir()
    part.rename(path)
    say(f"  .. merged {lines:,} lines in {time.perf_counter() - started:.0f} s")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--shard-cases", type=int, default=SHARD_CASES)
    parser.add_argument("--check", action="store_true",
                        help="also write the file with demo_entries in one process and compare")
    args = parser.parse_args()
    now = datetime.now(UTC)
    lines = write(args.out, args.events, args.seed, args.workers, now,
                  shard_cases=args.shard_cases)
    print(f"{lines:,} lines, {args.out.stat().st_size / 1e6:,.1f} MB")
    if args.check:
        cases = max(1, round(args.events / EVENTS_PER_CASE))
        expected = "".join(line_of(c, m) + "\n" for _, c, m in script.demo_entries(cases, args.seed,
                                                                                  now))
        same = expected == args.out.read_text(encoding="utf-8")
        print(f"same bytes as demo_entries in one process: {same}")
        sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
