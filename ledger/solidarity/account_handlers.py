"""How each step on a member state's account is checked for shape and carried out. Every step
needs the year's cycle (opened by its annual report); the account opens on its first step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from ledger.envelope import Step
from ledger.handling import Changes, Check, handles
from ledger.solidarity import checks
from ledger.solidarity import commands as c
from ledger.solidarity.account import SolidarityAccount
from ledger.solidarity.cycle import SolidarityCycle
from ledger.solidarity.store import account_for, load_cycle
from ledger.solidarity.vocabulary import (
    BenefitBasis,
    DeductionGround,
    SolidarityType,
)
from ledger.validation import Problems

if TYPE_CHECKING:
    from ledger.application import Ledger

Apply = Callable[[SolidarityAccount, SolidarityCycle, Step, Any], None]


def _on_account(command_type: type, check: Check) -> Callable[[Apply], Apply]:
    def register(apply: Apply) -> Apply:
        def check_all(p: Problems, cmd: Any, today: date) -> None:
            checks.year(p, cmd.year)
            p.member_state("memberState", cmd.member_state)
            check(p, cmd, today)

        @handles(command_type, check_all)
        def handler(ledger: Ledger, cmd: Any, step: Step) -> Changes:
            cycle = load_cycle(ledger, cmd.year)
            account = account_for(ledger, step, cmd.year, cmd.member_state)
            if account.has_processed(step.command_id):
                return Changes(account, replayed=True)
            apply(account, cycle, step, cmd)
            return Changes(account)

        return apply

    return register


def _check_pledge(p: Problems, cmd: c.MakePledge, today: date) -> None:
    p.choice("kind", cmd.kind, SolidarityType)
    if cmd.kind == SolidarityType.RELOCATION.value:
        checks.positive(p, "persons", cmd.persons)
        if cmd.amount_cents or cmd.measure:
            p.add("amountCents", "a relocation pledge counts persons only")
        return
    checks.cents(p, "amountCents", cmd.amount_cents)
    if cmd.persons:
        p.add("persons", f"a {cmd.kind} pledge is in euro cents, not persons")
    if cmd.kind == SolidarityType.ALTERNATIVE.value:
        p.text("measure", cmd.measure)
    elif cmd.measure:
        p.add("measure", "only an ALTERNATIVE pledge names a measure")


@_on_account(c.MakePledge, _check_pledge)
def _pledge(account: SolidarityAccount, cycle: SolidarityCycle, step: Step,
            cmd: c.MakePledge) -> None:
    account.pledge(step, cycle, cmd.kind, cmd.persons, cmd.amount_cents, cmd.measure)


def _check_request(p: Problems, cmd: c.RequestDeduction, today: date) -> None:
    p.choice("ground", cmd.ground, DeductionGround)
    checks.percent(p, "percent", cmd.percent)
    p.text("reasons", cmd.reasons)


@_on_account(c.RequestDeduction, _check_request)
def _request(account: SolidarityAccount, cycle: SolidarityCycle, step: Step,
             cmd: c.RequestDeduction) -> None:
    account.request_deduction(step, cycle, cmd.ground, cmd.percent, cmd.reasons)


def _check_grant(p: Problems, cmd: c.GrantDeduction, today: date) -> None:
    checks.percent(p, "percent", cmd.percent)
    p.text("decisionRef", cmd.decision_ref)


@_on_account(c.GrantDeduction, _check_grant)
def _grant(account: SolidarityAccount, cycle: SolidarityCycle, step: Step,
           cmd: c.GrantDeduction) -> None:
    account.grant_deduction(step, cycle, cmd.percent, cmd.decision_ref)


@_on_account(c.NotifyBenefitingStatus,
             lambda p, cmd, today: p.choice("basis", cmd.basis, BenefitBasis))
def _benefit(account: SolidarityAccount, cycle: SolidarityCycle, step: Step,
             cmd: c.NotifyBenefitingStatus) -> None:
    account.notify_benefiting(step, cycle, cmd.basis)


def _check_payment(p: Problems, cmd: c.RecordFinancialContribution, today: date) -> None:
    checks.cents(p, "amountCents", cmd.amount_cents)
    p.text("paymentRef", cmd.payment_ref)


@_on_account(c.RecordFinancialContribution, _check_payment)
def _pay(account: SolidarityAccount, cycle: SolidarityCycle, step: Step,
         cmd: c.RecordFinancialContribution) -> None:
    account.pay_financial(step, cycle, cmd.amount_cents, cmd.payment_ref)


def _check_measure(p: Problems, cmd: c.RecordAlternativeMeasure, today: date) -> None:
    p.text("measure", cmd.measure)
    checks.cents(p, "valueCents", cmd.value_cents)


@_on_account(c.RecordAlternativeMeasure, _check_measure)
def _deliver(account: SolidarityAccount, cycle: SolidarityCycle, step: Step,
             cmd: c.RecordAlternativeMeasure) -> None:
    account.deliver_alternative(step, cycle, cmd.measure, cmd.value_cents)
