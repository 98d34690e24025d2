"""Every rule of the solidarity ledger is provoked by a test that declares it (`provokes`)."""

from __future__ import annotations

from ledger.rules import Rule
from ledger.solidarity import rules
from tests.unit import test_solidarity_accounts, test_solidarity_cycle


def test_every_solidarity_rule_has_a_test_that_provokes_it() -> None:
    defined = [r for r in vars(rules).values() if isinstance(r, Rule)]
    provoked: set[str] = set()
    for module in (test_solidarity_cycle, test_solidarity_accounts):
        for test in vars(module).values():
            provoked |= getattr(test, "provokes", frozenset())
    assert {r.code for r in defined} - provoked == set()
    assert all(r.article.startswith("AMMR (EU) 2024/1351 Art") for r in defined
               if r.code != "SOLIDARITY_CYCLE_CLOSED")  # the ledger's own rule
