"""Each member state's calendar: its time zone and its public holidays (Reg. 1182/71 Art 2).

A period ends at the end of a day *in the member state where the act is to be done* (Art 2(1):
"public holidays ... of the Member State ... where the action is to be taken"), so each member
state has its time zone (an explicit table, mainland zone; IANA names through `zoneinfo`) and its
public holidays. The holidays come from the `holidays` package (PyPI), pinned to one exact
version in pyproject.toml: the calendar version below names it and is recorded on every deadline,
so a new package version is a new calendar version, never a silent recomputation.
`check_installed_calendar` (called at start-up and by a test) refuses a mismatch.

National public holidays only: regional holidays (German Länder, Spanish communities) and
outermost regions' time zones (Canaries, Azores, Madeira) are not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from zoneinfo import ZoneInfo

import holidays

#: The version of the `holidays` package this calendar was checked against (pyproject pins it).
HOLIDAYS_VERSION = "0.108"
#: Version of the counting rules (ledger/deadlines/periods.py) and their holiday source together.
CALENDAR_VERSION = f"EU1182-1/holidays-{HOLIDAYS_VERSION}"

#: Member state -> IANA time zone of its capital (mainland).
TIME_ZONES: dict[str, str] = {
    "AT": "Europe/Vienna", "BE": "Europe/Brussels", "BG": "Europe/Sofia",
    "CY": "Asia/Nicosia", "CZ": "Europe/Prague", "DE": "Europe/Berlin",
    "DK": "Europe/Copenhagen", "EE": "Europe/Tallinn", "EL": "Europe/Athens",
    "ES": "Europe/Madrid", "FI": "Europe/Helsinki", "FR": "Europe/Paris",
    "HR": "Europe/Zagreb", "HU": "Europe/Budapest", "IE": "Europe/Dublin",
    "IT": "Europe/Rome", "LT": "Europe/Vilnius", "LU": "Europe/Luxembourg",
    "LV": "Europe/Riga", "MT": "Europe/Malta", "NL": "Europe/Amsterdam",
    "PL": "Europe/Warsaw", "PT": "Europe/Lisbon", "RO": "Europe/Bucharest",
    "SE": "Europe/Stockholm", "SI": "Europe/Ljubljana", "SK": "Europe/Bratislava",
}

#: The EU writes Greece EL; ISO 3166 (and the `holidays` package) GR.
_ISO_CODE = {"EL": "GR"}


class CalendarMismatch(RuntimeError):
    """The installed `holidays` package is not the version this calendar names."""


def check_installed_calendar() -> None:
    installed = getattr(holidays, "__version__", "?")
    if installed != HOLIDAYS_VERSION:
        raise CalendarMismatch(
            f"holidays {installed} is installed, the calendar is {CALENDAR_VERSION}: pin "
            f"holidays=={HOLIDAYS_VERSION} or declare a new CALENDAR_VERSION")


@cache
def _holidays(member_state: str, year: int) -> dict[date, str]:
    found = holidays.country_holidays(_ISO_CODE.get(member_state, member_state), years=year)
    return dict(found.items())


@dataclass(frozen=True)
class MemberStateCalendar:
    member_state: str
    time_zone: str
    version: str = CALENDAR_VERSION

    @cached_property
    def zone(self) -> ZoneInfo:
        # (made once per calendar, kept in the instance: every period counted asks for it)
        return ZoneInfo(self.time_zone)

    def holiday(self, day: date) -> str | None:
        return _holidays(self.member_state, day.year).get(day)

    def non_working(self, day: date) -> str | None:
        """Why `day` is not a working day (Art 2(2)): Saturday, Sunday or the holiday's name."""
        if day.weekday() == 5:
            return "Saturday"
        if day.weekday() == 6:
            return "Sunday"
        return self.holiday(day)


@cache
def calendar_of(member_state: str) -> MemberStateCalendar:
    """The calendar of a member state; a code outside the table is refused, not guessed."""
    if member_state not in TIME_ZONES:
        raise KeyError(f"no calendar for member state {member_state!r}")
    return MemberStateCalendar(member_state, TIME_ZONES[member_state])
