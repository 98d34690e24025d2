"""The deadline engine: a case's events in, the deadlines that run (and how they ended) out.

Pure: the tracker is fed one case's events in log order, with each event's log position and
recording time, and asks `derogations_at(member_state, moment)` which crisis derogations were in
force. It keeps its own `CaseState` (the same transitions as the aggregate) to evaluate the
catalogue's conditions (on the state *before* each event) and start moments (on the state
*after* it).

For each event, in this order:
1. open deadlines are met (first matching `met_by` event, with `met_when`), extended
   (`extended_by` events lengthen the period by their `months` and `days`, counted again from
   the same start) or stopped (`stopped_by`);
2. new deadlines open for rules whose `starts_on` and `when` match. The version is chosen by the
   derogations in force at the deadline's *start* moment and is kept from then on. A rule
   already running (open and unmet) for the case is not opened again; a met or stopped one may
   be opened anew (a new decision opens a new appeal window, a subsequent application a new
   examination clock).

Due moments are counted as Regulation 1182/71 counts periods, in the calendar of the member state
where the act is to be done (`ledger.deadlines.periods`); each deadline keeps that counting.

Legal time drives everything; recording time only marks a meeting event recorded late.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from ledger.case.state import CaseState
from ledger.deadlines.catalogue import (
    RULES,
    DeadlineRule,
    calendar_state,
    derogations_for,
    version_for,
)
from ledger.deadlines.conditions import CONDITIONS
from ledger.deadlines.deadline import FIELDS, Deadline, made
from ledger.deadlines.durations import Duration, Unit, days
from ledger.deadlines.lateness import recorded_late
from ledger.deadlines.periods import period_end

DerogationsAt = Callable[[str, datetime], frozenset[str]]


def no_derogations(member_state: str, moment: datetime) -> frozenset[str]:
    return frozenset()


def _holds(name: str | None, event: Any, before: CaseState) -> bool:
    return name is None or CONDITIONS[name](event, before)


class _RuleIndex:
    """What each event type can do to a rule set, made once per rule set (a tracker per case:
    indexing the catalogue for each was a large part of opening a case). Most events of a case
    start, meet, extend and stop nothing: for them `observe` only applies the event to its
    state, found with one dict lookup here."""

    __slots__ = ("rules", "versions", "starting", "touching", "touched_by", "_chosen",
                 "_by_code")

    def __init__(self, rules: tuple[DeadlineRule, ...]) -> None:
        self.rules = rules
        #: the rules by (code, version)
        self.versions = {(r.code, r.version): r for r in rules}
        bases = [r for r in rules if r.derogation is None]
        #: event type -> the base versions it may start, in catalogue order
        self.starting: dict[str, tuple[DeadlineRule, ...]] = {
            name: tuple(r for r in bases if name in r.starts_on)
            for name in {n for r in bases for n in r.starts_on}}
        #: the event types that may meet, extend or stop a running deadline (any version)
        self.touching = frozenset(n for r in rules
                                  for n in (*r.met_by, *r.extended_by, *r.stopped_by))
        #: (code, version) -> the event types that may meet, extend or stop it
        self.touched_by = {(r.code, r.version): frozenset((*r.met_by, *r.extended_by,
                                                             *r.stopped_by)) for r in rules}
        self._by_code: dict[str, list[DeadlineRule]] = {}
        for r in rules:
            self._by_code.setdefault(r.code, []).append(r)
        self._chosen: dict[tuple[str, frozenset[str]], DeadlineRule] = {}

    def version_for(self, code: str, derogations: frozenset[str]) -> DeadlineRule:
        """`catalogue.version_for` over this rule set, remembered per (code, derogations):
        it depends on nothing else."""
        key = (code, derogations)
        rule = self._chosen.get(key)
        if rule is None:
            rule = self._chosen[key] = version_for(code, derogations, self.rules)
        return rule


_INDEXES: dict[int, _RuleIndex] = {}


def _indexed(rules: tuple[DeadlineRule, ...]) -> _RuleIndex:
    found = _INDEXES.get(id(rules))
    if found is None or found.rules is not rules:
        if len(_INDEXES) > 64:  # (rule sets made on the fly, as tests do: keep it bounded)
            _INDEXES.clear()
        found = _INDEXES[id(rules)] = _RuleIndex(rules)
    return found


assert FIELDS == ("code", "version", "title", "act", "article", "confirmed", "started_at",
                  "due_at", "opened_position", "met_at", "met_by", "met_position",
                  "met_recorded_late", "stopped_at", "extended_days", "kept_by",
                  "extended_months", "counting"), "`DeadlineTracker._open` makes them in order"


def _with(deadline: Deadline, **changes: Any) -> Deadline:
    """`dataclasses.replace` for a deadline (every field an init field): the same value
    without replace's introspection of the fields at each call."""
    return made({**vars(deadline), **changes})


class DeadlineTracker:
    """The deadlines of one case, kept current as its events arrive."""

    def __init__(self, derogations_at: DerogationsAt = no_derogations,
                 rules: tuple[DeadlineRule, ...] = RULES, state: CaseState | None = None,
                 deadlines: Iterable[Deadline] = ()) -> None:
        self.derogations_at = derogations_at
        self.rules = rules
        self.state = state
        self.deadlines: list[Deadline] = list(deadlines)
        self._index = _indexed(rules)
        self._versions = self._index.versions

    def observe(self, event: Any, position: int,
                recorded_at: datetime | None = None) -> list[Deadline]:
        """Take one event of the case into account; return the deadlines it opened or changed."""
        name = type(event).__name__
        occurred = event.envelope.occurred_at
        recorded = recorded_at if recorded_at is not None else event.timestamp
        if self.state is None:
            if name != "CaseOpened":
                raise ValueError(f"a case's deadlines start with CaseOpened, not {name}")
            self.state = CaseState()
            event.apply_step(self.state)  # conditions on the opening see the initial state
        before = self.state  # conditions are evaluated before the event is applied to it
        index = self._index
        changed = []
        if name in index.touching:
            touched_by = index.touched_by
            for i, deadline in enumerate(self.deadlines):
                if (deadline.met_at is None and deadline.stopped_at is None  # (is_open)
                        and name in touched_by[(deadline.code, deadline.version)]
                        and self._update(i, event, before, position, recorded)):
                    changed.append(i)
        starts = index.starting.get(name)
        starting = [] if starts is None else [r for r in starts
                                              if _holds(r.when, event, before)]
        if name != "CaseOpened":
            event.apply_step(self.state)
        self.state.last_occurred_at = occurred
        if not starting:
            return [self.deadlines[i] for i in changed]
        opened = [self._open(rule, event, position) for rule in starting
                  if not any(d.code == rule.code and d.met_at is None and d.stopped_at is None
                             for d in self.deadlines)]  # (one running: `is_open`)
        self.deadlines += opened
        return [self.deadlines[i] for i in changed] + opened

    def _update(self, index: int, event: Any, before: CaseState, position: int,
                recorded: datetime) -> bool:
        deadline = self.deadlines[index]
        rule = self._versions[(deadline.code, deadline.version)]
        name = type(event).__name__
        occurred = event.envelope.occurred_at
        if name in rule.met_by and _holds(rule.met_when, event, before):
            # A deemed acceptance or confirmation takes effect at the end of the reply period
            # (AMMR Arts 40, 41(2)), whenever it is recorded: that is its legal moment.
            met = getattr(event, "effective_at", None) or occurred
            late_record = (met <= deadline.due_at < recorded and recorded_late(met, recorded))
            deadline = _with(deadline, met_at=met, met_by=name, met_position=position,
                               met_recorded_late=late_record)
        elif name in rule.extended_by:
            deadline = self._extended(deadline, int(getattr(event, "months", 0)),
                                      int(event.days))
        elif name in rule.stopped_by and _holds(rule.stopped_when, event, before):
            deadline = _with(deadline, stopped_at=occurred)
        else:
            return False
        self.deadlines[index] = deadline
        return True

    def _open(self, base: DeadlineRule, event: Any, position: int) -> Deadline:
        assert self.state is not None
        start = self._start(base.start_from, event)
        other = self.state.responsibility.other
        rule = self._index.version_for(
            base.code, derogations_for(base, self.derogations_at, self.state.member_state,
                                       other, start))
        duration = rule.duration if rule.duration is not None else days(int(event.days))
        period = period_end(duration, start,
                            calendar_state(rule, self.state.member_state, other))
        return made({"code": rule.code, "version": rule.version, "title": rule.title,
                     "act": rule.act, "article": rule.article, "confirmed": rule.confirmed,
                     "started_at": start, "due_at": period.due_at, "opened_position": position,
                     "met_at": None, "met_by": None, "met_position": None,
                     "met_recorded_late": False, "stopped_at": None, "extended_days": 0,
                     "kept_by": rule.kept_by, "extended_months": 0,
                     "counting": period.counting})

    def _extended(self, deadline: Deadline, months: int, days_: int) -> Deadline:
        """The same period lengthened, counted again from its start (APR Art 35(2): a 2-month
        limit extended by 2 months ends 4 calendar months after lodging)."""
        assert self.state is not None
        counting = deadline.counting
        rule = self._versions[(deadline.code, deadline.version)]
        if counting is not None:
            duration = Duration(counting.amount, Unit(counting.unit))
            member_state = counting.member_state
        else:  # a tracker kept before countings were (a rebuild recounts it)
            assert rule.duration is not None
            duration, member_state = rule.duration, self.state.member_state
        extended_months = deadline.extended_months + months
        extended_days = deadline.extended_days + days_
        period = period_end(duration, deadline.started_at, member_state,
                            extended_days=extended_days, extended_months=extended_months)
        return _with(deadline, due_at=period.due_at, extended_days=extended_days,
                       extended_months=extended_months, counting=period.counting)

    def _start(self, source: str, event: Any) -> datetime:
        """The moment a deadline runs from: the event's legal time, or (per `start_from`) a field
        of the event, else an attribute of the case after the event (`return_` included). When
        the named moment is not recorded, the event's own legal time stands in for it."""
        occurred: datetime = event.envelope.occurred_at
        if source == "occurred_at":
            return occurred
        state = self.state
        assert state is not None
        if hasattr(event, source):
            value = getattr(event, source)
        elif hasattr(state, source):
            value = getattr(state, source)
        else:
            value = getattr(state.return_, source, None)
        return value if isinstance(value, datetime) else occurred
