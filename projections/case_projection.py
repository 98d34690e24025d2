"""The case list and the case timeline, kept from the same batch of events.

The case list row is a `CaseState` (the aggregate's own state class) flattened into columns, so
statuses are computed by exactly the transitions the aggregate uses. The timeline is one row per
event with its envelope and payload.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress
from operator import attrgetter, is_not, not_
from typing import Any

import orjson

from ledger.case.event_base import CaseEvent
from ledger.case.events import phase_of
from ledger.case.screening.events import CaseOpened
from ledger.case.state import OBSERVED_ATTRIBUTES, CaseState
from ledger.deadlines.lateness import recorded_late
from ledger.vocabulary import CaseStatus
from projections.batch_state import (
    DEFAULT_LIMIT,
    DEFERRING_LIMIT,
    BatchState,
    DeferredRows,
    Kept,
)
from projections.case_details import (
    SUB_STATE_NAMES,
    appeals_from_json,
    appeals_json,
    decisions_from_json,
    decisions_json,
    details_json,
    plain_value,
    set_details_from_json,
)
from projections.db import Row, Tx, Upsert, insert_rows, upsert_rows
from projections.encoding import (
    ENVELOPE_FIELDS,
    dumps,
    envelope_columns,
    id_text,
    parse_time,
    time_text,
)
from projections.tables import (
    CASE_COLUMNS,
    CASE_DDL,
    CASE_FLAG_COLUMNS,
    CASE_TABLES,
    EVENT_COLUMNS,
)

_TIME_ATTRS = ("opened_at", "application_made_at", "registered_at", "lodged_at",
               "last_occurred_at")
#: A case's row, inserted or replaced but for its `seq` (its place in the list: kept).
_UPSERT_CASE = Upsert("case_list", CASE_COLUMNS, key=("case_id",), kept=("seq",))


_OBSERVED = attrgetter(*OBSERVED_ATTRIBUTES)


def _observe(state: CaseState) -> tuple[Any, ...]:
    """`ledger.case.state.observe` as a tuple in `OBSERVED_ATTRIBUTES` order (one C call once
    the case has every attribute, i.e. after it was opened)."""
    try:
        return _OBSERVED(state)  # type: ignore[no-any-return]
    except AttributeError:
        return tuple(getattr(state, name, None) for name in OBSERVED_ATTRIBUTES)


def _changes_json(entry: _Tracked, before: tuple[Any, ...], after: tuple[Any, ...]) -> str:
    """The timeline's `changes` text, `dumps(plain_changes(changes_between(before, after)))`
    (`ledger.case.state`, `projections.case_details`) written piece by piece: the observed
    values are immutable, so one left as it was (the same object) is not compared field by
    field, and a value's text is kept with the case until the attribute changes again (it is
    the next change's "before")."""
    # (the attributes the event replaced are found by identity in C: `map(is_not, ...)`; of
    # ~30, an event replaces a few)
    parts = [f'"{name}":[{_value_json(entry, name, old)},{_value_json(entry, name, new)}]'
             for name, old, new in compress(zip(OBSERVED_ATTRIBUTES, before, after, strict=True),
                                            map(is_not, before, after))
             if old != new]
    return "{" + ",".join(parts) + "}"


def _value_json(entry: _Tracked, name: str, value: Any) -> str:
    if value is None:
        return "null"
    kind = type(value)
    if (kind is str or kind is int or kind is bool) and name not in SUB_STATE_NAMES:
        # (what `plain_value` leaves as it is)
        return orjson.dumps(value).decode()
    known = entry.texts.get(name)
    if known is not None and known[0] is value:
        return known[1]
    text = dumps(plain_value(name, value))
    entry.texts[name] = (value, text)
    return text


class _Tracked:
    """A case's state plus the bookkeeping the row keeps beside it, and the state's observed
    attributes as they stand (the next event's "before": observed once per event, not twice;
    the observed values are immutable, so nothing changes them but the next event's step)."""

    __slots__ = ("observed", "recorded_at", "seq", "state", "texts", "version")

    def __init__(self, state: CaseState, seq: int, version: int, recorded_at: str) -> None:
        self.state, self.seq, self.version, self.recorded_at = state, seq, version, recorded_at
        self.observed = _observe(state)
        #: per observed attribute, the value last written to the timeline and its JSON text
        self.texts: dict[str, tuple[Any, str]] = {}


class CaseProjection(DeferredRows[_Tracked]):
    tables = CASE_TABLES
    ddl = CASE_DDL

    def __init__(self, kept_cases: int = DEFAULT_LIMIT,
                 kept_while_rebuilding: int = DEFERRING_LIMIT,
                 rebuild_memory: int | None = None) -> None:
        #: a rebuild's memory budget in bytes (`BatchState.memory_budget`; None: the default)
        self.rebuild_memory = rebuild_memory
        self._kept: BatchState[_Tracked] = BatchState(
            kept_cases, kept_while_rebuilding, rebuild_memory)

    def process(self, tx: Tx, batch: Sequence[tuple[int, Any]]) -> None:
        if not batch:
            return
        last = batch[-1][0]
        kept = self._kept.begin(tx)
        batch = [(seq, e) for seq, e in batch if isinstance(e, CaseEvent)]
        cached = kept.items
        ids = [id_text(e.originator_id) for _, e in batch]  # (str of a UUID costs)
        # (a case opened in this batch has nothing stored to read back: its opening is its
        # first event, so it comes before the case's others here)
        opened = [isinstance(e, CaseOpened) for _, e in batch]
        wanted = set(compress(ids, map(not_, opened))).difference(compress(ids, opened))
        tracked = {cid: cached.pop(cid) for cid in wanted if cid in cached}
        tracked.update(self._load(tx, wanted - tracked.keys()))
        timeline = []
        for (seq, event), case_id, opening in zip(batch, ids, opened, strict=True):
            if opening:
                tracked[case_id] = _Tracked(CaseState(), seq, 0, "")
            entry = tracked[case_id]
            before = entry.observed
            event.apply_step(entry.state)  # type: ignore[arg-type]
            entry.state.last_occurred_at = event.envelope.occurred_at
            entry.version = event.originator_version
            envelope = envelope_columns(event)
            entry.recorded_at = envelope[1] or ""  # (`time_text` of the event's timestamp)
            entry.observed = after = _observe(entry.state)
            timeline.append(_event_row(seq, case_id, event, envelope,
                                       _changes_json(entry, before, after)))
        cached.update(tracked)  # (most recently used last: the oldest are dropped first)
        if self._kept.deferring:  # (a rebuild: each case row written once, see batch_state)
            kept.dirty.update(dict.fromkeys(tracked))
            rows = [_case_row(cid, t) for cid, t, _ in self._kept.evict(kept)]
        else:
            rows = [_case_row(cid, t) for cid, t in tracked.items()]
        upsert_rows(tx, _UPSERT_CASE, rows)
        insert_rows(tx, "case_events", EVENT_COLUMNS, timeline)  # (PostgreSQL: COPY)
        self._kept.finish(kept, last)

    # --- rebuilds: case rows written once (`projections.batch_state.DeferredRows`) -------------
    def _write_dirty(self, tx: Tx, kept: Kept[_Tracked]) -> None:
        upsert_rows(tx, _UPSERT_CASE, [_case_row(cid, kept.items[cid]) for cid in kept.dirty])

    def _load(self, tx: Tx, case_ids: set[str]) -> dict[str, _Tracked]:
        loaded: dict[str, _Tracked] = {}
        ids = sorted(case_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            tx.execute(
                f"SELECT * FROM case_list WHERE case_id IN ({', '.join('?' for _ in chunk)})",
                chunk,
            )
            for row in tx.fetchall():
                loaded[row["case_id"]] = _Tracked(
                    _state_from_row(row), row["seq"], row["version"], row["last_recorded_at"]
                )
        return loaded


def _state_from_row(row: Row) -> CaseState:
    state = CaseState()
    for column in ("member_state", "national_reference", "nationality", "screening",
                   "screening_trigger", "screening_outcome", "procedure",
                   "standing_decision_no", "pending_appeal_no", "closed_reason"):
        setattr(state, column, row[column])
    for column in _TIME_ATTRS:
        setattr(state, column, parse_time(row[column]))
    for column in CASE_FLAG_COLUMNS:
        if column == "unaccompanied_minor":  # derived (`CaseState.unaccompanied_minor`): the
            state.claimed_minor = bool(row[column])  # claim, unless `details` keeps it
        else:
            setattr(state, column, bool(row[column]))
    state.status = CaseStatus(row["status"])
    state.decisions = decisions_from_json(row["decisions"])
    state.appeals = appeals_from_json(row["appeals"])
    set_details_from_json(state, row["details"])
    state.command_ids = set()
    return state


def _case_row(case_id: str, t: _Tracked) -> tuple[Any, ...]:
    values = case_values(case_id, t.state, t.seq, t.version, t.recorded_at)
    return tuple(values[c] for c in CASE_COLUMNS)


def case_values(case_id: str, s: CaseState, seq: int, version: int,
                recorded_at: str) -> dict[str, Any]:
    """The case-list row of a state, by column (also used for the case as it stood)."""
    standing = s.standing_decision
    last = standing or (s.decisions[-1] if s.decisions else None)
    values: dict[str, Any] = {
        "case_id": case_id,
        "seq": seq,
        "version": version,
        "status": s.status.value,
        "decisions": decisions_json(s.decisions),
        "appeals": appeals_json(s.appeals),
        "last_recorded_at": recorded_at,
        "last_decision_type": last.decision_type if last else None,
        "last_decision_at": time_text(last.occurred_at) if last else None,
        "responsibility_state": s.responsibility.state,
        "relocation_state": s.relocation.state if s.relocation else None,
        "details": details_json(s),
    }
    for column in _TIME_ATTRS:
        values[column] = time_text(getattr(s, column))
    for column in CASE_FLAG_COLUMNS:
        values[column] = int(getattr(s, column))
    for column in CASE_COLUMNS:
        if column not in values:
            values[column] = getattr(s, column)
    return values


def _event_row(seq: int, case_id: str, event: CaseEvent, envelope: tuple[Any, ...],
               changes: str) -> tuple[Any, ...]:
    """The timeline row; `envelope` is `envelope_columns(event)`."""
    env = event.envelope
    return (
        seq,
        case_id,
        event.originator_version,
        type(event).__name__,
        type(event).TOPIC,  # type: ignore[attr-defined]
        *envelope,
        dumps({k: v for k, v in vars(event).items() if k not in ENVELOPE_FIELDS}),
        int(recorded_late(env.occurred_at, event.timestamp)),
        changes,
        phase_of(event),
    )
