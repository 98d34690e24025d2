"""The Annex I reference key in exact arithmetic, and apportioning wholes by it."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from ledger.solidarity.fair_share import apportion, reference_key, stored_shares


def test_the_key_is_half_population_share_and_half_gdp_share() -> None:
    key = reference_key({"DE": 2, "FR": 1, "IT": 1}, {"DE": 6, "FR": 3, "IT": 1})
    assert key == {"DE": Fraction(1, 4) + Fraction(3, 10), "FR": Fraction(1, 8) + Fraction(3, 20),
                   "IT": Fraction(1, 8) + Fraction(1, 20)}
    assert sum(key.values()) == 1


def test_stored_shares_have_ten_places_and_sum_to_exactly_one() -> None:
    key = reference_key({"DE": 1, "FR": 1, "IT": 1}, {"DE": 1, "FR": 1, "IT": 1})
    shares = stored_shares(key)
    assert sum(shares.values()) == Decimal(1)
    assert sorted(shares.values()) == [Decimal("0.3333333333")] * 2 + [Decimal("0.3333333334")]
    assert all(share.as_tuple().exponent == -10 for share in shares.values())


def test_apportion_gives_whole_parts_that_add_up_to_the_whole() -> None:
    key = {"A": Fraction(1, 3), "B": Fraction(1, 3), "C": Fraction(1, 3)}
    assert apportion(100, key) == {"A": 34, "B": 33, "C": 33}  # ties go in code order
    assert apportion(0, key) == {"A": 0, "B": 0, "C": 0}


@given(st.dictionaries(st.sampled_from("ABCDEFGHIJ"), st.tuples(
    st.integers(1, 10**8), st.integers(1, 10**7)), min_size=1),
    st.integers(0, 10**12))
def test_apportioning_by_any_key_is_exact(inputs: dict[str, tuple[int, int]], total: int) -> None:
    key = reference_key({k: v[0] for k, v in inputs.items()}, {k: v[1] for k, v in inputs.items()})
    parts = apportion(total, key)
    assert sum(parts.values()) == total
    assert all(abs(parts[k] - key[k] * total) < 1 for k in key)
    assert sum(stored_shares(key).values()) == 1
