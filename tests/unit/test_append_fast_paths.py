"""The append path's cheaper encodings give the very bytes of their reference definitions
(`ledger.proofs`): the command fingerprint through a reused encoder, and a format-3 event's
descriptor put together from parts instead of a `json.dumps` per event."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime

from eventsourcing.utils import get_topic

from ledger import proofs
from ledger.application import Ledger
from ledger.command_fingerprint import fingerprint, fingerprinted_record
from ledger.errors import LedgerError
from ledger.event_bytes import encode
from ledger.integrity import event_hashes
from pact_ledger.demo import demo_script


def _recorded_ledger() -> tuple[Ledger, list[tuple[object, object]]]:
    ledger = Ledger()
    script = list(demo_script(6, 4, datetime.now(UTC)))
    for command, meta in script:
        try:
            ledger.handle(command, meta)
        except LedgerError:
            pass
    return ledger, script


def test_fingerprints_are_the_canonical_bytes_hashed() -> None:
    _, script = _recorded_ledger()
    accented = [(dataclasses.replace(c, national_reference=c.national_reference + "-é\u2028\"")
                 if hasattr(c, "national_reference") else c, m) for c, m in script[:20]]
    for command, meta in script + accented:
        expected = hashlib.sha256(
            proofs.canonical_bytes(fingerprinted_record(command, meta))).hexdigest()
        assert fingerprint(command, meta) == expected, type(command).__name__


def test_event_hashes_are_the_descriptors_hashes() -> None:
    ledger, _ = _recorded_ledger()
    events = [event for notification in ledger.recorder.select_notifications(1, 10_000)
              for event in [ledger.mapper.to_domain_event(notification)]]
    assert len(events) > 30
    for event in events:
        expected = proofs.descriptor_hashes(get_topic(type(event)), str(event.originator_id),
                                            event.originator_version, encode(event))
        assert event_hashes(event) == expected, type(event).__name__
    assert {type(e).__name__ for e in events} >= {"CaseOpened", "ScreeningStarted"}
