"""Property: whatever a year's pledges, deductions and deliveries, the balances rebuilt from zero
equal the live ones (kept one command at a time), on SQLite and PostgreSQL.

The database is the test's (function-scoped); each example records a cycle of its own year, so
examples never touch each other's aggregates, and compares right after its own rebuild."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.errors import LedgerError
from ledger.solidarity import commands as s
from pact_ledger.wiring import Container
from tests.support.solidarity import EUR, cycle_through, meta, offset, on, relocate

YEARS = itertools.count(2100)  # one cycle per example
NOW = datetime(3000, 1, 1, tzinfo=UTC)  # every year's steps lie in the past
STATES = ["AT", "DE", "FR", "IT", "NL", "PL"]
state = st.sampled_from(STATES)
day = st.integers(0, 364)
cents = st.integers(1, 50_000_000).map(lambda euros: euros * EUR)
pledges = st.lists(st.one_of(
    st.tuples(st.just("RELOCATION"), state, st.integers(1, 5_000)),
    st.tuples(st.just("FINANCIAL"), state, cents),
    st.tuples(st.just("ALTERNATIVE"), state, cents),
), max_size=8)
#: Pledged in every example, so that most payments and deliveries are allowed.
BASE = [("FINANCIAL", "DE", 10_000_000 * EUR), ("FINANCIAL", "NL", 5_000_000 * EUR),
        ("ALTERNATIVE", "AT", 3_000_000 * EUR), ("ALTERNATIVE", "DE", 1_000_000 * EUR)]
steps = st.lists(st.one_of(
    st.tuples(st.just("pay"), st.sampled_from(["DE", "NL", "FR"]), cents, day),
    st.tuples(st.just("alternative"), st.sampled_from(["AT", "DE", "PL"]), cents, day),
    st.tuples(st.just("relocate"), state, st.integers(0, 5), day),
    st.tuples(st.just("offset"), state, st.integers(0, 5), day),
    st.tuples(st.just("deduct"), state, st.sampled_from([Decimal("25"), Decimal("100")]), day),
    st.tuples(st.just("benefit"), state, day),
), max_size=12)


def snapshot(container: Container, year: int) -> tuple[Any, ...]:
    reads = container.reads.solidarity
    rows = container.db.fetchall("SELECT * FROM solidarity_events WHERE year = ? ORDER BY seq",
                                 (year,))
    dates = [None, on(f"{year - 1}-12-01"), on(f"{year}-07-01")]
    return [dict(r) for r in rows], [reads.balances(year, d) for d in dates]


def record(container: Container, year: int, pledged: list[tuple[Any, ...]],
           later: list[tuple[Any, ...]]) -> None:
    ledger, handle = container.ledger, container.commands.handle
    cycle_through(ledger, "FORUM", year=year)
    container.runner.catch_up()
    for kind, ms, units in BASE + pledged:
        persons, amount = (units, 0) if kind == "RELOCATION" else (0, units)
        handle(s.MakePledge(year, ms, kind, persons, amount,
                            "Staff" if kind == "ALTERNATIVE" else None), meta(f"{year - 1}-11-30"))
    cycle_through(ledger, "POOL", year=year, after="FORUM")
    container.runner.catch_up()
    for op, ms, value, *rest in sorted(later, key=lambda op: op[-1]):
        when = on(f"{year}-01-01") + timedelta(days=rest[-1] if rest else value)
        try:
            if op == "pay":
                handle(s.RecordFinancialContribution(year, ms, value, "ref"), meta(when))
            elif op == "alternative":
                handle(s.RecordAlternativeMeasure(year, ms, "Staff", value), meta(when))
            elif op == "deduct":
                handle(s.RequestDeduction(year, ms, "MIGRATORY_PRESSURE", value, "r"), meta(when))
                handle(s.GrantDeduction(year, ms, value, "d"), meta(when))
            elif op == "benefit":
                handle(s.NotifyBenefitingStatus(year, ms, "NEED_NOTIFIED"), meta(when))
            else:
                credit = relocate if op == "relocate" else offset
                credit(ledger, ms, f"{year}-case-{value}", when.date().isoformat())
                container.runner.catch_up()
        except LedgerError:
            pass  # a refusal records nothing; the property holds all the same


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(pledged=pledges, later=steps)
def test_balances_rebuilt_from_zero_equal_the_live_ones(
        container: Container, pledged: list[tuple[Any, ...]], later: list[tuple[Any, ...]]) -> None:
    container.ledger.clock = lambda: NOW
    year = next(YEARS)
    record(container, year, pledged, later)
    live = snapshot(container, year)
    assert len(live[0]) >= 63  # the cycle's steps, 27 accounts with their shares, 4 pledges
    container.runner.rebuild()
    assert snapshot(container, year) == live
    for balances in live[1]:
        for n, total in enumerate(balances.totals):
            assert total.outstanding == sum(a.lines[n].outstanding for a in balances.accounts)
            assert total.delivered == sum(a.lines[n].delivered for a in balances.accounts)
