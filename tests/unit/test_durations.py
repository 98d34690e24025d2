"""Durations as the regulations count them: calendar units, working days, month ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ledger.deadlines.durations import days, hours, months, weeks, working_days


def at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_hours_days_and_weeks_are_exact_spans() -> None:
    start = at(2026, 3, 27, 23)
    assert hours(72).after(start) == start + timedelta(hours=72)
    assert days(5).after(start) == at(2026, 4, 1, 23)
    assert weeks(12).after(start) == at(2026, 6, 19, 23)


@pytest.mark.parametrize(("start", "n", "due"), [
    (at(2026, 1, 5), 10, at(2026, 1, 19)),  # Monday: two weeks
    (at(2026, 1, 9), 1, at(2026, 1, 12)),  # Friday + 1: the next Monday
    (at(2026, 1, 10), 1, at(2026, 1, 12)),  # Saturday + 1: Monday
    (at(2026, 1, 11), 5, at(2026, 1, 16)),  # Sunday + 5: Friday
    (at(2026, 1, 9), 0, at(2026, 1, 9)),
])
def test_working_days_count_monday_to_friday(start: datetime, n: int, due: datetime) -> None:
    assert working_days(n).after(start) == due


@pytest.mark.parametrize(("start", "n", "due"), [
    (at(2026, 1, 31), 1, at(2026, 2, 28)),  # a day the month lacks: its last day
    (at(2028, 1, 31), 1, at(2028, 2, 29)),  # leap year
    (at(2026, 8, 31), 6, at(2027, 2, 28)),  # over the year's end
    (at(2026, 3, 31), 1, at(2026, 4, 30)),
    (at(2026, 1, 15), 12, at(2027, 1, 15)),
    (at(2026, 11, 30), 3, at(2027, 2, 28)),
])
def test_months_are_calendar_months_clamped_at_month_end(start: datetime, n: int,
                                                         due: datetime) -> None:
    assert months(n).after(start) == due


def test_durations_read_as_the_law_writes_them() -> None:
    assert str(days(1)) == "1 day"
    assert str(working_days(10)) == "10 working days"
    assert str(months(6)) == "6 months"
