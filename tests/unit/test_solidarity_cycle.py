"""The annual cycle on the in-memory store: each Union-level step in its legal order, and each
step out of order refused by a rule naming its AMMR article, recording nothing."""

from __future__ import annotations

from decimal import Decimal

from ledger.application import Ledger
from ledger.solidarity import commands as s
from ledger.solidarity.account import SolidarityAccount
from ledger.solidarity.cycle import SolidarityCycle
from ledger.vocabulary import MEMBER_STATES
from tests.support.acting import handle
from tests.support.refusals import provokes, refused
from tests.support.solidarity import EUR, KEY_INPUTS, YEAR, cycle_through, meta, on


def test_the_annual_report_opens_the_cycle_of_the_year(ledger: Ledger) -> None:
    outcome = handle(ledger, s.AdoptAnnualReport(YEAR, "COM(2025) 801"), meta("2025-11-11"))
    assert outcome.aggregate_id == SolidarityCycle.create_id(YEAR)
    assert outcome.event_types == ("AnnualReportAdopted",)
    cycle = ledger.repository.get(outcome.aggregate_id)
    assert (cycle.year, cycle.stage) == (YEAR, "REPORT_ADOPTED")
    stored = ledger.recorder.select_notifications(1, 1)[0]
    assert stored.topic == "pact-ledger:solidarity.AnnualReportAdopted"
    assert b'"originator_topic":"pact-ledger:solidarity.Cycle"' in stored.state


def test_each_step_enters_its_stage_and_cites_its_article(ledger: Ledger) -> None:
    expected = {"REPORT": ("REPORT_ADOPTED", "Art 9"),
                "DECISION": ("SITUATION_DECIDED", "Art 11"),
                "INPUTS": ("SITUATION_DECIDED", "Art 66, Annex I"),
                "PROPOSAL": ("POOL_PROPOSED", "Art 12"),
                "FORUM": ("FORUM_CONVENED", "Art 13(2)"),
                "POOL": ("POOL_ESTABLISHED", "Art 57")}
    previous = None
    for stage, (name, article) in expected.items():
        cycle_through(ledger, stage, after=previous)
        previous = stage
        cycle = ledger.repository.get(SolidarityCycle.create_id(YEAR))
        event = ledger.events.get(cycle.id, gt=cycle.version - 1)
        envelope = next(iter(event)).envelope
        assert cycle.stage == name
        assert str(envelope.legal_basis[0]) == f"AMMR (EU) 2024/1351 {article}"


def test_fair_share_inputs_compute_every_account_s_share(ledger: Ledger) -> None:
    cycle_through(ledger, "DECISION")
    outcome = handle(ledger, s.RecordFairShareInputs(YEAR, "test figures", KEY_INPUTS),
                            meta("2025-11-11"))
    assert outcome.event_types[0] == "FairShareInputsRecorded"
    assert outcome.event_types.count("FairShareComputed") == 27
    assert outcome.event_types.count("AccountOpened") == 27
    accounts = [ledger.repository.get(SolidarityAccount.create_id(YEAR, ms))
                for ms in sorted(MEMBER_STATES)]
    assert sum(a.fair_share for a in accounts) == 1
    de = next(a for a in accounts if a.member_state == "DE")
    assert de.fair_share == Decimal("0.0950888192")  # 1/29 + 2/33, ten places
    computed = [e for e in ledger.events.get(de.id) if type(e).__name__ == "FairShareComputed"]
    assert computed[0].inputs_ref == f"{SolidarityCycle.create_id(YEAR)}/v3"
    assert (computed[0].population, computed[0].gdp_eur_millions) == (2_000_000, 40_000)


def test_the_proposal_gives_indicative_shares_that_add_up(ledger: Ledger) -> None:
    cycle_through(ledger, "PROPOSAL")
    proposed = next(e for e in ledger.events.get(SolidarityCycle.create_id(YEAR))
                    if type(e).__name__ == "PoolProposed")
    assert sum(proposed.indicative_relocations.values()) == 30_000
    assert sum(proposed.indicative_cents.values()) == 600_000_000 * EUR
    # DE: 30,000 x (1/29 + 2/33) = 2852.66; the others' remainders (.79) go first.
    assert proposed.indicative_relocations["DE"] == 2852
    assert proposed.indicative_relocations["AT"] == 972
    assert proposed.earmark_percent == Decimal("42")


def test_a_retried_command_records_nothing_twice(ledger: Ledger) -> None:
    cycle_through(ledger, "PROPOSAL")
    first = handle(ledger, s.ConveneForum(YEAR, 1), meta("2025-11-26", command_id="forum-1"))
    again = handle(ledger, s.ConveneForum(YEAR, 1), meta("2025-11-26", command_id="forum-1"))
    assert again.replayed and again.positions == () and again.version == first.version


@provokes("SOLIDARITY_CYCLE_NOT_OPENED", "ANNUAL_REPORT_ALREADY_ADOPTED",
          "PRESSURE_DECISION_ALREADY_ADOPTED")
def test_the_report_opens_the_cycle_once(ledger: Ledger) -> None:
    refused(ledger, s.ConveneForum(YEAR, 1), on("2025-11-26"), "SOLIDARITY_CYCLE_NOT_OPENED")
    cycle_through(ledger, "DECISION")
    refused(ledger, s.AdoptAnnualReport(YEAR, "again"), on("2025-11-12"),
            "ANNUAL_REPORT_ALREADY_ADOPTED")
    refused(ledger, s.AdoptMigratoryPressureDecision(YEAR, "again"), on("2025-11-12"),
            "PRESSURE_DECISION_ALREADY_ADOPTED")


@provokes("POOL_PROPOSAL_REQUIRES_DECISION", "POOL_PROPOSAL_REQUIRES_FAIR_SHARES",
          "POOL_PROPOSAL_BELOW_MINIMUM", "POOL_ALREADY_PROPOSED",
          "FAIR_SHARE_INPUTS_AFTER_PROPOSAL")
def test_the_proposal_follows_the_decision_and_the_key(ledger: Ledger) -> None:
    proposal = s.ProposePool(YEAR, "COM", 30_000, 600_000_000 * EUR)
    cycle_through(ledger, "REPORT")
    refused(ledger, proposal, on("2025-11-12"), "POOL_PROPOSAL_REQUIRES_DECISION")
    cycle_through(ledger, "DECISION", after="REPORT")
    refused(ledger, proposal, on("2025-11-12"), "POOL_PROPOSAL_REQUIRES_FAIR_SHARES")
    cycle_through(ledger, "INPUTS", after="DECISION")
    low = s.ProposePool(YEAR, "COM", 29_999, 600_000_000 * EUR)
    refused(ledger, low, on("2025-11-12"), "POOL_PROPOSAL_BELOW_MINIMUM")
    cheap = s.ProposePool(YEAR, "COM", 30_000, 599_999_999 * EUR)
    refused(ledger, cheap, on("2025-11-12"), "POOL_PROPOSAL_BELOW_MINIMUM")
    handle(ledger, proposal, meta("2025-11-12"))
    refused(ledger, proposal, on("2025-11-13"), "POOL_ALREADY_PROPOSED")
    refused(ledger, s.RecordFairShareInputs(YEAR, "late", KEY_INPUTS), on("2025-11-13"),
            "FAIR_SHARE_INPUTS_AFTER_PROPOSAL")


@provokes("FORUM_REQUIRES_PROPOSAL", "SECOND_FORUM_REQUIRES_FIRST", "FORUM_ALREADY_CONVENED",
          "POOL_REQUIRES_FORUM", "POOL_ALREADY_ESTABLISHED")
def test_the_forum_follows_the_proposal_and_precedes_the_pool(ledger: Ledger) -> None:
    pool = s.EstablishPool(YEAR, "act", 21_000, 420_000_000 * EUR, 20_000 * EUR)
    cycle_through(ledger, "INPUTS")
    refused(ledger, s.ConveneForum(YEAR, 1), on("2025-11-26"), "FORUM_REQUIRES_PROPOSAL")
    cycle_through(ledger, "PROPOSAL", after="INPUTS")
    refused(ledger, s.ConveneForum(YEAR, 2), on("2025-11-26"), "SECOND_FORUM_REQUIRES_FIRST")
    refused(ledger, pool, on("2025-12-15"), "POOL_REQUIRES_FORUM")
    cycle_through(ledger, "FORUM", after="PROPOSAL")
    refused(ledger, s.ConveneForum(YEAR, 1), on("2025-11-27"), "FORUM_ALREADY_CONVENED")
    handle(ledger, s.ConveneForum(YEAR, 2), meta("2025-12-05"))
    handle(ledger, pool, meta("2025-12-15"))
    refused(ledger, pool, on("2025-12-16"), "POOL_ALREADY_ESTABLISHED")


@provokes("CYCLE_CLOSE_REQUIRES_POOL", "CYCLE_YEAR_NOT_ENDED", "SOLIDARITY_CYCLE_CLOSED")
def test_the_cycle_closes_after_its_year_and_then_takes_nothing(ledger: Ledger) -> None:
    cycle_through(ledger, "FORUM")
    refused(ledger, s.CloseCycle(YEAR), on("2027-01-05"), "CYCLE_CLOSE_REQUIRES_POOL")
    cycle_through(ledger, "POOL", after="FORUM")
    refused(ledger, s.CloseCycle(YEAR), on("2026-12-31", hour=23), "CYCLE_YEAR_NOT_ENDED")
    assert handle(ledger, s.CloseCycle(YEAR), meta("2027-01-05")).event_types == ("CycleClosed",)
    refused(ledger, s.CloseCycle(YEAR), on("2027-01-06"), "SOLIDARITY_CYCLE_CLOSED")
    refused(ledger, s.RecordFinancialContribution(YEAR, "DE", 100, "late"), on("2027-01-06"),
            "SOLIDARITY_CYCLE_CLOSED")


@provokes("OCCURRED_BEFORE_PREVIOUS_STEP", "OCCURRED_IN_FUTURE")
def test_legal_time_moves_forward_and_not_into_the_future(ledger: Ledger) -> None:
    cycle_through(ledger, "PROPOSAL")
    refused(ledger, s.ConveneForum(YEAR, 1), on("2025-11-01"), "OCCURRED_BEFORE_PREVIOUS_STEP")
    refused(ledger, s.ConveneForum(YEAR, 1), on("2099-01-01"), "OCCURRED_IN_FUTURE")


def test_shape_is_checked_before_any_rule(ledger: Ledger) -> None:
    from ledger.errors import InvalidInput

    bad_inputs = s.RecordFairShareInputs(YEAR, " ", KEY_INPUTS[:26] + (
        s.KeyInput("XX", 0, 1),))
    for command, fields in [
        (s.AdoptAnnualReport(1999, ""), {"year", "reportRef"}),
        (bad_inputs, {"source", "inputs", "inputs[26].population"}),
        (s.AdoptMigratoryPressureDecision(YEAR, "d", ("IT",), ("IT",), ("GR",)),
         {"underPressure", "significantSituation[0]"}),
        (s.ProposePool(YEAR, "p", 0, -5, Decimal("100.001")),
         {"relocations", "financialCents", "earmarkPercent"}),
        (s.ConveneForum(YEAR, 3), {"meeting"}),
    ]:
        try:
            handle(ledger, command, meta("2025-11-11"))
        except InvalidInput as error:
            assert {p.field for p in error.problems} == fields, error
        else:  # pragma: no cover
            raise AssertionError(f"{command} was accepted")
    assert not ledger.recorder.max_notification_id()
