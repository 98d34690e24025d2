"""The write path's cache: a saved case goes back into the cache at its stored version, the
copy a command decides on shares nothing mutable with the cached case, and each event's hash
(the next event's `previous_hash`) is the hash of the event as stored."""

from __future__ import annotations

import copy

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.integrity import event_hash
from tests.support.cases import lodged, step


def test_a_saved_case_is_cached_at_its_stored_version(ledger: Ledger) -> None:
    case_id = lodged(ledger, "CACHE-1")
    cached = ledger.repository.cache.get(case_id)  # type: ignore[union-attr]
    assert cached.version == len(list(ledger.events.get(case_id)))
    assert cached.last_hash == event_hash(list(ledger.events.get(case_id))[-1])


def test_the_copy_shares_nothing_mutable_with_the_cached_case(ledger: Ledger) -> None:
    case_id = lodged(ledger, "CACHE-2")
    cached = ledger.repository.cache.get(case_id)  # type: ignore[union-attr]
    twin = copy.deepcopy(cached)
    assert twin == cached and twin is not cached
    for name, value in vars(cached).items():
        if isinstance(value, (list, set, dict)):
            assert getattr(twin, name) is not value, name
    twin.command_ids.add("not-recorded")
    twin.decisions.append("not-recorded")
    assert "not-recorded" not in cached.command_ids
    assert "not-recorded" not in cached.decisions


def test_each_new_event_names_the_stored_hash_of_the_one_before(ledger: Ledger) -> None:
    case_id = lodged(ledger, "CACHE-3")
    step(ledger, c.AssignProcedure(case_id, "REGULAR"), 3)
    ledger.repository.cache.get(case_id, evict=True)  # type: ignore[union-attr]
    # replayed from the store, then extended:
    step(ledger, c.RecordInterview(case_id, "INT-1", "ar"), 4)
    events = list(ledger.events.get(case_id))
    for before, after in zip(events, events[1:], strict=False):
        assert after.envelope.previous_hash == event_hash(before)
