"""Crediting a member state's account when a case moves: the case side calls these in the same
command as the case's own event and saves the returned account in the same transaction.

They refuse nothing (the case's step was allowed; the credit follows from it), but a case is
credited to an account at most once: called again for the same case (a retried command, a
duplicate arrival report) they return the account with no new event. Wrong arguments are
programming errors and raise `ValueError`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.envelope import Step
from ledger.solidarity.account import SolidarityAccount
from ledger.solidarity.store import account_for
from ledger.solidarity.vocabulary import OffsetMode
from ledger.vocabulary import is_member_state

if TYPE_CHECKING:
    from ledger.application import Ledger


def credit_relocation(ledger: Ledger, *, relocation_member_state: str,
                      benefiting_member_state: str, case_id: UUID, arrived_at: datetime,
                      step: Step) -> Aggregate:
    """Safe arrival in the relocation member state (AMMR Art 68(1)) credits one relocation to
    its account for the cycle of `arrived_at.year`, linked to the case."""
    account = _account(ledger, relocation_member_state, benefiting_member_state, arrived_at, step)
    if not account.has_credited(case_id):
        account.credit_relocation(step, case_id, benefiting_member_state, arrived_at)
    return account


def credit_offset(ledger: Ledger, *, taking_member_state: str, benefiting_member_state: str,
                  case_id: UUID, mode: str, at: datetime, step: Step) -> Aggregate:
    """Responsibility for the case moved to `taking_member_state` instead of a relocation
    (AMMR Art 63; `mode` REQUESTED, VOLUNTARY or MANDATORY): credits one relocation to its
    account for the cycle of `at.year`, linked to the case."""
    if mode not in {m.value for m in OffsetMode}:
        raise ValueError(f"offset mode {mode!r} is not one of {[m.value for m in OffsetMode]}")
    account = _account(ledger, taking_member_state, benefiting_member_state, at, step)
    if not account.has_credited(case_id):
        account.credit_offset(step, case_id, benefiting_member_state, mode, at)
    return account


def _account(ledger: Ledger, credited: str, benefiting: str, at: datetime,
             step: Step) -> SolidarityAccount:
    for code in (credited, benefiting):
        if not is_member_state(code):
            raise ValueError(f"{code!r} is not an EU member state code")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("the time of a credit must include a time zone offset")
    return account_for(ledger, replace(step, occurred_at=at), at.year, credited)
