"""Balances of the solidarity ledger on SQLite and PostgreSQL: per member state and for the
Union, as of any date, each figure traceable to the events that make it up."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from ledger.solidarity.balance import Line
from pact_ledger.wiring import Container
from projections.encoding import time_text
from projections.solidarity_queries import AccountBalance, Balances
from tests.support.cases import NOW
from tests.support.solidarity import EUR, YEAR, on, small_year

FIGURES = ("pledged", "obligation", "delivered", "outstanding")
DATES = [None, on("2025-11-30"), on("2026-01-01"), on("2026-02-15"), on("2026-06-30"),
         on("2026-12-31", hour=23)]


@pytest.fixture
def year(container: Container) -> Iterator[Container]:
    container.ledger.clock = lambda: NOW
    small_year(container.ledger)
    container.runner.catch_up()
    yield container


def account(balances: Balances, ms: str) -> AccountBalance:
    return next(a for a in balances.accounts if a.member_state == ms)


def figures(lines: list[Line]) -> dict[str, tuple[int, ...]]:
    return {line.kind: tuple(getattr(line, f) for f in FIGURES) for line in lines}


def test_each_account_balances_pledges_against_deliveries(year: Container) -> None:
    balances = year.reads.solidarity.balances(YEAR)
    assert len(balances.accounts) == 27  # every member state has its fair share
    assert figures(account(balances, "DE").lines) == {
        "RELOCATION": (3_000, 3_000, 2, 2_998),
        "FINANCIAL": (20_000_000 * EUR, 20_000_000 * EUR, 5_000_000 * EUR, 15_000_000 * EUR),
        "ALTERNATIVE": (0, 0, 0, 0)}
    assert figures(account(balances, "NL").lines)["FINANCIAL"] == (
        10_000_000 * EUR, 10_000_000 * EUR, 7_000_000 * EUR, 3_000_000 * EUR)
    assert figures(account(balances, "AT").lines)["ALTERNATIVE"] == (
        5_000_000 * EUR, 5_000_000 * EUR, 2_000_000 * EUR, 3_000_000 * EUR)
    assert figures(account(balances, "FR").lines)["RELOCATION"] == (2_000, 2_000, 1, 1_999)
    assert balances.cents_per_relocation == 20_000 * EUR
    assert sum(a.fair_share or 0 for a in balances.accounts) == 1


def test_benefiting_and_fully_deducted_member_states_owe_nothing(year: Container) -> None:
    balances = year.reads.solidarity.balances(YEAR)
    italy, poland = account(balances, "IT"), account(balances, "PL")
    assert italy.benefiting and poland.deduction_percent == 100
    assert figures(poland.lines)["RELOCATION"] == (500, 0, 0, 0)
    assert all(line.obligation == 0 for line in italy.lines + poland.lines)


def test_balances_as_of_a_date_count_what_had_legally_occurred(year: Container) -> None:
    reads = year.reads.solidarity
    before_act = reads.balances(YEAR, on("2025-11-30"))
    assert before_act.cents_per_relocation is None and before_act.cycle is not None
    assert before_act.cycle.stage == "FORUM_CONVENED"
    assert figures(account(before_act, "DE").lines)["RELOCATION"] == (3_000, 3_000, 0, 3_000)
    new_year = reads.balances(YEAR, on("2026-01-01"))
    assert figures(account(new_year, "PL").lines)["RELOCATION"] == (500, 500, 0, 500)
    mid_february = reads.balances(YEAR, on("2026-02-15"))
    assert figures(account(mid_february, "PL").lines)["RELOCATION"] == (500, 0, 0, 0)
    assert figures(account(mid_february, "DE").lines)["RELOCATION"][2] == 1
    assert figures(account(mid_february, "NL").lines)["FINANCIAL"][2] == 0
    summer = reads.balances(YEAR, on("2026-06-30"))
    assert figures(account(summer, "NL").lines)["FINANCIAL"][2] == 4_000_000 * EUR
    assert figures(account(summer, "DE").lines)["RELOCATION"][2] == 2
    assert reads.balances(YEAR, on("2024-01-01")).accounts == []


@pytest.mark.parametrize("as_of", DATES)
def test_the_accounts_add_up_to_the_union_totals(year: Container, as_of: datetime | None) -> None:
    balances = year.reads.solidarity.balances(YEAR, as_of)
    for n, total in enumerate(balances.totals):
        for f in FIGURES:
            assert getattr(total, f) == sum(getattr(a.lines[n], f) for a in balances.accounts)


@pytest.mark.parametrize("as_of", DATES)
def test_every_line_is_the_sum_of_its_entries(year: Container, as_of: datetime | None) -> None:
    reads = year.reads.solidarity
    for balance in reads.balances(YEAR, as_of).accounts:
        for line in balance.lines:
            rows = reads.entries(YEAR, balance.member_state, line.kind, as_of)
            unit = "persons" if line.kind == "RELOCATION" else "cents"
            assert line.pledged == sum(r[unit] for r in rows if r["effect"] == "PLEDGED")
            assert line.delivered == sum(r[unit] for r in rows if r["effect"] == "DELIVERED")
            assert all(as_of is None or r["occurred_at"] <= time_text(as_of) for r in rows)


def test_entries_name_the_events_and_the_cases_behind_a_line(year: Container) -> None:
    rows = year.reads.solidarity.entries(YEAR, "DE", "RELOCATION")
    assert [r["event_type"] for r in rows] == ["PledgeMade", "RelocationCredited",
                                               "RelocationCredited"]
    assert rows[1]["linked_case_id"] is not None and rows[1]["occurred_at"] < rows[2]["occurred_at"]
    poland = year.reads.solidarity.entries(YEAR, "PL", "FINANCIAL")
    assert [r["event_type"] for r in poland] == ["DeductionGranted"]  # changes every line


def test_offset_triggers_compare_relocation_pledges_with_the_proposal(year: Container) -> None:
    offsets = year.reads.solidarity.balances(YEAR).offsets
    assert (offsets.proposed_relocations, offsets.pledged_relocations) == (30_000, 5_500)
    assert not offsets.requestable and not offsets.mandatory  # no second Forum yet
    de = account(year.reads.solidarity.balances(YEAR), "DE")
    assert de.may_offer_offsets  # 3,000 >= 50% of 0.0951 x 21,000 (Art 63(2)(b))
    assert not account(year.reads.solidarity.balances(YEAR), "NL").may_offer_offsets


def test_the_cycle_as_of_a_date(year: Container) -> None:
    reads = year.reads.solidarity
    assert reads.cycle(YEAR, on("2025-11-11", hour=11)).stage == "SITUATION_DECIDED"
    proposed = reads.cycle(YEAR, on("2025-11-20"))
    assert proposed.stage == "POOL_PROPOSED" and proposed.pool is None
    now = reads.cycle(YEAR)
    assert now.stage == "POOL_ESTABLISHED" and now.forums == {1: time_text(on("2025-11-26"))}
    assert now.pool["pledges"]["DE"] == {"RELOCATION": 3_000, "FINANCIAL": 20_000_000 * EUR}
    assert reads.cycle(YEAR + 1) is None


def test_events_are_stored_under_stable_solidarity_topics(year: Container) -> None:
    topics = {n.topic for n in year.ledger.recorder.select_notifications(1, 1000)}
    assert {"pact-ledger:solidarity.AnnualReportAdopted", "pact-ledger:solidarity.PledgeMade",
            "pact-ledger:solidarity.RelocationCredited", "pact-ledger:solidarity.OffsetCredited",
            "pact-ledger:solidarity.DeductionGranted"} <= topics
    assert all(t.startswith("pact-ledger:solidarity.") for t in topics)
