"""The ledger's repository replays a stream as the library's `project_aggregate` does, without
its runtime protocol check per event (`ledger.repository`)."""

from __future__ import annotations

from copy import deepcopy
from uuid import uuid4

import pytest
from eventsourcing.application import project_aggregate

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.case.aggregate import Case
from ledger.errors import CaseNotFound
from ledger.repository import LedgerRepository, replayed
from tests.support.acting import handle
from tests.support.cases import step
from tests.support.steps import at


def _case(ledger: Ledger) -> Case:
    handle(ledger, c.StartScreening("IT", "REPO-1", c.Person("SY"), "SEARCH_AND_RESCUE",
                                   "Pozzallo hotspot"), at(0))
    step(ledger, c.MakeApplication("IT", "REPO-1", "Pozzallo hotspot"), 0.5)
    return ledger.get_case(Case.create_id("IT", "REPO-1"))


def test_replaying_a_stream_gives_what_the_library_gives(ledger: Ledger) -> None:
    case = _case(ledger)
    events = list(ledger.events.get(case.id))
    assert len(events) >= 3
    ours, theirs = replayed(None, deepcopy(events)), project_aggregate(None, deepcopy(events))
    assert ours == theirs and ours.version == len(events)
    assert vars(ours) == vars(theirs)
    assert replayed(None, []) is None


def test_the_ledger_loads_through_it_at_any_version(ledger: Ledger) -> None:
    assert isinstance(ledger.repository, LedgerRepository)
    case = _case(ledger)
    events = list(ledger.events.get(case.id))
    for version in range(1, len(events) + 1):
        loaded = ledger.get_case(case.id, version=version)
        assert loaded == project_aggregate(None, events[:version])
    # a projector passed by a caller is still the one used
    seen: list[int] = []

    def counting(aggregate: object, stream: object) -> object:
        listed = list(stream)  # type: ignore[call-overload]
        seen.append(len(listed))
        return project_aggregate(aggregate, listed)  # type: ignore[arg-type]

    ledger.repository.get(case.id, version=2, projector_func=counting)
    assert seen == [2]


def test_a_case_not_held_gives_its_member_state_from_its_opening_event(ledger: Ledger) -> None:
    """The scope check of a command on a case this process does not hold reads the opening
    event alone: the case is not loaded (the command replays it once, afterwards)."""
    case_id = _case(ledger).id
    ledger.decided.take(case_id)  # (as in another process, or long after)
    ledger._member_states.clear()  # noqa: SLF001
    cache = ledger.repository.cache
    assert cache is not None
    cache.cache.pop(case_id, None)
    assert ledger.member_state_of(case_id) == "IT"
    assert case_id not in cache.cache  # not loaded through the repository
    with pytest.raises(CaseNotFound):
        ledger.member_state_of(uuid4())
