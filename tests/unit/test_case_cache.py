"""The write path's cases: a saved case is kept (`Ledger.decided`) at its stored version and lent
to the next command without a copy or a read; a refused or failed command never leaves a
changed case there; a case another writer changed meanwhile is decided on as stored; the copy
the repository hands out shares nothing mutable with its cached case; and each event's hash (the
next event's `previous_hash`) is the hash of the event as stored."""

from __future__ import annotations

import contextlib
import copy
from uuid import UUID

import pytest

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.errors import LedgerError
from ledger.integrity import event_hash
from tests.support.cases import decide, lodged, step


def stored(ledger: Ledger, case_id: UUID) -> list[object]:
    return list(ledger.events.get(case_id))


def assert_chained(ledger: Ledger, case_id: UUID) -> None:
    events = stored(ledger, case_id)
    assert [e.originator_version for e in events] == list(range(1, len(events) + 1))
    for before, after in zip(events, events[1:], strict=False):
        assert after.envelope.previous_hash == event_hash(before)


def pooled_at_an_older_version(ledger: Ledger, case_id: UUID, command: object, when: float
                               ) -> None:
    """As when another process records `command` while this one keeps the case it saved."""
    older = ledger.decided.take(case_id)
    assert older is not None
    step(ledger, command, when)  # not lent (not pooled): read from the store
    ledger.decided.discard(case_id)
    ledger.decided.give_back(older)


def test_a_saved_case_is_kept_at_its_stored_version(ledger: Ledger) -> None:
    case_id = lodged(ledger, "CACHE-1")
    kept = ledger.decided.take(case_id)
    assert kept is not None
    assert kept.version == len(stored(ledger, case_id))
    assert kept.last_hash == event_hash(stored(ledger, case_id)[-1])


def test_a_refused_command_gives_back_the_case_unchanged(ledger: Ledger) -> None:
    case_id = lodged(ledger, "CACHE-2")
    kept = ledger.decided.take(case_id)
    ledger.decided.give_back(kept)
    with pytest.raises(LedgerError):
        decide(ledger, case_id, "UNFOUNDED")  # no procedure assigned: refused
    assert ledger.decided.take(case_id) is kept
    assert kept.version == len(stored(ledger, case_id)) and not kept.pending_events


def test_a_command_that_fails_before_its_commit_leaves_no_changed_case(ledger: Ledger) -> None:
    case_id = lodged(ledger, "CACHE-3")
    version = len(stored(ledger, case_id))

    def deadline_passed() -> None:
        raise TimeoutError("deadline")

    ledger.before_commit = deadline_passed
    with pytest.raises(TimeoutError):
        step(ledger, c.AssignProcedure(case_id, "REGULAR"), 3)
    assert case_id not in ledger.decided
    assert len(stored(ledger, case_id)) == version
    ledger.before_commit = lambda: None
    step(ledger, c.AssignProcedure(case_id, "REGULAR"), 3)
    assert_chained(ledger, case_id)


def test_a_case_another_writer_extended_is_decided_again_as_stored(ledger: Ledger) -> None:
    case_id = lodged(ledger, "CACHE-4")
    pooled_at_an_older_version(ledger, case_id, c.AssignProcedure(case_id, "REGULAR"), 3)
    # allowed on both versions: the insert of the older version's next event is refused
    step(ledger, c.RecordInterview(case_id, "INT-1", "ar"), 4)
    assert [type(e).__name__ for e in stored(ledger, case_id)][-2:] == [
        "ProcedureAssigned", "InterviewHeld"]
    assert_chained(ledger, case_id)
    assert ledger.decided.take(case_id).version == len(stored(ledger, case_id))


def test_a_refusal_on_an_older_version_is_decided_again_as_stored(ledger: Ledger) -> None:
    case_id = lodged(ledger, "CACHE-5")
    pooled_at_an_older_version(ledger, case_id, c.AssignProcedure(case_id, "REGULAR"), 3)
    # refused on the older version (no procedure yet), allowed on the stored one
    assert "DecisionIssued" in decide(ledger, case_id, "UNFOUNDED")
    assert_chained(ledger, case_id)


def test_the_copy_shares_nothing_mutable_with_the_cached_case(ledger: Ledger) -> None:
    case_id = lodged(ledger, "CACHE-6")
    cached = ledger.get_case(case_id)
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
    case_id = lodged(ledger, "CACHE-7")
    step(ledger, c.AssignProcedure(case_id, "REGULAR"), 3)
    ledger.decided.discard(case_id)
    with contextlib.suppress(KeyError):
        ledger.repository.cache.get(case_id, evict=True)  # type: ignore[union-attr]
    # replayed from the store, then extended:
    step(ledger, c.RecordInterview(case_id, "INT-1", "ar"), 4)
    assert_chained(ledger, case_id)
