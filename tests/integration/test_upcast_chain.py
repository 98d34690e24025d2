"""A stored event never changes, and neither does what its successor's `previous_hash` names:
the hash of its stored bytes. An event recorded before its class's fields changed is decoded
through the upcaster into the class's current shape; the next step on that case must still
chain to the bytes the store holds (what `verify` hashes), not to a re-encoding of the upcast
event, or every case whose last event is of an upcast class would show a broken chain after
its next step. The read side's hash table, which witnesses each event when the read models
first apply it, hashes the stored bytes as well (`ledger.event_bytes.decoded_batch`)."""

from __future__ import annotations

import hashlib

import pytest

from ledger.case import commands as c
from ledger.case.aggregate import Case
from ledger.proofs import event_descriptor
from pact_ledger.settings import Settings
from pact_ledger.wiring import build
from tests.support.acting import handle
from tests.support.clock import ManualClock
from tests.support.steps import at
from tests.support.tamper import StoredRows

pytestmark = pytest.mark.storage


def test_the_step_after_an_upcast_event_chains_to_its_stored_bytes(
        settings: Settings, clock: ManualClock) -> None:
    container = build(settings, clock=clock)
    rows = StoredRows(settings)
    try:
        handle(container.ledger, c.StartScreening("IT", "UP-1", c.Person("SY"),
                                                  "SEARCH_AND_RESCUE", "Lampedusa hotspot"),
               at(0))
        case_id = Case.create_id("IT", "UP-1")
        position = rows.positions(case_id)[2]  # ScreeningStarted: version 2 of its class
        stored = rows.raw_state(position)
        assert b',"held_over_72h":false' in stored and stored.endswith(b',"class_version":2}')
        # the same step as version 1 of the class recorded it (no `held_over_72h`)
        old = stored.replace(b',"held_over_72h":false', b"").replace(
            b',"class_version":2}', b"}")
        rows.set_state(position, old)
    finally:
        container.close()
    again = build(settings, clock=clock)  # nothing held in memory: the case is replayed
    try:
        events = list(again.ledger.events.get(case_id))
        assert events[1].held_over_72h is False  # (decoded through the upcaster)
        topic, = rows._run(f"SELECT topic FROM {rows.table} WHERE {rows.pos} = ?",  # noqa: SLF001
                           (position,))[0]
        # what `verify` computes for the stored row, and what its successor must name
        expected = hashlib.sha256(event_descriptor(topic, str(case_id), 2, old)).hexdigest()
        assert again.ledger.get_case(case_id).last_hash == expected
        handle(again.ledger, c.MakeApplication("IT", "UP-1", "Lampedusa hotspot"), at(1))
        third = rows.state(rows.positions(case_id)[3])
        assert third["envelope"]["_data_"]["previous_hash"] == expected
        assert rows.raw_state(position) == old  # (untouched since)
        # the read side's hash table, filled now, hashes the stored bytes too: `verify` finds
        # the ledger whole
        again.runner.catch_up()
        report = again.reads.integrity.verify_ledger()
        assert report.valid and report.events_checked == 3, report.problems[:3]
    finally:
        again.close()
        rows.close()
