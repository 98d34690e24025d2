"""The figures of scale-run logs (benchmarks/bench_scale.py) as one Markdown table: a row per
stage, a column per backend and size, each figure beside its raw baseline, its peak RSS, its
CPU seconds and the load average it ran at.

    .venv/bin/python benchmarks/scale_table.py bench-logs/scale-*.log
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def figure(f: dict[str, Any]) -> str:
    """The stage's figure, its raw baseline and the ratio, in one cell."""
    s = f["stage"]
    if s == "import":
        workers = f.get("workers", 1)
        return (f"{f['rate']:,.0f} ev/s ({f['cpu_rate'] or 0:,.0f}/CPU s"
                + (f", --workers {workers}" if workers > 1 else "") + ")")
    if s == "raw-insert":
        return f"raw INSERT {f['raw_insert_rows_s']:,.0f} rows/s" + (
            f" (first {f['raw_insert_rows']:,} rows: disk)"
            if f.get("raw_insert_stopped_for_disk") else "")
    if s == "catch-up":
        return f"{f['rate']:,.0f} ev/s ({f['cpu_rate']:,.0f}/CPU s)"
    if s == "rebuild":
        return (f"{f['rate']:,.0f} ev/s ({f['cpu_rate']:,.0f}/CPU s) vs SELECT "
                f"{f['raw_select_rows_s']:,.0f} = {f['rate'] / f['raw_select_rows_s']:.2%}")
    if s == "verify":
        return (f"{f['rate']:,.0f} ev/s ({f['cpu_rate']:,.0f}/CPU s) vs SELECT+SHA "
                f"{f['raw_hash_rows_s']:,.0f} = {f['rate'] / f['raw_hash_rows_s']:.1%}")
    if s == "digest":
        return f"{f['seconds'] * 1000:.1f} ms (size {f['size']:,})"
    if s == "proofs":
        return (f"inclusion {f['inclusion_ms'][0]:.2f} ms, consistency "
                f"{f['consistency_ms'][0]:.2f} ms")
    if s == "graphql":
        g, r = f["graphql_ms"], f["raw_ms"]
        timeline = f" of {f['timeline_events']} events" if f.get("timeline_events") else ""
        return (f"page {g['page'][0]:.1f} ms (p99 {g['page'][1]:.0f}) vs raw "
                f"{r['page'][0]:.2f}; timeline{timeline} {g['timeline'][0]:.1f} ms (p99 "
                f"{g['timeline'][1]:.0f}) vs raw {r['timeline'][0]:.2f}")
    if s == "append":
        return (f"{f['rate']:,.0f} cmd/s ({f['cpu_ms']:.2f} ms CPU/cmd) vs raw "
                f"{f['raw_rate']:,.0f} = {f['rate'] / f['raw_rate']:.1%}")
    return "?"


def main() -> None:
    rows: dict[str, dict[str, str]] = {}
    columns: list[str] = []
    for path in sys.argv[1:]:
        for line in Path(path).read_text().splitlines():
            if not line.startswith("FIGURES "):
                continue
            f = json.loads(line.removeprefix("FIGURES "))
            size = f.get("nominal") or float(f"{f['events']:.2g}")  # older logs: ~events
            column = f"{f['backend']} {size:,.0f}"
            if column not in columns:
                columns.append(column)
            cell = (f"{figure(f)}; RSS {f['peak_rss_mb']:,.0f} MB, {f['cpu_s']:,.0f} CPU s, "
                    f"load {f['load'].split('/')[0]}")
            rows.setdefault(f["stage"], {})[column] = cell
    print("| stage | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for stage, cells in rows.items():
        print(f"| {stage} | " + " | ".join(cells.get(c, "") for c in columns) + " |")


if __name__ == "__main__":
    main()
