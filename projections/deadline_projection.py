"""The deadline read model: every case's deadlines (rule version, due, met, stopped) and the
crisis periods that choose the versions, kept from the same batch as the other read models.

Events are processed strictly in log order, crisis and case events interleaved, so a deadline's
version is chosen from the crisis periods known when its start event is processed (see
`projections.crisis_periods`). Each case's tracker is stored as JSON between batches
(`projections.deadline_state`) and kept in memory from batch to batch while nothing else moved
the tables (`projections.batch_state`; a rebuild writes each tracker once, at the end); a case
whose opening this projection never saw (the projection added to a database that already had
events) is skipped with a warning until a rebuild.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ledger.case.event_base import CaseEvent
from ledger.case.screening.events import CaseOpened
from ledger.crisis.regime import CrisisEvent
from ledger.deadlines.deadline import Deadline
from ledger.deadlines.engine import DeadlineTracker
from projections.batch_state import DEFAULT_LIMIT, BatchState, DeferredRows, Kept
from projections.crisis_periods import CrisisBook
from projections.db import Tx
from projections.deadline_state import dump_tracker, load_tracker
from projections.deadline_tables import DEADLINE_COLUMNS, DEADLINE_DDL, DEADLINE_TABLES
from projections.encoding import dumps_plain, time_text

log = logging.getLogger(__name__)

_KEY = ("case_id", "code", "opened_position")
_UPSERT_DEADLINE = (
    f"INSERT INTO case_deadlines ({', '.join(DEADLINE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in DEADLINE_COLUMNS)}) "
    f"ON CONFLICT ({', '.join(_KEY)}) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in DEADLINE_COLUMNS if c not in _KEY)
)
_UPSERT_TRACKER = (
    "INSERT INTO deadline_trackers (case_id, position, state) VALUES (?, ?, ?) "
    "ON CONFLICT (case_id) DO UPDATE SET position = excluded.position, state = excluded.state"
)


class DeadlineProjection(DeferredRows[DeadlineTracker]):
    tables = DEADLINE_TABLES
    ddl = DEADLINE_DDL

    def __init__(self, kept_cases: int = DEFAULT_LIMIT) -> None:
        self._kept: BatchState[DeadlineTracker] = BatchState(kept_cases)

    def process(self, tx: Tx, batch: Sequence[tuple[int, Any]]) -> None:
        if not batch:
            return
        last = batch[-1][0]
        kept = self._kept.begin(tx)
        batch = [(p, e) for p, e in batch if isinstance(e, (CaseEvent, CrisisEvent))]
        crises = kept.extra.get("crises")
        if crises is None:
            # (kept with the trackers: each one asks this book for the derogations in force)
            crises = kept.extra["crises"] = CrisisBook.load(tx)
            kept.items.clear()
        cached = kept.items
        wanted = {str(e.originator_id) for _, e in batch
                  if isinstance(e, CaseEvent) and not isinstance(e, CaseOpened)}
        trackers = {cid: cached.pop(cid) for cid in wanted if cid in cached}
        trackers.update(self._load(tx, crises, wanted - trackers.keys()))
        positions: dict[str, int] = {}
        changed: dict[tuple[str, str, int], Deadline] = {}
        for position, event in batch:
            if isinstance(event, CrisisEvent):
                crises.apply(tx, position, event)
                continue
            case_id = str(event.originator_id)
            if isinstance(event, CaseOpened):
                trackers[case_id] = DeadlineTracker(crises.derogations_at)
            tracker = trackers.get(case_id)
            if tracker is None:
                log.warning("no deadline tracker for case %s: rebuild the read models", case_id)
                continue
            for deadline in tracker.observe(event, position, event.timestamp):
                changed[(case_id, deadline.code, deadline.opened_position)] = deadline
            positions[case_id] = position
        tx.executemany(_UPSERT_DEADLINE, [
            _row(case_id, trackers[case_id], d) for (case_id, _, _), d in changed.items()])
        cached.update(trackers)  # (most recently used last: the oldest are dropped first)
        if self._kept.deferring:  # (a rebuild: each tracker written once, see batch_state)
            kept.dirty.update(positions)
            unwritten = [(cid, position, tracker)
                         for cid, tracker, position in self._kept.evict(kept)]
        else:
            unwritten = [(cid, position, trackers[cid]) for cid, position in positions.items()]
        _write_trackers(tx, unwritten)
        self._kept.finish(kept, last)

    # --- rebuilds: trackers written once (`projections.batch_state.DeferredRows`) -------------
    def _write_dirty(self, tx: Tx, kept: Kept[DeadlineTracker]) -> None:
        _write_trackers(tx, [(cid, position, kept.items[cid])
                             for cid, position in kept.dirty.items()])

    def _load(self, tx: Tx, crises: CrisisBook, case_ids: set[str]) -> dict[str, DeadlineTracker]:
        loaded: dict[str, DeadlineTracker] = {}
        ids = sorted(case_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            tx.execute("SELECT case_id, state FROM deadline_trackers WHERE case_id IN "
                       f"({', '.join('?' for _ in chunk)})", chunk)
            for row in tx.fetchall():
                loaded[row["case_id"]] = load_tracker(row["state"], crises.derogations_at)
        return loaded


def _write_trackers(tx: Tx, trackers: list[tuple[str, int, DeadlineTracker]]) -> None:
    tx.executemany(_UPSERT_TRACKER, [(case_id, position, dump_tracker(tracker))
                                     for case_id, position, tracker in trackers])


def _row(case_id: str, tracker: DeadlineTracker, d: Deadline) -> tuple[Any, ...]:
    assert tracker.state is not None
    values = {
        "case_id": case_id, "code": d.code, "opened_position": d.opened_position,
        "member_state": tracker.state.member_state, "version": d.version, "title": d.title,
        "act": d.act, "article": d.article, "confirmed": int(d.confirmed),
        "started_at": time_text(d.started_at), "due_at": time_text(d.due_at),
        "met_at": time_text(d.met_at), "met_by": d.met_by, "met_position": d.met_position,
        "met_recorded_late": int(d.met_recorded_late), "stopped_at": time_text(d.stopped_at),
        "extended_days": d.extended_days, "extended_months": d.extended_months,
        "calendar_version": None if d.counting is None else d.counting.calendar_version,
        "counting": None if d.counting is None else dumps_plain(d.counting.to_dict()),
    }
    return tuple(values[c] for c in DEADLINE_COLUMNS)
