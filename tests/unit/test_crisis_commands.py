"""Crisis periods as commands (Crisis Regulation (EU) 2024/1359), on the in-memory store: each
refusal names its rule and article; the lookup every command gets sees the derogations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ledger.application import Ledger
from ledger.crisis.commands import DeclareCrisis, EndCrisis, ExtendCrisis
from ledger.crisis.handlers import crisis_lookup
from ledger.crisis.regime import (
    CRISIS_EXTENDED_ONCE,
    CRISIS_NOT_RUNNING,
    CRISIS_OVERLAPS,
    CRISIS_PERIOD_INVALID,
    CrisisRegime,
)
from ledger.errors import InvalidInput, RuleViolation
from ledger.rules import Rule
from tests.support.acting import handle
from tests.support.steps import T0, at

DAY = timedelta(days=1)


@pytest.fixture
def ledger() -> Iterator[Ledger]:
    app = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    yield app
    app.close()


def declare(ms: str = "IT", start: float = 0, days: float = 90,
            derogations: tuple[str, ...] = ("REGISTRATION",)) -> DeclareCrisis:
    return DeclareCrisis(ms, "MASS_ARRIVALS", T0 + start * DAY, T0 + (start + days) * DAY,
                         derogations, "Council ID 2026/1")


def refused(ledger: Ledger, command: object, day: float, rule: Rule) -> None:
    before = ledger.recorder.max_notification_id()
    with pytest.raises(RuleViolation) as caught:
        handle(ledger, command, at(day))
    assert caught.value.rule == rule and "2024/1359" in rule.article
    assert ledger.recorder.max_notification_id() == before


def test_declared_period_authorises_its_derogations_in_its_member_state(ledger: Ledger) -> None:
    outcome = handle(ledger, declare(start=1, derogations=("REGISTRATION", "AMMR_TIME_LIMITS")),
                            at(0))
    assert outcome.aggregate_id == CrisisRegime.create_id("IT")
    assert outcome.event_types == ("CrisisRegimeOpened", "CrisisDeclared")
    lookup = crisis_lookup(ledger)
    assert lookup("IT", T0) == frozenset()  # before the period starts
    assert lookup("IT", T0 + 2 * DAY) == {"REGISTRATION", "AMMR_TIME_LIMITS"}
    assert lookup("IT", T0 + 91 * DAY) == frozenset()  # after `until`
    assert lookup("EL", T0 + 2 * DAY) == frozenset()  # another member state


def test_extension_and_end(ledger: Ledger) -> None:
    handle(ledger, declare(days=60), at(0))
    handle(ledger, ExtendCrisis("IT", T0 + 120 * DAY, "Council ID 2026/2"), at(50))
    assert crisis_lookup(ledger)("IT", T0 + 100 * DAY) == {"REGISTRATION"}
    refused(ledger, ExtendCrisis("IT", T0 + 150 * DAY, "Council ID 2026/3"), 51,
            CRISIS_EXTENDED_ONCE)
    handle(ledger, EndCrisis("IT"), at(80))
    lookup = crisis_lookup(ledger)
    assert lookup("IT", T0 + 79 * DAY) == {"REGISTRATION"}
    assert lookup("IT", T0 + 81 * DAY) == frozenset()
    refused(ledger, EndCrisis("IT"), 81, CRISIS_NOT_RUNNING)
    handle(ledger, declare(start=100), at(100))  # a new decision, a new period


def test_refusals(ledger: Ledger) -> None:
    refused(ledger, EndCrisis("IT"), 0, CRISIS_NOT_RUNNING)
    refused(ledger, ExtendCrisis("IT", T0 + DAY, "x"), 0, CRISIS_NOT_RUNNING)
    refused(ledger, declare(days=120), 0, CRISIS_PERIOD_INVALID)
    refused(ledger, declare(days=-1), 0, CRISIS_PERIOD_INVALID)
    handle(ledger, declare(), at(0))
    refused(ledger, declare(start=30), 1, CRISIS_OVERLAPS)


def test_shape_is_checked_before_any_rule(ledger: Ledger) -> None:
    bad = DeclareCrisis("XX", "WAR", T0.replace(tzinfo=None), T0 + DAY, ("LONGER_LUNCH",), "")
    with pytest.raises(InvalidInput) as caught:
        handle(ledger, bad, at(0))
    fields = {p.field for p in caught.value.problems}
    assert {"memberState", "kind", "startsAt", "derogations[0]", "decisionRef"} <= fields
    with pytest.raises(InvalidInput):
        handle(ledger, declare(derogations=()), at(0))


def test_a_retried_command_records_nothing_twice(ledger: Ledger) -> None:
    first = handle(ledger, declare(), at(0, command_id="decl-1"))
    again = handle(ledger, declare(), at(0, command_id="decl-1"))
    assert again.replayed and again.positions == () and again.version == first.version
    handle(ledger, EndCrisis("IT"), at(5, command_id="end-1"))
    assert handle(ledger, EndCrisis("IT"), at(5, command_id="end-1")).replayed


def test_three_months_are_calendar_months_not_92_days(ledger: Ledger) -> None:
    """Art 5(1): a period from 30 November 2026 lasts at most to the end of 28 February 2027
    in the member state's calendar (Reg. 1182/71 Art 3(2)(c)): 91 days are too many."""
    rome = ZoneInfo("Europe/Rome")
    starts = datetime(2026, 11, 30, 9, tzinfo=rome)

    def until(end: datetime) -> DeclareCrisis:
        return DeclareCrisis("IT", "MASS_ARRIVALS", starts, end, ("REGISTRATION",), "CID 9")

    refused(ledger, until(datetime(2027, 3, 1, 9, tzinfo=rome)), 0, CRISIS_PERIOD_INVALID)
    handle(ledger, until(datetime(2027, 2, 28, 23, 0, tzinfo=rome)), at(0))
