"""The deadline read model: every case's deadlines (rule version, due, met, stopped) and the
crisis periods that choose the versions, kept from the same batch as the other read models.

Events are processed strictly in log order, crisis and case events interleaved, so a deadline's
version is chosen from the crisis periods known when its start event is processed (see
`projections.crisis_periods`). Each case's tracker is stored as JSON between batches
(`projections.deadline_state`) and kept in memory from batch to batch while nothing else moved
the tables (`projections.batch_state`); a case whose opening this projection never saw (the
projection added to a database that already had events) is skipped with a warning until a
rebuild. Per event the cost is one lookup of its kind, and in the tracker one of what its type
can start, meet, extend or stop (`ledger.deadlines.engine`); rows are written set-based, once
per batch, and during a rebuild once per case (its tracker and the deadlines that changed, when
the case leaves memory or at the end).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ledger.case.event_base import CaseEvent
from ledger.case.screening.events import CaseOpened
from ledger.crisis.regime import CrisisEvent
from ledger.deadlines.deadline import Deadline
from ledger.deadlines.engine import DeadlineTracker
from projections.batch_state import (
    DEFAULT_LIMIT,
    DEFERRING_LIMIT,
    BatchState,
    DeferredRows,
    Kept,
)
from projections.by_identity import ByIdentity
from projections.crisis_periods import CrisisBook
from projections.db import Tx, Upsert, upsert_rows
from projections.deadline_state import counting_text, dump_tracker, forget_texts, load_tracker
from projections.deadline_tables import DEADLINE_COLUMNS, DEADLINE_DDL, DEADLINE_TABLES
from projections.encoding import id_text, time_text

log = logging.getLogger(__name__)

_UPSERT_DEADLINE = Upsert("case_deadlines", DEADLINE_COLUMNS,
                          key=("case_id", "code", "opened_position"))
_UPSERT_TRACKER = Upsert("deadline_trackers", ("case_id", "position", "state"), key=("case_id",))


class DeadlineProjection(DeferredRows[DeadlineTracker]):
    tables = DEADLINE_TABLES
    ddl = DEADLINE_DDL

    def __init__(self, kept_cases: int = DEFAULT_LIMIT,
                 kept_while_rebuilding: int = DEFERRING_LIMIT,
                 rebuild_memory: int | None = None) -> None:
        #: a rebuild's memory budget in bytes (`BatchState.memory_budget`; None: the default)
        self.rebuild_memory = rebuild_memory
        self._kept: BatchState[DeadlineTracker] = BatchState(
            kept_cases, kept_while_rebuilding, rebuild_memory)

    def process(self, tx: Tx, batch: Sequence[tuple[int, Any]]) -> None:
        if not batch:
            return
        last = batch[-1][0]
        kept = self._kept.begin(tx)
        # (position, event, kind, case id): one dict lookup per event for its kind, and each
        # case id made once (str of a UUID is not free at 10k events a second)
        events = []
        for position, event in batch:
            kind = _KINDS.get(type(event), _UNSEEN)
            if kind is _UNSEEN:
                kind = _kind_of(type(event))
            if kind is _CRISIS:
                events.append((position, event, kind, ""))
            elif kind is not None:
                events.append((position, event, kind, id_text(event.originator_id)))
        crises = kept.extra.get("crises")
        if crises is None:
            # (kept with the trackers: each one asks this book for the derogations in force)
            crises = kept.extra["crises"] = CrisisBook.load(tx)
            kept.items.clear()
        cached = kept.items
        # (a case opened in this batch has nothing stored to read back: its opening is its
        # first event, so it comes before the case's others here)
        wanted = {cid for _, _, kind, cid in events if kind is _CASE}.difference(
            [cid for _, _, kind, cid in events if kind is _OPENED])
        trackers = {cid: cached.pop(cid) for cid in wanted if cid in cached}
        if len(trackers) < len(wanted):
            trackers.update(self._load(tx, crises, wanted - trackers.keys()))
        positions: dict[str, int] = {}
        changed: dict[str, set[tuple[str, int]]] = {}  # case -> (code, opened_position)
        for position, event, kind, case_id in events:
            if kind is _CRISIS:
                crises.apply(tx, position, event)
                continue
            tracker: DeadlineTracker | None
            if kind is _OPENED:
                tracker = trackers[case_id] = DeadlineTracker(crises.derogations_at)
            else:
                tracker = trackers.get(case_id)
                if tracker is None:
                    log.warning("no deadline tracker for case %s: rebuild the read models",
                                case_id)
                    continue
            opened_or_changed = tracker.observe(event, position, event.timestamp)
            if opened_or_changed:
                keys = changed.get(case_id)
                if keys is None:
                    keys = changed[case_id] = set()
                keys.update((d.code, d.opened_position) for d in opened_or_changed)
            positions[case_id] = position
        cached.update(trackers)  # (most recently used last: the oldest are dropped first)
        if self._kept.deferring:
            # A rebuild: each case's tracker and changed deadline rows are written once, when
            # the case leaves memory or at the end (`batch_state`), not at every batch (a
            # deadline opened in one batch and met in the next was written twice). Only the
            # rows' timing moves: a case's member state (the one column taken from its state
            # rather than its deadline) is set at its opening and never changes.
            dirty = kept.dirty
            for case_id, position in positions.items():
                keys = changed.get(case_id)
                was = dirty.get(case_id)
                if was is not None and was[1]:
                    keys = was[1] if keys is None else keys | was[1]
                dirty[case_id] = (position, keys)
            unwritten = [(cid, tracker, *marks)
                         for cid, tracker, marks in self._kept.evict(kept)]
        else:
            unwritten = [(cid, trackers[cid], position, changed.get(cid))
                         for cid, position in positions.items()]
        if unwritten:
            _write_cases(tx, unwritten)
        _forget_texts()
        self._kept.finish(kept, last)

    # --- rebuilds: trackers written once (`projections.batch_state.DeferredRows`) -------------
    def _write_dirty(self, tx: Tx, kept: Kept[DeadlineTracker]) -> None:
        _write_cases(tx, [(cid, kept.items[cid], position, keys)
                          for cid, (position, keys) in kept.dirty.items()])
        _forget_texts()

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


def _write_cases(tx: Tx, cases: list[tuple[str, DeadlineTracker, int,
                                         set[tuple[str, int]] | None]]) -> None:
    """Each case's deadlines that changed (`keys`: code, opened position), then its tracker
    at the position reached: two set-based statements for all the cases."""
    rows = [_row(case_id, tracker, d) for case_id, tracker, _, keys in cases if keys
            for d in tracker.deadlines if (d.code, d.opened_position) in keys]
    if rows:
        upsert_rows(tx, _UPSERT_DEADLINE, rows)
    upsert_rows(tx, _UPSERT_TRACKER, [(case_id, position, dump_tracker(tracker))
                                      for case_id, tracker, position, _ in cases])


def _row(case_id: str, tracker: DeadlineTracker, d: Deadline) -> tuple[Any, ...]:
    """The row of `d`, in `DEADLINE_COLUMNS` order (checked against it once, below)."""
    assert tracker.state is not None
    counting = d.counting
    return (case_id, d.code, d.opened_position, tracker.state.member_state, d.version, d.title,
            d.act, d.article, int(d.confirmed), _time_text(d.started_at),
            _time_text(d.due_at), None if d.met_at is None else _time_text(d.met_at), d.met_by,
            d.met_position, int(d.met_recorded_late),
            None if d.stopped_at is None else _time_text(d.stopped_at), d.extended_days,
            d.extended_months,
            None if counting is None else counting.calendar_version,
            None if counting is None else _counting_text(counting))


assert DEADLINE_COLUMNS == (
    "case_id", "code", "opened_position", "member_state", "version", "title", "act", "article",
    "confirmed", "started_at", "due_at", "met_at", "met_by", "met_position",
    "met_recorded_late", "stopped_at", "extended_days", "extended_months", "calendar_version",
    "counting"), "`_row` writes its values in this order"

#: Texts made once per object (`projections.by_identity`): moments shared by the deadlines
#: of one event and due moments and countings shared by periods counted for the same day.
_time_text: ByIdentity[datetime, str | None] = ByIdentity(time_text)
_counting_text = counting_text  # (one text per counting for its row and its tracker)


def _forget_texts() -> None:
    """After each batch: texts kept longer would pin their batch's memory (`by_identity`)."""
    _time_text.forget()
    _counting_text.forget()
    forget_texts()


#: What each event type is to this projection (an explicit table of the kinds; the type of each
#: event class is looked up once, then one dict lookup per event).
_CASE, _OPENED, _CRISIS, _UNSEEN = "case", "opened", "crisis", "unseen"
_KINDS: dict[type, str | None] = {}


def _kind_of(kind: type) -> str | None:
    found = (_OPENED if issubclass(kind, CaseOpened) else _CASE if issubclass(kind, CaseEvent)
             else _CRISIS if issubclass(kind, CrisisEvent) else None)
    _KINDS[kind] = found
    return found
