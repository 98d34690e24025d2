"""Crediting accounts from the case side (in memory): a relocation or an offset is credited to
the account of the cycle of its year, linked to the case, and never twice for one case."""

from __future__ import annotations

from datetime import datetime

import pytest

from ledger.application import Ledger
from ledger.solidarity.account import SolidarityAccount
from ledger.solidarity.crediting import credit_offset, credit_relocation
from tests.support.solidarity import case_id, offset, on, relocate, step


def events(ledger: Ledger, year: int, ms: str) -> list[object]:
    return list(ledger.events.get(SolidarityAccount.create_id(year, ms)))


def test_an_arrival_opens_the_account_of_its_year_and_credits_it(ledger: Ledger) -> None:
    assert relocate(ledger, "DE", "case-1", "2026-02-10", benefiting="IT") == 2
    opened, credited = events(ledger, 2026, "DE")
    assert type(opened).__name__ == "AccountOpened"
    assert type(credited).__name__ == "RelocationCredited"
    assert credited.case_id == case_id("case-1")
    assert credited.benefiting_member_state == "IT"
    assert credited.envelope.occurred_at == on("2026-02-10")
    assert str(credited.envelope.legal_basis[0]) == "AMMR (EU) 2024/1351 Art 68(1)"
    assert relocate(ledger, "DE", "case-2", "2027-01-03") == 2  # the 2027 cycle's account


def test_the_same_case_is_credited_once_whatever_the_step(ledger: Ledger) -> None:
    relocate(ledger, "DE", "case-1", "2026-02-10")
    when = on("2026-02-11")
    again = credit_relocation(ledger, relocation_member_state="DE", benefiting_member_state="IT",
                              case_id=case_id("case-1"), arrived_at=when,
                              step=step(ledger, when, "another-command"))
    assert again.collect_events() == []
    assert offset(ledger, "DE", "case-1", "2026-03-01") == 0  # an offset of it neither
    assert len(events(ledger, 2026, "DE")) == 2


def test_offsets_cite_their_paragraph_of_article_63(ledger: Ledger) -> None:
    for n, (mode, paragraph) in enumerate([("REQUESTED", "63(1)"), ("VOLUNTARY", "63(2)"),
                                           ("MANDATORY", "63(3)")]):
        assert offset(ledger, "FR", f"offset-{n}", "2026-09-01", mode=mode) >= 1
        credited = events(ledger, 2026, "FR")[-1]
        assert type(credited).__name__ == "OffsetCredited" and credited.mode == mode
        assert str(credited.envelope.legal_basis[0]) == f"AMMR (EU) 2024/1351 Art {paragraph}"


@pytest.mark.parametrize("kwargs", [
    {"relocation_member_state": "GR"},
    {"benefiting_member_state": "XX"},
    {"arrived_at": datetime(2026, 2, 10)},
])
def test_wrong_arguments_are_programming_errors(ledger: Ledger, kwargs: dict) -> None:
    when = on("2026-02-10")
    arguments = {"relocation_member_state": "DE", "benefiting_member_state": "IT",
                 "case_id": case_id("c"), "arrived_at": when, "step": step(ledger, when),
                 **kwargs}
    with pytest.raises(ValueError):
        credit_relocation(ledger, **arguments)
    with pytest.raises(ValueError, match="offset mode"):
        credit_offset(ledger, taking_member_state="DE", benefiting_member_state="IT",
                      case_id=case_id("c"), mode="KINDLY", at=when, step=step(ledger, when))
