"""Every rule of the resettlement framework is provoked by a test that declares it (`provokes`),
and each cites the URF or says it is the ledger's own."""

from __future__ import annotations

from ledger.resettlement import rules
from ledger.rules import LEDGER, Rule
from tests.unit import test_resettlement


def test_every_resettlement_rule_has_a_test_that_provokes_it() -> None:
    defined = [r for r in vars(rules).values() if isinstance(r, Rule)]
    assert len(defined) >= 12
    provoked: set[str] = set()
    for test in vars(test_resettlement).values():
        provoked |= getattr(test, "provokes", frozenset())
    assert {r.code for r in defined} - provoked == set()
    assert all(r.article.startswith("URF (EU) 2024/1350") or r.article == LEDGER
               for r in defined)
