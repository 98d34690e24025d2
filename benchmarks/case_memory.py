"""What a case kept in memory by a rebuild costs, by allocation site.

A rebuild keeps every case it meets until its memory budget (`projections.batch_state`): the
case projection's state (`_Tracked`: a `CaseState`, its observed values, the timeline's texts)
and the deadline projection's `DeadlineTracker` (its own `CaseState` and the deadlines). This
feeds an SQLite ledger's case events, in log order, to exactly those objects, as the two
projections do in memory (no tables), and prints the bytes per case that stay allocated
(tracemalloc, the event decoded inside the traced window and dropped after use), the largest
allocation sites first. Crisis derogations are left out (the trackers get none).

    .venv/bin/python benchmarks/case_memory.py LEDGER.sqlite [MAX_EVENTS] [SITES]
"""

from __future__ import annotations

import gc
import sys
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ledger.case.event_base import CaseEvent  # noqa: E402
from ledger.case.screening.events import CaseOpened  # noqa: E402
from ledger.case.state import CaseState  # noqa: E402
from ledger.deadlines.engine import DeadlineTracker  # noqa: E402
from pact_ledger.settings import Settings  # noqa: E402
from pact_ledger.wiring import build  # noqa: E402
from projections.case_projection import _changes_json, _observe, _Tracked  # noqa: E402
from projections.encoding import id_text  # noqa: E402

ROOT = str(Path(__file__).resolve().parent.parent) + "/"


def main() -> None:
    path = sys.argv[1]
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 10**12
    shown = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    container = build(Settings(f"sqlite:///{path}"))
    try:
        app = container.ledger
        stored: list[Any] = []
        start = 1
        while len(stored) < limit and (batch := app.recorder.select_notifications(start, 5000)):
            stored += batch
            start = batch[-1].id + 1
        del stored[limit:]
        gc.collect()
        tracemalloc.start(1)
        before = tracemalloc.take_snapshot()
        cases: dict[str, _Tracked] = {}
        trackers: dict[str, DeadlineTracker] = {}
        for notification in stored:
            event = app.mapper.to_domain_event(notification)
            if not isinstance(event, CaseEvent):
                continue
            case_id = id_text(event.originator_id)
            if isinstance(event, CaseOpened):
                cases[case_id] = _Tracked(CaseState(), notification.id, 0, "")
                trackers[case_id] = DeadlineTracker()
            entry = cases[case_id]
            observed = entry.observed
            event.apply_step(entry.state)  # type: ignore[arg-type]
            entry.state.last_occurred_at = event.envelope.occurred_at
            entry.observed = _observe(entry.state)
            _changes_json(entry, observed, entry.observed)
            trackers[case_id].observe(event, notification.id, event.timestamp)
        del event, entry
        gc.collect()
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
    finally:
        container.close()
    sites = after.compare_to(before, "lineno")
    count = max(1, len(cases))
    total = sum(site.size_diff for site in sites)
    deadlines = sum(len(t.deadlines) for t in trackers.values())
    print(f"{len(stored):,} events, {len(cases):,} cases ({deadlines / count:.1f} deadlines "
          f"each): {total / 1e6:.1f} MB kept, {total / count:,.0f} bytes a case")
    print(f"{'bytes a case':>13} {'objects':>8}  allocated at")
    for site in sites[:shown]:
        frame = site.traceback[0]
        print(f"{site.size_diff / count:>13,.0f} {site.count_diff / count:>8.1f}  "
              f"{frame.filename.replace(ROOT, '')}:{frame.lineno}")


if __name__ == "__main__":
    main()
