"""Regulation (EEC, Euratom) No 1182/71, one test per rule, with real dates in real member-state
calendars: the event day not counted (Art 3(1)), the end of the last day (Art 3(2)(b)),
same weekday or date and month ends (Art 3(2)(c)), non-working days inside the period
(Art 3(3)), the last day moved to the next working day (Art 3(4), not for hours), working days
without holidays (Art 2(2)), at least two working days (Art 3(5), a parameter), the member
state's own day and holidays (Art 2(1)), and daylight saving. Then the same through the engine
(an act at 17:00 on the last day is in time) and the calendar version."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from ledger.crisis.regime import period_limit
from ledger.deadlines.calendars import (
    CALENDAR_VERSION,
    HOLIDAYS_VERSION,
    TIME_ZONES,
    calendar_of,
    check_installed_calendar,
)
from ledger.deadlines.deadline import DeadlineStatus
from ledger.deadlines.durations import days, hours, months, weeks, working_days, years
from ledger.deadlines.periods import PeriodRules, period_end
from ledger.vocabulary import MEMBER_STATES
from tests.support.case_events import opened

ROME, BERLIN, ATHENS = ZoneInfo("Europe/Rome"), ZoneInfo("Europe/Berlin"), ZoneInfo("Europe/Athens")


def local(y: int, m: int, d: int, hh: int = 10, mm: int = 0, zone: ZoneInfo = ROME) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=zone)


def end(y: int, m: int, d: int, zone: ZoneInfo = ROME) -> datetime:
    return datetime.combine(date(y, m, d), time.max, tzinfo=zone)


# --- Art 3(1) and 3(2)(b): from the day after the event to the end of the last day --------------
def test_the_event_day_is_not_counted_and_the_period_ends_at_the_end_of_its_last_day() -> None:
    period = period_end(days(3), local(2026, 3, 9, 16, 45), "IT")  # Monday, late afternoon
    assert period.counting.event_day == date(2026, 3, 9)
    assert period.counting.first_day == date(2026, 3, 10)
    assert period.due_at == end(2026, 3, 12)  # Thursday, 23:59:59.999999 in Rome
    assert "Art 3(1)" in period.counting.articles


def test_the_day_is_the_member_states_day_not_utc() -> None:
    """00:30 on Thursday 5 March in Rome is still Wednesday in UTC: Rome's day counts."""
    period = period_end(days(5), local(2026, 3, 5, 0, 30), "IT")
    assert period.counting.event_day == date(2026, 3, 5)
    assert period.due_at == end(2026, 3, 10)


# --- Art 3(2)(c): weeks and months end on the same weekday or date; month ends -----------------
@pytest.mark.parametrize(("start", "duration", "last_by_count", "due"), [
    (date(2026, 1, 14), weeks(2), date(2026, 1, 28), date(2026, 1, 28)),  # Wednesday: Wednesday
    (date(2028, 1, 31), months(1), date(2028, 2, 29), date(2028, 2, 29)),  # leap year
    (date(2027, 1, 31), months(1), date(2027, 2, 28), date(2027, 3, 1)),  # Sunday 28: Monday
    (date(2026, 8, 31), months(6), date(2027, 2, 28), date(2027, 3, 1)),  # over the year's end
    (date(2026, 3, 31), months(1), date(2026, 4, 30), date(2026, 4, 30)),
    (date(2026, 5, 12), years(1), date(2027, 5, 12), date(2027, 5, 12)),
])
def test_weeks_months_and_years_end_on_the_same_weekday_or_date(
        start: date, duration: object, last_by_count: date, due: date) -> None:
    period = period_end(duration, local(start.year, start.month, start.day), "IT")  # type: ignore[arg-type]
    assert period.counting.nominal_last_day == last_by_count
    assert period.due_at == end(due.year, due.month, due.day)


# --- Art 3(3): Saturdays, Sundays and holidays inside a period count ---------------------------
def test_non_working_days_inside_the_period_are_counted() -> None:
    """Ten days from Wednesday 1 April 2026 run over Easter (5-6 April) and end on Saturday 11
    April, moved to Monday 13 April: Easter is counted, not skipped."""
    period = period_end(days(10), local(2026, 4, 1), "IT")
    assert period.counting.nominal_last_day == date(2026, 4, 11)
    assert period.due_at == end(2026, 4, 13)
    assert [s.day for s in period.counting.skipped] == [date(2026, 4, 11), date(2026, 4, 12)]


# --- Art 3(4): a last day on a Saturday, Sunday or public holiday moves -----------------------
def test_a_period_ending_on_a_saturday_ends_on_the_next_working_day() -> None:
    period = period_end(days(5), local(2026, 1, 12), "IT")  # Monday + 5 = Saturday 17 January
    assert period.due_at == end(2026, 1, 19)
    assert [(s.day, s.reason, s.why) for s in period.counting.skipped] == [
        (date(2026, 1, 17), "Saturday", "Art 3(4)"), (date(2026, 1, 18), "Sunday", "Art 3(4)")]
    assert "Art 3(4)" in period.counting.articles


def test_a_period_ending_on_easter_monday_ends_on_tuesday() -> None:
    period = period_end(days(5), local(2026, 4, 1), "IT")  # Wednesday + 5 = Easter Monday
    assert period.due_at == end(2026, 4, 7)
    assert [(s.day, s.reason) for s in period.counting.skipped] == [
        (date(2026, 4, 6), "Easter Monday")]


def test_each_member_state_has_its_own_holidays() -> None:
    """Art 2(1): Orthodox Easter Monday 2026 is 13 April in Greece, an ordinary Monday in Italy."""
    assert period_end(days(5), local(2026, 4, 8), "IT").due_at == end(2026, 4, 13)
    greek = period_end(days(5), local(2026, 4, 8, zone=ATHENS), "EL")
    assert greek.due_at == end(2026, 4, 14, ATHENS)
    assert greek.counting.time_zone == "Europe/Athens"


def test_periods_in_hours_are_exact_and_not_moved() -> None:
    start = datetime(2026, 1, 14, 9, tzinfo=UTC)  # 72 hours end on Saturday 17 January, 09:00
    period = period_end(hours(72), start, "IT")
    assert period.due_at == start + timedelta(hours=72)
    assert period.counting.method == "EXACT_HOURS" and period.counting.skipped == ()


# --- Art 2(2): working days exclude Saturdays, Sundays and public holidays --------------------
def test_working_days_skip_weekends_and_public_holidays() -> None:
    """Ten working days from Monday 30 March 2026 in Italy: Easter Monday 6 April is no working
    day, so they end on Tuesday 14 April (Monday 13 without the holiday)."""
    period = period_end(working_days(10), local(2026, 3, 30), "IT")
    assert period.due_at == end(2026, 4, 14)
    assert (date(2026, 4, 6), "Easter Monday", "counting working days") in [
        (s.day, s.reason, s.why) for s in period.counting.skipped]


# --- Art 3(5): at least two working days (unconfirmed: a parameter) ----------------------------
def test_a_period_of_two_days_or_more_contains_two_working_days() -> None:
    """Three days from Maundy Thursday 2 April 2026 in Germany: Good Friday, the weekend and
    Easter Monday leave Tuesday 7 April the only working day, so the period runs to Wednesday 8
    April -- unless Art 3(5), unconfirmed in our sources, is switched off."""
    with_rule = period_end(days(3), local(2026, 4, 2, zone=BERLIN), "DE")
    assert with_rule.due_at == end(2026, 4, 8, BERLIN)
    assert "Art 3(5) (unconfirmed)" in with_rule.counting.articles
    without = period_end(days(3), local(2026, 4, 2, zone=BERLIN), "DE",
                         rules=PeriodRules(minimum_working_days=False))
    assert without.due_at == end(2026, 4, 7, BERLIN)


# --- daylight saving: no hour lost or gained ---------------------------------------------------
@pytest.mark.parametrize(("start", "due_day"), [
    (local(2026, 3, 27), date(2026, 4, 3)),  # summer time begins on Sunday 29 March
    (local(2026, 10, 23), date(2026, 10, 30)),  # and ends on Sunday 25 October
])
def test_a_daylight_saving_change_inside_the_period_shifts_nothing(start: datetime,
                                                                   due_day: date) -> None:
    period = period_end(weeks(1), start, "IT")
    assert period.due_at.astimezone(ROME).time() == time.max
    assert period.due_at.astimezone(ROME).date() == due_day
    assert period.due_at.utcoffset() != start.utcoffset()  # the clock changed in between


# --- Arts 4-5: the end of a period of application is not moved (crisis periods) -----------------
def test_three_months_of_crisis_are_calendar_months_not_92_days() -> None:
    """Crisis Regulation Art 5(1): from 30 November 2026 a three-month period ends with 28
    February 2027 (a Sunday, not moved: Arts 4-5 leave out Art 3(4)); 92 days would reach 2
    March."""
    starts = local(2026, 11, 30, 0, 0)
    assert period_limit("IT", starts) == end(2027, 2, 28)
    assert period_end(months(3), starts, "IT", roll_forward=False).counting.skipped == ()


# --- the calendar: a zone per member state, a pinned holiday source ------------------------------
def test_every_member_state_has_a_time_zone_and_holidays() -> None:
    assert set(TIME_ZONES) == set(MEMBER_STATES)
    for member_state in MEMBER_STATES:
        calendar = calendar_of(member_state)
        assert calendar.zone.key == TIME_ZONES[member_state]
        assert calendar.holiday(date(2026, 12, 25)) is not None  # Christmas, everywhere
    with pytest.raises(KeyError):
        calendar_of("CH")


def test_the_holiday_source_is_the_pinned_version() -> None:
    check_installed_calendar()
    assert holidays.__version__ == HOLIDAYS_VERSION
    assert CALENDAR_VERSION.endswith(HOLIDAYS_VERSION)
    assert period_end(days(1), local(2026, 1, 5), "IT").counting.calendar_version == \
        CALENDAR_VERSION


# --- through the engine ------------------------------------------------------------------------
def test_a_step_at_17_00_on_the_last_day_is_in_time() -> None:
    """APR Art 27(1): made on Wednesday 14 January 2026 at 10:00, registered on Monday 19 January
    (day 5) at 17:00 in Rome: in time (an exact-instant count would read it as 7 hours late)."""
    made = local(2026, 1, 14, 10)
    s = opened(made)
    s.add("ApplicationMade", made)
    s.add("ApplicationRegistered", local(2026, 1, 19, 17))
    [registration] = [d for d in s.track().deadlines if d.code == "REGISTRATION"]
    assert registration.due_at == end(2026, 1, 19)
    assert registration.status(local(2026, 2, 1)) is DeadlineStatus.MET
    assert registration.counting is not None
    assert registration.counting.calendar_version == CALENDAR_VERSION
    assert "ends at the end of 2026-01-19" in registration.counting.explanation()
