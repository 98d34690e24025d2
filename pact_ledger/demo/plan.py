"""`CasePlan`: one synthetic case being planned, step by step, in legal time.

Each phase module (`screening`, `access`, `dublin`, ...) appends steps to the plan through
`step` (some days after the last step, in office hours unless the step happens at the border)
or `at` (at a moment it computed, e.g. just after a reply period ran out). Steps are planned in
the order the ledger must see them; times never go backwards. A few steps are entered in the
ledger late (`lag`): the script records them later than they happened.

The plan also keeps the facts later phases decide on (security flag, Eurodac, procedure, ...),
and answers deadlines as the ledger will: `due` picks the crisis version of a deadline while
the member state's crisis authorises its derogation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from ledger.case.aggregate import Case
from ledger.case.commands import Person
from ledger.case.eurodac.steps import age_on
from ledger.deadlines.catalogue import derogations_for, version_for
from ledger.envelope import Actor
from pact_ledger.demo.crisis import CrisisPeriod, due

#: Share of steps entered in the ledger more than a day after they happened, and how late.
LATE_ENTRY_SHARE = 0.02
LATE_ENTRY_DAYS = (1.2, 12.0)


def office_hours(t: datetime) -> datetime:
    """`t`, or the next working-day time from 08:00 UTC when `t` is outside office hours."""
    if t.hour >= 18:
        t += timedelta(days=1)
    if not 8 <= t.hour < 18:
        t = t.replace(hour=8 + t.hour % 8)
    while t.weekday() >= 5:
        t += timedelta(days=1)
    return t


@dataclass(frozen=True)
class Planned:
    t: datetime  # legal time (occurredAt)
    command: Any
    actor: Actor
    lag: timedelta  # how long after `t` it is entered in the ledger


@dataclass
class CasePlan:
    rng: random.Random
    ms: str
    ref: str
    person: Person
    t: datetime  # legal time of the last step planned
    staff: dict[str, Actor]
    crisis: CrisisPeriod | None
    trigger: str | None = None  # screening trigger; None: applied inland without screening
    steps: list[Planned] = field(default_factory=list)
    # Facts decided along the way and read by later phases.
    security: bool = False
    relocation: bool = False  # a relocation candidate
    made_at: datetime | None = None
    clock_from: datetime | None = None  # when the registration clock started
    registered_at: datetime | None = None
    lodged_at: datetime | None = None
    captured: bool = False
    transmitted_at: datetime | None = None
    hit: tuple[str, str, str] | None = None  # (Eurodac category, origin member state, ref)
    procedure: str | None = None  # the procedure planned, then the one in force
    grounds: tuple[str, ...] = ()
    return_decision: bool = False  # a return decision stands (not an exception)
    right_ended: bool = False  # the right to remain ended (by its own step or finality)
    final: bool = False  # the standing decision was declared final
    remitted: bool = False
    subsequent: bool = False
    other: str | None = None  # the member state a request or notification went to (AMMR)
    arrived_from: str | None = None  # transferred here under the AMMR (APR Art 51(2))

    def __post_init__(self) -> None:
        self.id: UUID = Case.create_id(self.ms, self.ref)

    @property
    def nationality(self) -> str:
        return self.person.nationality

    @property
    def minor(self) -> bool:
        """An unaccompanied minor."""
        return self.person.unaccompanied_minor

    def age(self, on: datetime | None = None) -> int | None:
        born: date | None = self.person.date_of_birth
        return None if born is None else age_on(born, (on or self.t).date())

    @property
    def child(self) -> bool:
        """A child travelling with family (not an unaccompanied minor)."""
        age = self.age()
        return age is not None and age < 14 and not self.minor

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def days(self, low: float, high: float) -> timedelta:
        return timedelta(days=self.rng.uniform(low, high))

    def derogations(self, moment: datetime) -> frozenset[str]:
        return (frozenset() if self.crisis is None
                else self.crisis.derogations_at(self.ms, moment))

    def due(self, code: str, start: datetime) -> datetime:
        """When deadline `code` started at `start` runs out for this case (crisis-aware, as the
        ledger reckons it: for AMMR limits between two states, a crisis in either counts)."""
        crisis = self.crisis

        def derogations_at(member_state: str, moment: datetime) -> frozenset[str]:
            return frozenset() if crisis is None else crisis.derogations_at(member_state, moment)

        rule = version_for(code, frozenset())
        return due(code, derogations_for(rule, derogations_at, self.ms, self.other, start), start,
                   self.ms, self.other)

    def step(self, days: float, command: Any, role: str, office: bool = True) -> datetime:
        """Plan `command` `days` after the last step; returns its time."""
        t = self.t + timedelta(days=days)
        return self.at(office_hours(t) if office else t, command, role)

    def at(self, t: datetime, command: Any, role: str) -> datetime:
        """Plan `command` at `t` (or at the last step's time, if `t` is earlier)."""
        t = max(t, self.t)
        lag = timedelta(0)
        if self.chance(LATE_ENTRY_SHARE):
            lag = timedelta(days=self.rng.uniform(*LATE_ENTRY_DAYS))
        self.t = t
        self.steps.append(Planned(t, command, self.staff[role], lag))
        return t

    def wait_until(self, t: datetime) -> None:
        self.t = max(self.t, t)
