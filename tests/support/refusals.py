"""Refusals in tests: `refused` asserts that a command is refused by a named rule that cites its
article and that nothing was recorded; `provokes` declares the rules a test provokes, checks that
the test really provoked each of them, and lets `tests/unit/test_case_rule_coverage.py` tell when
a rule of the case has no test."""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime
from typing import Any, TypeVar

import pytest

from ledger.application import Ledger
from ledger.errors import RuleViolation
from ledger.rules import RULES
from tests.support.acting import handle
from tests.support.cases import meta_at

F = TypeVar("F", bound=Callable[..., Any])

#: The rule codes `refused` saw during the running test (None outside a `provokes` test).
_PROVOKED: ContextVar[set[str] | None] = ContextVar("provoked", default=None)


def refused(ledger: Ledger, command: Any, when: float | datetime, rule: str) -> RuleViolation:
    """Assert the command is refused by the rule coded `rule`, that the refusal cites the rule's
    article, and that nothing was recorded."""
    before = ledger.recorder.max_notification_id()
    with pytest.raises(RuleViolation) as caught:
        handle(ledger, command, meta_at(when))
    assert caught.value.rule.code == rule, str(caught.value)
    assert rule in RULES and caught.value.rule.article == RULES[rule].article
    assert caught.value.rule.article.strip()
    assert ledger.recorder.max_notification_id() == before
    provoked = _PROVOKED.get()
    if provoked is not None:
        provoked.add(rule)
    return caught.value


def provokes(*codes: str) -> Callable[[F], F]:
    """Declare the rules this test provokes; the test fails unless `refused` saw each of them."""
    unknown = [code for code in codes if code not in RULES]
    if unknown:
        raise ValueError(f"unknown rule codes {unknown}")

    def decorate(test: F) -> F:
        @functools.wraps(test)
        def checked(*args: Any, **kwargs: Any) -> Any:
            token = _PROVOKED.set(set())
            try:
                result = test(*args, **kwargs)
                seen = _PROVOKED.get() or set()
                missing = sorted(set(codes) - seen)
                assert not missing, f"declared but never provoked: {missing}"
                return result
            finally:
                _PROVOKED.reset(token)

        checked.provokes = frozenset(codes)  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate
