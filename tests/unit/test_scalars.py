"""The schema's `DateTime` output (`schema.scalars.datetime_text`) writes every time exactly as
strawberry's own scalar does (`isoformat`): the faster way must not change a byte."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from schema.build import schema
from schema.scalars import datetime_text

ZONES = st.one_of(st.just(UTC), st.none(), st.builds(
    lambda m: timezone(timedelta(minutes=m)), st.integers(-23 * 60 - 59, 23 * 60 + 59)))


@given(st.datetimes(timezones=ZONES), st.sampled_from([0, None]))
def test_every_time_is_written_as_isoformat_writes_it(value: datetime, micro: int | None
                                                      ) -> None:
    if micro is not None:  # whole seconds: isoformat leaves the fraction out
        value = value.replace(microsecond=micro)
    assert datetime_text(value) == value.isoformat()


def test_the_schema_writes_its_times_with_it_and_other_values_as_before() -> None:
    scalar = schema._schema.type_map["DateTime"]
    assert scalar.coerce_output_value is datetime_text  # type: ignore[attr-defined]
    moment = datetime(2026, 11, 30, 15, 44, 8, 677600, tzinfo=UTC)
    assert scalar.coerce_output_value(moment) == "2026-11-30T15:44:08.677600+00:00"  # type: ignore[attr-defined]
    assert datetime_text(date(2026, 1, 2)) == "2026-01-02"  # a date given for a time: as before
