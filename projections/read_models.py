"""Every read model's queries in one place, as the API layer receives them."""

from __future__ import annotations

from dataclasses import dataclass

from projections.db import ReadDatabase
from projections.queries import CaseQueries


@dataclass(frozen=True)
class ReadModels:
    cases: CaseQueries

    @classmethod
    def over(cls, db: ReadDatabase) -> ReadModels:
        return cls(cases=CaseQueries(db))
