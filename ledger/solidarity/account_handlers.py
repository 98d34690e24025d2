"""How each step on a member state's account is checked for shape and carried out. Every step
needs the year's cycle (opened by its annual report); the account opens on its first step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from ledger.envelope import Step
from ledger.handling import Changes, Check, Registration
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


def _on_account(apply: Apply, check: Check) -> Registration:
    """A step on a member state's account: its shape check (year and member state first) and a
    handler that loads the cycle and the account and lets `apply` call the account's method."""

    def check_all(p: Problems, cmd: Any, today: date) -> None:
        checks.year(p, cmd.year)
        p.member_state("memberState", cmd.member_state)
        check(p, cmd, today)

    def handler(ledger: Ledger, cmd: Any, step: Step) -> Changes:
        cycle = load_cycle(ledger, cmd.year)
        account = account_for(ledger, step, cmd.year, cmd.member_state)
        if account.has_processed(step.command_id):
            return Changes(account, replayed=True)
        apply(account, cycle, step, cmd)
        return Changes(account)

    return Registration(handler, check_all)


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


def _pledge(account: SolidarityAccount, cycle: SolidarityCycle, step: Step,
            cmd: c.MakePledge) -> None:
    account.pledge(step, cycle, cmd.kind, cmd.persons, cmd.amount_cents, cmd.measure)


def _check_request(p: Problems, cmd: c.RequestDeduction, today: date) -> None:
    p.choice("ground", cmd.ground, DeductionGround)
    checks.percent(p, "percent", cmd.percent)
    p.text("reasons", cmd.reasons)


def _request(account: SolidarityAccount, cycle: SolidarityCycle, step: Step,
             cmd: c.RequestDeduction) -> None:
    account.request_deduction(step, cycle, cmd.ground, cmd.percent, cmd.reasons)


def _check_grant(p: Problems, cmd: c.GrantDeduction, today: date) -> None:
    checks.percent(p, "percent", cmd.percent)
    p.text("decisionRef", cmd.decision_ref)


def _grant(account: SolidarityAccount, cycle: SolidarityCycle, step: Step,
           cmd: c.GrantDeduction) -> None:
    account.grant_deduction(step, cycle, cmd.percent, cmd.decision_ref)


def _benefit(account: SolidarityAccount, cycle: SolidarityCycle, step: Step,
             cmd: c.NotifyBenefitingStatus) -> None:
    account.notify_benefiting(step, cycle, cmd.basis)


def _check_payment(p: Problems, cmd: c.RecordFinancialContribution, today: date) -> None:
    checks.cents(p, "amountCents", cmd.amount_cents)
    p.text("paymentRef", cmd.payment_ref)


def _pay(account: SolidarityAccount, cycle: SolidarityCycle, step: Step,
         cmd: c.RecordFinancialContribution) -> None:
    account.pay_financial(step, cycle, cmd.amount_cents, cmd.payment_ref)


def _check_measure(p: Problems, cmd: c.RecordAlternativeMeasure, today: date) -> None:
    p.text("measure", cmd.measure)
    checks.cents(p, "valueCents", cmd.value_cents)


def _deliver(account: SolidarityAccount, cycle: SolidarityCycle, step: Step,
             cmd: c.RecordAlternativeMeasure) -> None:
    account.deliver_alternative(step, cycle, cmd.measure, cmd.value_cents)


#: Command class -> its shape check and handler.
HANDLERS: dict[type, Registration] = {
    c.MakePledge: _on_account(_pledge, _check_pledge),
    c.RequestDeduction: _on_account(_request, _check_request),
    c.GrantDeduction: _on_account(_grant, _check_grant),
    c.NotifyBenefitingStatus: _on_account(
        _benefit, lambda p, cmd, today: p.choice("basis", cmd.basis, BenefitBasis)),
    c.RecordFinancialContribution: _on_account(_pay, _check_payment),
    c.RecordAlternativeMeasure: _on_account(_deliver, _check_measure),
}
