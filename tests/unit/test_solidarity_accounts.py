"""A member state's account on the in-memory store: pledges at the Forum, the Council act that
fixes them, deductions, benefiting status and deliveries, each refusal naming its article."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.application import Ledger
from ledger.errors import InvalidInput
from ledger.solidarity import commands as s
from ledger.solidarity.account import SolidarityAccount
from ledger.solidarity.cycle import SolidarityCycle
from tests.support.acting import handle
from tests.support.refusals import provokes, refused
from tests.support.solidarity import EUR, YEAR, cycle_through, meta, on, pledge


def account(ledger: Ledger, ms: str) -> SolidarityAccount:
    return ledger.repository.get(SolidarityAccount.create_id(YEAR, ms))  # type: ignore[no-any-return]


def basis(ledger: Ledger, ms: str) -> str:
    last = list(ledger.events.get(SolidarityAccount.create_id(YEAR, ms)))[-1]
    return str(last.envelope.legal_basis[0])


def test_pledges_of_each_type_are_recorded_at_the_forum(ledger: Ledger) -> None:
    cycle_through(ledger, "FORUM")
    pledge(ledger, "DE", "RELOCATION", 3_000, "2025-11-26")
    assert basis(ledger, "DE") == "AMMR (EU) 2024/1351 Art 56(2)(a)"
    pledge(ledger, "DE", "FINANCIAL", 20_000_000 * EUR, "2025-11-26")
    pledge(ledger, "DE", "FINANCIAL", 1_000_000 * EUR, "2025-11-27")
    pledge(ledger, "AT", "ALTERNATIVE", 5_000_000 * EUR, "2025-11-26", "Reception capacity")
    assert basis(ledger, "AT") == "AMMR (EU) 2024/1351 Art 56(2)(c)"
    assert account(ledger, "DE").pledged == {"RELOCATION": 3_000,
                                             "FINANCIAL": 21_000_000 * EUR}


def test_the_council_act_sets_out_the_pledges_made_at_the_forum(ledger: Ledger) -> None:
    cycle_through(ledger, "FORUM")
    pledge(ledger, "DE", "RELOCATION", 3_000, "2025-11-26")
    pledge(ledger, "NL", "FINANCIAL", 10_000_000 * EUR, "2025-11-26")
    cycle_through(ledger, "POOL", after="FORUM")
    established = list(ledger.events.get(SolidarityCycle.create_id(YEAR)))[-1]
    assert established.pledges == {"DE": {"RELOCATION": 3_000},
                                   "NL": {"FINANCIAL": 10_000_000 * EUR}}
    assert established.cents_per_relocation == 20_000 * EUR


@provokes("PLEDGE_REQUIRES_FORUM", "PLEDGES_FIXED_BY_COUNCIL_ACT",
          "OCCURRED_BEFORE_PREVIOUS_STEP")
def test_pledges_are_made_between_the_forum_and_the_council_act(ledger: Ledger) -> None:
    relocations = s.MakePledge(YEAR, "DE", "RELOCATION", persons=100)
    cycle_through(ledger, "PROPOSAL")
    refused(ledger, relocations, on("2025-11-20"), "PLEDGE_REQUIRES_FORUM")
    cycle_through(ledger, "FORUM", after="PROPOSAL")
    refused(ledger, relocations, on("2025-11-20"), "OCCURRED_BEFORE_PREVIOUS_STEP")
    cycle_through(ledger, "POOL", after="FORUM")
    refused(ledger, relocations, on("2025-12-20"), "PLEDGES_FIXED_BY_COUNCIL_ACT")


@provokes("DELIVERY_REQUIRES_POOL", "DELIVERY_WITHOUT_PLEDGE")
def test_deliveries_implement_the_pledges_of_the_council_act(ledger: Ledger) -> None:
    cycle_through(ledger, "FORUM")
    pledge(ledger, "NL", "FINANCIAL", 10_000_000 * EUR, "2025-11-26")
    payment = s.RecordFinancialContribution(YEAR, "NL", 1_000_000 * EUR, "NL-1")
    refused(ledger, payment, on("2025-12-01"), "DELIVERY_REQUIRES_POOL")
    cycle_through(ledger, "POOL", after="FORUM")
    refused(ledger, s.RecordAlternativeMeasure(YEAR, "NL", "Staff", 100 * EUR), on("2026-02-01"),
            "DELIVERY_WITHOUT_PLEDGE")
    assert handle(ledger, payment, meta("2026-02-01")).event_types == (
        "FinancialContributionPaid",)
    assert basis(ledger, "NL") == "AMMR (EU) 2024/1351 Art 56(2)(b)"


@provokes("DEDUCTION_REQUIRES_POOL", "DEDUCTION_ALREADY_REQUESTED", "DEDUCTION_NOT_REQUESTED",
          "DEDUCTION_EXCEEDS_REQUEST")
def test_a_deduction_is_requested_then_granted_up_to_the_request(ledger: Ledger) -> None:
    request = s.RequestDeduction(YEAR, "PL", "SIGNIFICANT_MIGRATORY_SITUATION",
                                 Decimal("50"), "reasons under Art 62(2)")
    cycle_through(ledger, "FORUM")
    pledge(ledger, "PL", "RELOCATION", 500, "2025-11-26")
    refused(ledger, request, on("2025-12-01"), "DEDUCTION_REQUIRES_POOL")
    cycle_through(ledger, "POOL", after="FORUM")
    refused(ledger, s.GrantDeduction(YEAR, "PL", Decimal("50"), "C(2026) 1"), on("2026-01-05"),
            "DEDUCTION_NOT_REQUESTED")
    handle(ledger, request, meta("2026-01-05"))
    assert basis(ledger, "PL") == "AMMR (EU) 2024/1351 Art 62(1)"
    refused(ledger, request, on("2026-01-06"), "DEDUCTION_ALREADY_REQUESTED")
    refused(ledger, s.GrantDeduction(YEAR, "PL", Decimal("60"), "C(2026) 1"), on("2026-01-20"),
            "DEDUCTION_EXCEEDS_REQUEST")
    handle(ledger, s.GrantDeduction(YEAR, "PL", Decimal("25.5"), "C(2026) 1"), meta("2026-01-20"))
    assert account(ledger, "PL").deduction_granted == Decimal("25.5")
    assert basis(ledger, "PL") == "AMMR (EU) 2024/1351 Art 62"
    refused(ledger, s.GrantDeduction(YEAR, "PL", Decimal("10"), "again"), on("2026-01-21"),
            "DEDUCTION_NOT_REQUESTED")


@provokes("BENEFIT_REQUIRES_PRESSURE_LISTING", "ALREADY_BENEFITING",
          "DEDUCTION_WHILE_BENEFITING")
def test_benefiting_status_follows_the_pressure_decision(ledger: Ledger) -> None:
    cycle_through(ledger, "POOL")
    refused(ledger, s.NotifyBenefitingStatus(YEAR, "DE", "LISTED_UNDER_PRESSURE"),
            on("2026-01-05"), "BENEFIT_REQUIRES_PRESSURE_LISTING")
    handle(ledger, s.NotifyBenefitingStatus(YEAR, "IT", "LISTED_UNDER_PRESSURE"),
                  meta("2026-01-05"))
    assert basis(ledger, "IT") == "AMMR (EU) 2024/1351 Art 58(1)"
    handle(ledger, s.NotifyBenefitingStatus(YEAR, "MT", "NEED_NOTIFIED"), meta("2026-01-05"))
    assert basis(ledger, "MT") == "AMMR (EU) 2024/1351 Art 59(4)"
    assert account(ledger, "MT").benefiting
    refused(ledger, s.NotifyBenefitingStatus(YEAR, "IT", "NEED_NOTIFIED"), on("2026-01-06"),
            "ALREADY_BENEFITING")
    refused(ledger, s.RequestDeduction(YEAR, "IT", "MIGRATORY_PRESSURE", Decimal("100"), "r"),
            on("2026-01-06"), "DEDUCTION_WHILE_BENEFITING")


def test_an_account_step_needs_an_open_cycle(ledger: Ledger) -> None:
    refused(ledger, s.MakePledge(YEAR, "DE", "RELOCATION", persons=1), on("2025-11-26"),
            "SOLIDARITY_CYCLE_NOT_OPENED")


def test_a_retried_account_command_is_a_replay(ledger: Ledger) -> None:
    cycle_through(ledger, "FORUM")
    command = s.MakePledge(YEAR, "DE", "RELOCATION", persons=10)
    first = handle(ledger, command, meta("2025-11-26", command_id="p-1"))
    again = handle(ledger, command, meta("2025-11-26", command_id="p-1"))
    assert again.replayed and again.version == first.version
    assert account(ledger, "DE").pledged == {"RELOCATION": 10}


@pytest.mark.parametrize(("command", "fields"), [
    (s.MakePledge(YEAR, "DE", "RELOCATION", persons=0, amount_cents=5), {"persons", "amountCents"}),
    (s.MakePledge(YEAR, "DE", "FINANCIAL", persons=1, measure="x"),
     {"amountCents", "persons", "measure"}),
    (s.MakePledge(YEAR, "GR", "ALTERNATIVE", amount_cents=10**16), {"memberState", "amountCents",
                                                                  "measure"}),
    (s.MakePledge(YEAR, "DE", "PEOPLE"), {"kind", "amountCents"}),
    (s.RequestDeduction(YEAR, "PL", "TIRED", Decimal("0"), ""), {"ground", "percent", "reasons"}),
    (s.GrantDeduction(YEAR, "PL", Decimal("33.333"), "d"), {"percent"}),
    (s.NotifyBenefitingStatus(YEAR, "IT", "WISH"), {"basis"}),
    (s.RecordFinancialContribution(YEAR, "NL", True, ""), {"amountCents", "paymentRef"}),  # type: ignore[arg-type]
    (s.RecordAlternativeMeasure(YEAR, "AT", "", 0), {"measure", "valueCents"}),
])
def test_account_commands_are_checked_for_shape(ledger: Ledger, command: object,
                                                fields: set[str]) -> None:
    with pytest.raises(InvalidInput) as caught:
        handle(ledger, command, meta("2025-11-26"))
    assert {p.field for p in caught.value.problems} == fields
