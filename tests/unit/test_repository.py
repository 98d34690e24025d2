"""The ledger's repository replays a stream as the library's `project_aggregate` does, without
its runtime protocol check per event (`ledger.repository`)."""

from __future__ import annotations

from copy import deepcopy

from eventsourcing.application import project_aggregate

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.case.aggregate import Case
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
