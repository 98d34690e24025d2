"""Adequate capacity for the border procedure (APR (EU) 2024/1348 Arts 46-48).

The Union's capacity is 30,000 places at any moment (Art 46). Each member state's adequate
capacity and its annual maximum are set by Commission implementing act (Art 47; for
12.6.2026-14.10.2027, Implementing Decision (EU) 2024/2150). Our sources do not give the
annex's figures, so per-state capacities are configuration (`PACT_LEDGER_BORDER_CAPACITY`), not
constants, and unknown until configured. The annual maximum is believed to be four times the
capacity: unconfirmed, hence a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping

from ledger.vocabulary import is_member_state

UNION_CAPACITY = 30_000
ANNUAL_MULTIPLIER = 4  # unconfirmed in the sources


def parse_capacities(text: str) -> dict[str, int]:
    """`"IT=8016,EL=2720"` -> {"IT": 8016, "EL": 2720}; refuses unknown codes and bad numbers."""
    capacities: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, _, number = part.partition("=")
        code = code.strip().upper()
        if not is_member_state(code) or not number.strip().isdigit():
            raise ValueError(f"border capacity entry {part!r} is not MEMBER_STATE=NUMBER")
        capacities[code] = int(number)
    return capacities


def annual_maximum(capacity: int | None, multiplier: int = ANNUAL_MULTIPLIER) -> int | None:
    return None if capacity is None else capacity * multiplier


def capacity_of(capacities: Mapping[str, int], member_state: str) -> int | None:
    return capacities.get(member_state)
