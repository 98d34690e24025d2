"""The texts the projections write by shortcut are the texts of the general way, byte for byte:
times formatted by orjson or `%` (`time_text`, the deadline tracker's `$dt`), legal bases looked
up by plain (act, article) pairs, a stream id's text kept per UUID object, a counting's JSON
from its attributes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import orjson
from hypothesis import given
from hypothesis import strategies as st

from ledger.deadlines.durations import Duration, Unit
from ledger.deadlines.periods import period_end
from ledger.envelope import LegalBasis
from projections.deadline_state import _counting_text, _default, _enc
from projections.encoding import _legal_basis_json, dumps_plain, id_text, time_text

utc_times = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31),
                         timezones=st.just(UTC))
zones = st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-11))])


@given(st.one_of(utc_times, st.datetimes(min_value=datetime(2, 1, 1), timezones=zones)))
def test_time_text_is_isoformat_in_utc_with_z(moment: datetime) -> None:
    in_utc = moment.astimezone(UTC)
    assert time_text(moment) == in_utc.isoformat(timespec="microseconds")[:-6] + "Z"


@given(utc_times)
def test_a_trackers_utc_time_is_the_tagged_isoformat(moment: datetime) -> None:
    # (the tracker's JSON as `_enc` makes it, the general way: `{"$dt": isoformat()}`)
    assert orjson.dumps([_default(moment)]) == orjson.dumps([_enc(moment)])
    assert orjson.dumps([_default(moment)]) == orjson.dumps([{"$dt": moment.isoformat()}])


def test_times_without_microseconds_and_in_other_zones_keep_their_text() -> None:
    for moment in (datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                   datetime(26, 1, 2, tzinfo=UTC),
                   datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=2)))):
        assert orjson.dumps([_default(moment)]) == orjson.dumps([{"$dt": moment.isoformat()}])


def test_legal_bases_json_is_the_same_for_tuples_lists_and_new_objects() -> None:
    bases = (LegalBasis("AMMR", "Art 29(1)"), LegalBasis("APR", "Art 35(2)"))
    expected = dumps_plain([{"act": b.act, "article": b.article} for b in bases])
    assert _legal_basis_json(bases) == expected
    assert _legal_basis_json(list(bases)) == expected
    again = tuple(LegalBasis(b.act, b.article) for b in bases)  # (equal, other objects)
    assert _legal_basis_json(again) == expected
    assert _legal_basis_json(bases[::-1]) == dumps_plain(
        [{"act": b.act, "article": b.article} for b in bases[::-1]])
    assert _legal_basis_json(()) == "[]"


def test_a_stream_ids_text_is_str_of_each_uuid() -> None:
    ids = [uuid.uuid4() for _ in range(50)]
    assert [id_text(i) for i in ids] == [str(i) for i in ids]
    twin = uuid.UUID(str(ids[0]))  # (an equal UUID, another object)
    assert id_text(twin) == str(ids[0])
    assert [id_text(i) for i in ids] == [str(i) for i in ids]


def test_a_countings_text_is_its_to_dict_as_json() -> None:
    texts = set()
    for unit in Unit:
        for amount in (1, 2, 15):
            for member_state in ("DE", "EL", "MT"):
                for day in range(0, 400, 9):  # (holidays, weekends, month ends, a leap day)
                    start = datetime(2027, 12, 20, 10, tzinfo=UTC) + timedelta(days=day)
                    for days, months in ((0, 0), (3, 1)):
                        counting = period_end(Duration(amount, unit), start, member_state,
                                              extended_days=days,
                                              extended_months=months).counting
                        text = _counting_text(counting)
                        assert text == orjson.dumps(counting.to_dict()).decode()
                        texts.add(text)
    assert any('"skipped":[[' in text for text in texts)  # (days skipped, in their shape)
