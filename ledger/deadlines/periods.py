"""Periods as Regulation (EEC, Euratom) No 1182/71 computes them, with a record of the counting.

- Art 3(1): a period in days, weeks, months or years counted from an event starts at the
  beginning of the day *after* the event (the event's day is not counted) -- the day in the
  member state's own calendar (`ledger.deadlines.calendars`);
- Art 3(2)(b)-(c): it ends at the *end* of its last day; in weeks, months or years, on the day of
  the last week, month or year with the event day's weekday or date, and on the month's last day
  where that date does not exist (31 January + 1 month = 28/29 February);
- Art 3(3): Saturdays, Sundays and public holidays inside the period count, unless the period is
  in working days (Art 2(2): working days exclude them);
- Art 3(4): a period (not in hours) whose last day is a Saturday, Sunday or public holiday ends
  at the end of the next working day;
- Art 3(5): a period of two days or more contains at least two working days (unconfirmed in our
  sources: `PeriodRules.minimum_working_days`).
- Periods in hours keep the exact instant (start + n hours): Art 3(4) does not apply to them.

The due moment is the last instant of the last day in the member state's zone (23:59:59.999999
local), so a step taken at 17:00 on the last day is in time and a daylight-saving change inside
the period shifts nothing. Arts 4-5 (dates of entry into force, of ceasing to apply) use Art 3
without 3(4) and 3(5): `roll_forward=False` (the crisis period's end).

Whether 1182/71 governs the Pact regulations (acts of Parliament and Council; Art 1 names acts
of the Council or Commission) is not confirmed in our sources: `PeriodRules.applies` switches
back to exact instants.
"""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from ledger.deadlines.calendars import MemberStateCalendar, calendar_of
from ledger.deadlines.durations import Duration, Unit

ACT = "Regulation (EEC, Euratom) No 1182/71"
EU1182 = "EU1182"
EXACT_HOURS = "EXACT_HOURS"
EXACT = "EXACT"  # exact instants for every unit: only when 1182/71 is switched off


@dataclass(frozen=True)
class PeriodRules:
    """Counting rules the sources leave unconfirmed, as parameters (pact-rules-procedures §1)."""

    #: Art 1 scope: apply 1182/71 to the Pact acts (unconfirmed: no Pact article refers to it).
    applies: bool = True
    #: Art 3(5): periods of two days or more contain at least two working days (unconfirmed).
    minimum_working_days: bool = True


DEFAULT_PERIOD_RULES = PeriodRules()


@dataclass(frozen=True)
class SkippedDay:
    day: date
    reason: str  # Saturday, Sunday or the public holiday's name
    why: str  # "counting working days" or the article that moved the end (Art 3(4), 3(5))


@dataclass(frozen=True)
class Counting:
    """How one due moment was counted: enough to redo it by hand."""

    method: str  # EU1182, EXACT_HOURS, EXACT
    member_state: str  # whose calendar
    time_zone: str
    calendar_version: str
    amount: int
    unit: str
    event_day: date | None = None  # the day of the triggering event (not counted, Art 3(1))
    first_day: date | None = None
    nominal_last_day: date | None = None  # before Art 3(4) and 3(5)
    last_day: date | None = None
    skipped: tuple[SkippedDay, ...] = ()
    extended_days: int = 0
    extended_months: int = 0
    articles: tuple[str, ...] = field(default_factory=tuple)

    def explanation(self) -> str:
        period = str(Duration(self.amount, Unit(self.unit)))
        if self.extended_months or self.extended_days:
            period += f" extended by {self.extended_months} months and {self.extended_days} days"
        if self.method != EU1182:
            return (f"{period} from the exact moment of the event ({self.method}; "
                    f"{ACT} Art 3(4) does not apply to periods in hours)")
        parts = [f"{period} counted in the calendar of {self.member_state} "
                 f"({self.time_zone}, {self.calendar_version})",
                 f"event on {self.event_day}, not counted; first day {self.first_day}",
                 f"last day by the count {self.nominal_last_day}"]
        parts += [f"{s.day} skipped ({s.reason}; {s.why})" for s in self.skipped]
        parts.append(f"ends at the end of {self.last_day} ({', '.join(self.articles)})")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        def text(d: date | None) -> str | None:
            return None if d is None else d.isoformat()
        return {
            "method": self.method, "member_state": self.member_state,
            "time_zone": self.time_zone, "calendar_version": self.calendar_version,
            "amount": self.amount, "unit": self.unit, "event_day": text(self.event_day),
            "first_day": text(self.first_day), "nominal_last_day": text(self.nominal_last_day),
            "last_day": text(self.last_day),
            "skipped": [[s.day.isoformat(), s.reason, s.why] for s in self.skipped],
            "extended_days": self.extended_days, "extended_months": self.extended_months,
            "articles": list(self.articles),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Counting:
        def day(d: str | None) -> date | None:
            return None if d is None else date.fromisoformat(d)
        return cls(
            method=data["method"], member_state=data["member_state"],
            time_zone=data["time_zone"], calendar_version=data["calendar_version"],
            amount=data["amount"], unit=data["unit"], event_day=day(data["event_day"]),
            first_day=day(data["first_day"]), nominal_last_day=day(data["nominal_last_day"]),
            last_day=day(data["last_day"]),
            skipped=tuple(SkippedDay(date.fromisoformat(d), r, w) for d, r, w in data["skipped"]),
            extended_days=data["extended_days"], extended_months=data["extended_months"],
            articles=tuple(data["articles"]),
        )


@dataclass(frozen=True)
class Period:
    due_at: datetime  # the last instant of the period
    counting: Counting


def add_months_to(day: date, months: int) -> date:
    """The same date `months` later; the month's last day where that date does not exist."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, month_calendar.monthrange(year, month)[1]))


def end_of_day(day: date, cal: MemberStateCalendar) -> datetime:
    return datetime.combine(day, time.max, tzinfo=cal.zone)


def period_end(duration: Duration, start: datetime, member_state: str, *,
               extended_days: int = 0, extended_months: int = 0, roll_forward: bool = True,
               rules: PeriodRules = DEFAULT_PERIOD_RULES) -> Period:
    """The end of `duration` counted from the event at `start`, in `member_state`'s calendar.

    `extended_*` lengthen the period itself (an extension of a time limit by 2 months makes a
    2-month limit a 4-month one, counted from the same event). `roll_forward=False` leaves out
    Art 3(4) and 3(5) (Arts 4-5: the end of a period of application)."""
    cal = calendar_of(member_state)
    if duration.unit is Unit.HOURS or not rules.applies:
        exact = duration.after(start)
        if extended_months:
            exact = datetime.combine(add_months_to(exact.date(), extended_months), exact.timetz())
        exact += timedelta(days=extended_days)
        method = EXACT_HOURS if duration.unit is Unit.HOURS else EXACT
        return Period(exact, Counting(**{**_counting_base(duration, member_state, cal,
                                                          extended_days, extended_months),
                                         "method": method, "articles": ()}))
    event_day = start.astimezone(cal.zone).date()
    return _counted(duration, event_day, member_state, extended_days, extended_months,
                    roll_forward, rules)


def _counting_base(duration: Duration, member_state: str, cal: MemberStateCalendar,
                   extended_days: int, extended_months: int) -> dict[str, Any]:
    # (one Counting made at the end, from these and what the count adds: no replace)
    return {"method": EU1182, "member_state": member_state, "time_zone": cal.time_zone,
            "calendar_version": cal.version, "amount": duration.amount,
            "unit": duration.unit.value, "extended_days": extended_days,
            "extended_months": extended_months}


@lru_cache(maxsize=8192)
def _counted(duration: Duration, event_day: date, member_state: str, extended_days: int,
             extended_months: int, roll_forward: bool, rules: PeriodRules) -> Period:
    """A period counted in days and longer depends on the event's day, not its moment (Art
    3(1)): counted once per day, duration and calendar (the values are frozen, so shared)."""
    cal = calendar_of(member_state)
    base = _counting_base(duration, member_state, cal, extended_days, extended_months)
    skipped: list[SkippedDay] = []
    articles = ["Art 3(1)"]
    match duration.unit:
        case Unit.DAYS:
            last = event_day + timedelta(days=duration.amount)
            articles.append("Art 3(2)(b)")
        case Unit.WEEKS:
            last = event_day + timedelta(weeks=duration.amount)
            articles.append("Art 3(2)(c)")
        case Unit.MONTHS | Unit.YEARS:
            n = duration.amount * (12 if duration.unit is Unit.YEARS else 1)
            last = add_months_to(event_day, n + extended_months)
            extended_months = 0
            articles.append("Art 3(2)(c)")
        case Unit.WORKING_DAYS:
            last, left = event_day, duration.amount
            while left > 0:
                last += timedelta(days=1)
                reason = cal.non_working(last)
                if reason is None:
                    left -= 1
                else:
                    skipped.append(SkippedDay(last, reason, "counting working days"))
            articles += ["Art 2(2)", "Art 3(3)"]
    last = add_months_to(last, extended_months) + timedelta(days=extended_days)
    nominal = last
    if roll_forward:
        while (reason := cal.non_working(last)) is not None:
            skipped.append(SkippedDay(last, reason, "Art 3(4)"))
            last += timedelta(days=1)
        if last != nominal:
            articles.append("Art 3(4)")
        if rules.minimum_working_days and (last - event_day).days >= 2:
            worked = _working_days_up_to(cal, event_day, last, 2)
            while worked < 2:
                last += timedelta(days=1)
                reason = cal.non_working(last)
                if reason is None:
                    worked += 1
                else:
                    skipped.append(SkippedDay(last, reason, "Art 3(5)"))
                if worked == 2:
                    articles.append("Art 3(5) (unconfirmed)")
    counting = Counting(**base, event_day=event_day, first_day=event_day + timedelta(days=1),
                        nominal_last_day=nominal, last_day=last, skipped=tuple(skipped),
                        articles=tuple(articles))
    return Period(end_of_day(last, cal), counting)


def _working_days_up_to(cal: MemberStateCalendar, event_day: date, last: date,
                        enough: int) -> int:
    """The working days after `event_day` up to `last`, counted only up to `enough` (Art 3(5)
    asks whether there are at least two: a period of months need not be walked day by day)."""
    worked, day = 0, event_day
    while worked < enough and day < last:
        day += timedelta(days=1)
        if cal.non_working(day) is None:
            worked += 1
    return worked


def due(duration: Duration, start: datetime, member_state: str,
        rules: PeriodRules = DEFAULT_PERIOD_RULES) -> datetime:
    """The last instant of `duration` from the event at `start` (the aggregate's checks)."""
    return period_end(duration, start, member_state, rules=rules).due_at
