"""The rules the ledger enforces, each with its legal source: reference data for front ends."""

from __future__ import annotations

import strawberry

from ledger.rules import RULES


@strawberry.type(description="A rule the ledger enforces, with its legal source.")
class Rule:
    code: str
    article: str
    summary: str


@strawberry.type
class RulesQuery:
    @strawberry.field(description="The rules the ledger enforces, with their legal sources.")
    def rules(self) -> list[Rule]:
        return [Rule(code=r.code, article=r.article, summary=r.summary) for r in RULES.values()]
