"""The catalogue of rules that refuse commands, each with the article that lays it down.

Rules are defined next to the logic that enforces them (`ledger.case.*`, `ledger.crisis`,
`ledger.solidarity`) with `define_rule`; this module holds the catalogue and the rules of the
record's own integrity.

A rule's `code` is stable (clients switch on it); `article` cites the provision; `summary` is the
sentence a case worker reads. Rules of the ledger's own integrity, which no regulation states,
cite `LEDGER` so that nobody mistakes them for law.
"""

from __future__ import annotations

from dataclasses import dataclass

LEDGER = "Pact Ledger integrity rule (no legal article)"


@dataclass(frozen=True)
class Rule:
    code: str
    article: str
    summary: str


RULES: dict[str, Rule] = {}


def define_rule(code: str, article: str, summary: str) -> Rule:
    """Add a rule to the catalogue (codes are unique across the whole ledger)."""
    if code in RULES:
        raise RuntimeError(f"rule {code} defined twice")
    rule = Rule(code, article, summary)
    RULES[code] = rule
    return rule


_rule = define_rule


# --- integrity of the record -------------------------------------------------------------------
CASE_CLOSED = _rule(
    "CASE_CLOSED",
    "APR (EU) 2024/1348 Art 55",
    "The case is closed; a new application after closure is a subsequent application",
)
OCCURRED_IN_FUTURE = _rule(
    "OCCURRED_IN_FUTURE", LEDGER, "A step cannot have legally occurred in the future"
)
OCCURRED_BEFORE_PREVIOUS_STEP = _rule(
    "OCCURRED_BEFORE_PREVIOUS_STEP",
    LEDGER,
    "A step cannot have occurred before the step it follows",
)
