"""The reference key of AMMR Art 66 and Annex I, in exact arithmetic.

Each member state's share is 50% its share of the Union's population plus 50% its share of the
Union's GDP. Shares are exact fractions; whenever they are turned into whole units (persons,
cents, the stored decimal places) the largest-remainder method is used, so that the parts always
add up to the whole exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from ledger.solidarity.parameters import SHARE_PLACES


def reference_key(population: Mapping[str, int], gdp: Mapping[str, int]) -> dict[str, Fraction]:
    """Annex I: 0.5 x population share + 0.5 x GDP share, for every member state given."""
    total_population = sum(population.values())
    total_gdp = sum(gdp.values())
    return {
        ms: Fraction(population[ms], 2 * total_population) + Fraction(gdp[ms], 2 * total_gdp)
        for ms in sorted(population)
    }


def apportion(total: int, key: Mapping[str, Fraction]) -> dict[str, int]:
    """Whole parts of `total` in proportion to `key` (which sums to 1), summing to `total`."""
    exact = {ms: share * total for ms, share in key.items()}
    parts = {ms: math.floor(value) for ms, value in exact.items()}
    left = total - sum(parts.values())
    by_remainder = sorted(key, key=lambda ms: (parts[ms] - exact[ms], ms))
    for ms in by_remainder[:left]:
        parts[ms] += 1
    return parts


def stored_shares(key: Mapping[str, Fraction], places: int = SHARE_PLACES) -> dict[str, Decimal]:
    """The key as decimals of `places` places that sum to exactly 1."""
    units = apportion(10**places, key)
    return {ms: Decimal(n).scaleb(-places) for ms, n in units.items()}
