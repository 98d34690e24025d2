"""Durations as the regulations write them: an amount and a unit (hours, days, working days,
weeks, months, years).

Where a period *ends* is computed by `ledger.deadlines.periods` (Regulation 1182/71, in the
member state's calendar). `Duration.after` is exact-instant arithmetic: what periods in hours
use, and what the other units fall back to only where 1182/71 is switched off
(`PeriodRules.applies`); its working days are Monday to Friday without holidays.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum


class Unit(str, Enum):
    HOURS = "HOURS"
    DAYS = "DAYS"
    WORKING_DAYS = "WORKING_DAYS"
    WEEKS = "WEEKS"
    MONTHS = "MONTHS"
    YEARS = "YEARS"


def is_working_day(moment: datetime) -> bool:
    return moment.weekday() < 5


def add_months(start: datetime, months: int) -> datetime:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class Duration:
    amount: int
    unit: Unit

    def after(self, start: datetime) -> datetime:
        """The moment this duration after `start` ends."""
        match self.unit:
            case Unit.HOURS:
                return start + timedelta(hours=self.amount)
            case Unit.DAYS:
                return start + timedelta(days=self.amount)
            case Unit.WEEKS:
                return start + timedelta(weeks=self.amount)
            case Unit.MONTHS:
                return add_months(start, self.amount)
            case Unit.YEARS:
                return add_months(start, 12 * self.amount)
            case Unit.WORKING_DAYS:
                moment, left = start, self.amount
                while left > 0:
                    moment += timedelta(days=1)
                    if is_working_day(moment):
                        left -= 1
                return moment
        raise ValueError(self.unit)  # pragma: no cover

    def __str__(self) -> str:
        unit = self.unit.value.lower().replace("_", " ")
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"


def hours(n: int) -> Duration:
    return Duration(n, Unit.HOURS)


def days(n: int) -> Duration:
    return Duration(n, Unit.DAYS)


def working_days(n: int) -> Duration:
    return Duration(n, Unit.WORKING_DAYS)


def weeks(n: int) -> Duration:
    return Duration(n, Unit.WEEKS)


def months(n: int) -> Duration:
    return Duration(n, Unit.MONTHS)


def years(n: int) -> Duration:
    return Duration(n, Unit.YEARS)
