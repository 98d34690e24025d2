"""Shape checks of solidarity commands, beside the shared ones of `ledger.validation.Problems`."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ledger.validation import Problems

FIRST_YEAR = 2024  # AMMR (EU) 2024/1351 entered into force
MAX_CENTS = 10**15  # EUR 10 trillion: far above any pool, far below BIGINT
MAX_COUNT = 10**9


def year(p: Problems, value: int) -> None:
    if not FIRST_YEAR <= value <= 2999:
        p.add("year", f"must be a year from {FIRST_YEAR}")


def positive(p: Problems, field: str, value: int, limit: int = MAX_COUNT) -> None:
    if isinstance(value, bool) or not 0 < value <= limit:
        p.add(field, f"must be a whole number from 1 to {limit}")


def cents(p: Problems, field: str, value: int) -> None:
    positive(p, field, value, MAX_CENTS)


def percent(p: Problems, field: str, value: Decimal | None, required: bool = True) -> None:
    if value is None:
        if required:
            p.add(field, "is required")
        return
    if not value.is_finite() or not 0 < value <= 100 or value != round(value, 2):
        p.add(field, "must be a percentage above 0 and at most 100, with at most 2 decimals")


def member_states(p: Problems, field: str, codes: Iterable[str]) -> None:
    for i, code in enumerate(codes):
        p.member_state(f"{field}[{i}]", code)
