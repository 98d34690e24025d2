"""The projections decode stored events their own, faster way (`projections.decoding`): every
event of a demo ledger must come out equal to the library's own decoding, field by field and
type by type, on both backends; and what the fast path does not read goes the library's way."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import StoredEvent

from ledger.errors import LedgerError
from pact_ledger.demo.script import demo_script
from pact_ledger.settings import Settings
from pact_ledger.wiring import build
from projections.decoding import decoder_for


def _fields(event: Any) -> list[tuple[str, type, Any]]:
    return [(name, type(value), value) for name, value in vars(event).items()]


def test_every_event_decodes_as_the_library_decodes_it(settings: Settings) -> None:
    container = build(settings)
    try:
        now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
        for command, meta in demo_script(8, 3, now):
            try:
                container.ledger.handle(command, meta)
            except LedgerError:
                pass
        app = container.ledger
        stored = app.recorder.select_notifications(1, 100_000)
        assert len(stored) > 100
        decode = decoder_for(app)
        assert decode != app.mapper.to_domain_event  # (the fast path, not the fallback)
        for item in stored:
            ours, theirs = decode(item), app.mapper.to_domain_event(item)
            assert type(ours) is type(theirs)
            assert ours == theirs
            assert _fields(ours) == _fields(theirs)
            assert _fields(ours.envelope) == _fields(theirs.envelope)
    finally:
        container.close()


def test_json_only_the_standard_parser_reads_goes_the_library_way(settings: Settings) -> None:
    """NaN is no JSON orjson reads; the library's parser does, and its event is the answer."""
    container = build(settings)
    try:
        now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
        command, meta = next(iter(demo_script(1, 1, now)))
        container.ledger.handle(command, meta)
        app = container.ledger
        item = app.recorder.select_notifications(1, 1)[0]
        odd = StoredEvent(originator_id=item.originator_id,
                          originator_version=item.originator_version, topic=item.topic,
                          state=item.state[:-1] + b',"odd":NaN}')
        ours = decoder_for(app)(odd)
        assert ours == app.mapper.to_domain_event(odd)
        assert vars(ours)["odd"] != vars(ours)["odd"]  # (NaN: decoded, not dropped)
    finally:
        container.close()
