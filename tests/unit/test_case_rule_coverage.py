"""Every rule the case enforces has a test that provokes it.

The rules are read from the source: each `define_rule(...)` in `ledger/case/**/*.py` (the phase
packages), plus the integrity rules (`ledger.rules`) that `ledger/case/guards.py` applies to
every step. The tests declare what they provoke with `@provokes(...)`
(tests/support/refusals.py), and each such test fails unless it really was refused by every rule
it declares. So adding a rule without a test fails here, whatever subset or order the suite runs
in: no test needs to have run first.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import ledger.case
from ledger import rules
from ledger.rules import RULES
from tests.support.refusals import provokes

CASE_PACKAGE = Path(ledger.case.__file__).parent
TESTS = Path(__file__).parent


def _defined_in(path: Path) -> set[str]:
    """Codes of the rules defined in one module: the first argument of each `define_rule`."""
    codes = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "define_rule":
            first = node.args[0]
            assert isinstance(first, ast.Constant), f"{path.name}: rule code is not a literal"
            codes.add(first.value)
    return codes


def _integrity_rules_used_by_guards() -> set[str]:
    tree = ast.parse((CASE_PACKAGE / "guards.py").read_text(encoding="utf-8"))
    names = {node.attr for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "rules"}
    return {getattr(rules, name).code for name in names
            if isinstance(getattr(rules, name, None), rules.Rule)}


def case_rules() -> set[str]:
    defined = set().union(*(_defined_in(p) for p in sorted(CASE_PACKAGE.rglob("*.py"))))
    return defined | _integrity_rules_used_by_guards()


def declared_by_tests() -> dict[str, set[str]]:
    """Rule code -> the tests (module::name) that declare they provoke it."""
    declared: dict[str, set[str]] = {}
    for path in sorted(TESTS.glob("test_case_*.py")):
        module = importlib.import_module(f"tests.unit.{path.stem}")
        for name, test in vars(module).items():
            for code in getattr(test, "provokes", ()):
                declared.setdefault(code, set()).add(f"{path.stem}::{name}")
    return declared


def test_the_case_rules_are_found_in_the_source() -> None:
    """The scan sees the rules the catalogue holds (a broken scan would prove nothing)."""
    found = case_rules()
    assert len(found) >= 60
    assert found <= set(RULES)
    assert {"APPEAL_REQUIRES_DECISION", "MINOR_BORDER_ONLY_ON_SECURITY", "CASE_CLOSED",
            "RELOCATION_EXCLUDED_SECURITY", "REJECTION_WITHOUT_RETURN"} <= found


def test_every_case_rule_has_a_test_that_provokes_it() -> None:
    missing = sorted(case_rules() - set(declared_by_tests()))
    assert not missing, f"rules of the case with no @provokes test: {missing}"


def test_tests_only_declare_rules_that_exist() -> None:
    unknown = sorted(set(declared_by_tests()) - set(RULES))
    assert not unknown


def test_a_test_that_declares_a_rule_it_does_not_provoke_fails() -> None:
    """The declaration is checked at run time, so it cannot drift from what the test does."""

    @provokes("CASE_CLOSED")
    def provokes_nothing() -> None:
        pass

    with pytest.raises(AssertionError, match="CASE_CLOSED"):
        provokes_nothing()
    with pytest.raises(ValueError):
        provokes("NO_SUCH_RULE")
