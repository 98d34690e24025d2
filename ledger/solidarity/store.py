"""Finding a cycle or an account through the ledger, and opening an account on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventsourcing.application import AggregateNotFoundError

from ledger.envelope import Step
from ledger.errors import RuleViolation
from ledger.solidarity import rules
from ledger.solidarity.account import SolidarityAccount
from ledger.solidarity.cycle import SolidarityCycle

if TYPE_CHECKING:
    from ledger.application import Ledger


def find_cycle(ledger: Ledger, year: int) -> SolidarityCycle | None:
    try:
        return ledger.repository.get(SolidarityCycle.create_id(year))  # type: ignore[no-any-return]
    except AggregateNotFoundError:
        return None


def load_cycle(ledger: Ledger, year: int) -> SolidarityCycle:
    """The cycle of `year`; a step on a cycle that was never opened is refused."""
    cycle = find_cycle(ledger, year)
    if cycle is None:
        raise RuleViolation(rules.CYCLE_NOT_OPENED, f"cycle {year}")
    return cycle


def find_account(ledger: Ledger, year: int, member_state: str) -> SolidarityAccount | None:
    try:
        account_id = SolidarityAccount.create_id(year, member_state)
        return ledger.repository.get(account_id)  # type: ignore[no-any-return]
    except AggregateNotFoundError:
        return None


def account_for(ledger: Ledger, step: Step, year: int, member_state: str) -> SolidarityAccount:
    """The account, opened with this step if it has none yet (saved only with the step)."""
    account = find_account(ledger, year, member_state)
    return account if account is not None else SolidarityAccount.open(step, year, member_state)
