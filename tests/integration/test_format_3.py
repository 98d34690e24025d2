"""Hash format 3 on a real demo ledger, both backends: every new event's hashes cover its row
exactly as stored (`ledger.proofs.event_descriptor`), the hash table and the chain agree with
them, and a change to any byte of a stored row is caught."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import pytest

from ledger import proofs
from ledger.event_bytes import encode
from ledger.verification import ALTERED
from pact_ledger.demo.seeding import seed_demo
from pact_ledger.wiring import Container
from tests.support.stored_demo import demo_rows
from tests.support.tamper import StoredRows

pytestmark = pytest.mark.storage


def test_every_stored_row_hashes_as_its_descriptor(container: Container) -> None:
    rows, _ = demo_rows(container, cases=30, seed=5, catch_up=True)
    app = container.ledger
    table = {w.position: w for w in container.reads.integrity.table.witness()}
    tails: dict[str, str] = {}
    formats: Counter[int] = Counter()
    for position, stream, version, topic, state in rows:
        assert stream is not None
        envelope = json.loads(state).get("envelope")
        found = envelope["_data_"].get("hash_format", 1) if envelope else 1
        formats[found] += 1
        if found != 3:
            continue
        descriptor = proofs.event_descriptor(topic, stream, version, state)
        chain = hashlib.sha256(descriptor).hexdigest()
        leaf = hashlib.sha256(b"\x00" + descriptor).hexdigest()
        assert (table[position].hash, table[position].leaf_hash) == (chain, leaf), topic
        if topic.startswith("pact-ledger:case."):  # a case's chain names the stored bytes' hash
            assert envelope["_data_"]["previous_hash"] == tails.get(stream), (topic, version)
        tails[stream] = chain
        # decoded and encoded again, the event gives the very bytes stored
        notification, = app.recorder.select_notifications(position, 1, stop=position)
        assert encode(app.mapper.to_domain_event(notification)) == state, topic
    assert formats[3] > 100 and set(formats) == {3}, formats
    assert container.reads.integrity.verify_ledger().valid


@pytest.mark.parametrize("change", ["a space", "a digit of the recording time"])
def test_any_changed_byte_of_a_stored_row_is_altered(container: Container, change: str) -> None:
    """Even a change that decodes to the same event (a space in the JSON) is caught: the hash
    covers the bytes."""
    seed_demo(container, cases=4, seed=3)
    container.runner.catch_up()
    rows = StoredRows(container.settings)
    integrity = container.reads.integrity
    assert integrity.verify_ledger().valid
    position = 5
    state = rows.raw_state(position)
    if change == "a space":
        changed = b"{ " + state[1:]
    else:
        # the last digit of the recording time's seconds: still a valid event
        at = state.index(b'"_data_":"', state.index(b'"timestamp"')) + 10 + 18
        assert state[at:at + 1].isdigit()
        changed = state[:at] + (b"1" if state[at:at + 1] != b"1" else b"2") + state[at + 1:]
    rows.set_state(position, changed)
    first = integrity.verify_ledger().first_problem
    assert first is not None and (first.position, first.reason) == (position, ALTERED)
    rows.close()
