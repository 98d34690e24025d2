"""How a member state's balance follows from its movements, and when offsets are possible.

Pure arithmetic on integers (persons, euro cents) and Decimals, shared by every read of the
balances so that they cannot disagree. Per line (`SolidarityType`):
obligation = pledged, less any deduction granted (Arts 61-62; half up to a whole unit), and
nothing at all for a benefiting member state or after a full deduction (Art 60(3));
outstanding = obligation - delivered, never below zero (a surplus does not carry over).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ledger.solidarity.events import DELIVERED, PLEDGED
from ledger.solidarity.parameters import OffsetThresholds
from ledger.solidarity.vocabulary import SolidarityType

LINES = tuple(t.value for t in SolidarityType)


@dataclass(frozen=True)
class Line:
    """One type of contribution, in persons (RELOCATION) or euro cents (the others)."""

    kind: str
    pledged: int
    obligation: int
    delivered: int
    outstanding: int

    def cents(self, units: int, cents_per_relocation: int | None) -> int | None:
        """`units` of this line in euro cents, relocations at the cycle's own rate (None until
        the Council act sets it)."""
        if self.kind != SolidarityType.RELOCATION.value:
            return units
        return None if cents_per_relocation is None else units * cents_per_relocation


def owed(pledged: int, deduction_percent: Decimal | None, benefiting: bool) -> int:
    if benefiting:
        return 0
    if not deduction_percent:
        return pledged
    kept = Decimal(pledged) * (100 - deduction_percent) / 100
    return int(kept.to_integral_value(ROUND_HALF_UP))


def account_lines(sums: Mapping[tuple[str, str], int], deduction_percent: Decimal | None,
                  benefiting: bool) -> list[Line]:
    """`sums[(line, effect)]`: pledged and delivered units of the account, by line."""
    lines = []
    for kind in LINES:
        pledged, delivered = sums.get((kind, PLEDGED), 0), sums.get((kind, DELIVERED), 0)
        obligation = owed(pledged, deduction_percent, benefiting)
        lines.append(Line(kind, pledged, obligation, delivered, max(obligation - delivered, 0)))
    return lines


def summed(accounts: list[list[Line]]) -> list[Line]:
    """The Union's lines: each figure the sum of the accounts' figures."""
    return [Line(kind, *(sum(getattr(lines[i], f) for lines in accounts)
                         for f in ("pledged", "obligation", "delivered", "outstanding")))
            for i, kind in enumerate(LINES)]


@dataclass(frozen=True)
class OffsetTriggers:
    """Art 63 as of a date: relocation pledges over the relocations the Commission proposed."""

    proposed_relocations: int | None
    pledged_relocations: int
    pledge_ratio: Fraction | None
    requestable: bool  # 63(1): pledges in the Council act reach the threshold
    mandatory: bool  # 63(3): after the second Forum, pledges remain below it (UNCONFIRMED)


def offset_triggers(pledged: int, proposed: int | None, established: bool, second_forum: bool,
                    thresholds: OffsetThresholds) -> OffsetTriggers:
    if not proposed:
        return OffsetTriggers(proposed, pledged, None, False, False)
    ratio = Fraction(pledged, proposed)
    below = ratio < thresholds.mandatory or (
        thresholds.mandatory_relocations is not None
        and pledged < thresholds.mandatory_relocations)
    return OffsetTriggers(proposed, pledged, ratio,
                          established and ratio >= thresholds.requestable,
                          second_forum and below)


def may_offer_offsets(pledged_persons: int, fair_share: Decimal | None,
                      pool_relocations: int | None, triggers: OffsetTriggers,
                      thresholds: OffsetThresholds) -> bool:
    """Art 63(2): when 63(1)'s threshold is met, or the member state pledged as relocations at
    least `voluntary_fair_share` of its fair share of the pool's relocations."""
    if triggers.requestable:
        return True
    if fair_share is None or not pool_relocations:
        return False
    return pledged_persons >= thresholds.voluntary_fair_share * fair_share * pool_relocations
