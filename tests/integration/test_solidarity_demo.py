"""The solidarity demo on SQLite and PostgreSQL: a 2026-shaped cycle with all 27 member states,
recorded without refusals, repeatable, and balanced."""

from __future__ import annotations

from datetime import UTC, datetime

from pact_ledger.demo_solidarity import seed_solidarity_demo
from pact_ledger.wiring import Container
from tests.support.solidarity import on

NOW = datetime(2026, 11, 22, tzinfo=UTC)


def test_the_demo_records_the_2026_cycle_once(container: Container) -> None:
    container.ledger.clock = lambda: NOW
    first = seed_solidarity_demo(container, now=NOW)
    assert first.refused == () and first.events > 150
    again = seed_solidarity_demo(container, now=NOW)
    assert (again.events, again.replayed) == (0, first.commands)

    cycle = container.reads.solidarity.cycle(2026)
    assert cycle is not None and cycle.stage == "POOL_ESTABLISHED"
    assert (cycle.pool["relocations"], cycle.pool["financial_cents"],
            cycle.pool["cents_per_relocation"]) == (21_000, 420_000_000_00, 20_000_00)
    decision = cycle.step("MigratoryPressureDecisionAdopted")
    assert decision["under_pressure"] == ["CY", "EL", "ES", "IT"]
    assert decision["significant_situation"] == ["AT", "BG", "CZ", "EE", "HR", "PL"]
    assert "APPROXIMATION" in cycle.step("FairShareInputsRecorded")["source"]

    balances = container.reads.solidarity.balances(2026)
    assert len(balances.accounts) == 27 and sum(a.fair_share for a in balances.accounts) == 1
    owe_nothing = {a.member_state for a in balances.accounts
                   if all(line.obligation == 0 for line in a.lines)}
    assert owe_nothing == {"CY", "EL", "ES", "IT", "BG", "CZ", "EE", "HR", "PL"}
    for n, total in enumerate(balances.totals):
        assert total.delivered == sum(a.lines[n].delivered for a in balances.accounts)
        assert total.outstanding == sum(a.lines[n].outstanding for a in balances.accounts)
    financial = balances.totals[1]
    assert 0 < financial.delivered < financial.obligation  # paid through the year, not all yet
    assert balances.totals[0].delivered == 0  # relocations are credited by cases only
    spring = container.reads.solidarity.balances(2026, on("2026-04-30"))
    assert 0 < spring.totals[1].delivered < financial.delivered


def test_steps_after_now_are_left_out(container: Container) -> None:
    container.ledger.clock = lambda: NOW
    early = seed_solidarity_demo(container, now=datetime(2025, 11, 20, tzinfo=UTC))
    assert early.commands == 4 and early.refused == ()  # report, decision, inputs, proposal
    assert container.reads.solidarity.cycle(2026).stage == "POOL_PROPOSED"
    later = seed_solidarity_demo(container, now=NOW)
    assert later.replayed == 4 and later.refused == ()
