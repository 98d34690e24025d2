"""The explicit tables stay complete: a command without a handler, an event outside the
catalogue or without a declared phase, a phase package missing a part, fails here.

(A command without a policy row fails `test_policy`; a rule without a test fails
`test_case_rule_coverage`; a command without a property-test builder fails
`test_case_properties`; mutations are generated from `CASE_COMMANDS`.)
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import ledger.case
from ledger.case.commands import CASE_COMMANDS
from ledger.case.event_base import CaseEvent
from ledger.case.events import CASE_EVENT_TYPES, phase_of
from ledger.case.handlers import CASE_HANDLERS
from ledger.case.phase import Phase
from ledger.crisis.commands import CRISIS_COMMANDS
from ledger.crisis.handlers import CRISIS_HANDLERS
from ledger.handlers import COMMAND_HANDLERS
from ledger.reference_data.commands import REFERENCE_COMMANDS
from ledger.reference_data.handlers import REFERENCE_HANDLERS
from ledger.resettlement.commands import RESETTLEMENT_COMMANDS
from ledger.resettlement.events import RESETTLEMENT_EVENT_TYPES, ResettlementEvent
from ledger.resettlement.handlers import RESETTLEMENT_HANDLERS
from ledger.solidarity.event_types import SOLIDARITY_EVENT_TYPES
from ledger.solidarity.events import SolidarityEvent
from ledger.solidarity.handlers import SOLIDARITY_HANDLERS

PHASE_PACKAGES = sorted(p.name for p in Path(ledger.case.__file__).parent.iterdir()
                        if (p / "__init__.py").exists())


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_subclasses(s) for s in cls.__subclasses__()))


def test_every_phase_is_a_package_and_every_package_a_phase() -> None:
    assert PHASE_PACKAGES == sorted(p.name.lower() for p in Phase)


@pytest.mark.parametrize("package", PHASE_PACKAGES)
def test_a_phase_holds_its_commands_events_steps_and_handlers(package: str) -> None:
    commands = importlib.import_module(f"ledger.case.{package}.commands").COMMANDS
    events = importlib.import_module(f"ledger.case.{package}.events").EVENTS
    handlers = importlib.import_module(f"ledger.case.{package}.handlers").HANDLERS
    importlib.import_module(f"ledger.case.{package}.steps")
    assert commands and events
    assert set(handlers) == set(commands)
    assert {phase_of(e) for e in events} == {Phase[package.upper()]}
    assert all(e.__module__ == f"ledger.case.{package}.events" for e in events)


def test_every_case_command_is_in_one_phase_and_in_the_api_table() -> None:
    by_phase = [c for p in PHASE_PACKAGES
                for c in importlib.import_module(f"ledger.case.{p}.commands").COMMANDS]
    assert sorted(by_phase, key=str) == sorted(CASE_COMMANDS, key=str)
    assert len(set(CASE_COMMANDS)) == len(CASE_COMMANDS)


def test_every_command_has_exactly_one_handler() -> None:
    tables = (CASE_HANDLERS, SOLIDARITY_HANDLERS, CRISIS_HANDLERS, REFERENCE_HANDLERS,
              RESETTLEMENT_HANDLERS)
    assert sum(len(t) for t in tables) == len(COMMAND_HANDLERS)
    assert set(CASE_HANDLERS) == set(CASE_COMMANDS)
    assert set(CRISIS_HANDLERS) == set(CRISIS_COMMANDS)
    assert set(REFERENCE_HANDLERS) == set(REFERENCE_COMMANDS)
    assert set(RESETTLEMENT_HANDLERS) == set(RESETTLEMENT_COMMANDS)


def test_every_case_event_is_in_the_catalogue_with_a_declared_phase() -> None:
    concrete = {cls for cls in _subclasses(CaseEvent)
                if cls.__module__.endswith(".events") and "TOPIC" in vars(cls)}
    assert concrete == set(CASE_EVENT_TYPES.values())
    for name, cls in CASE_EVENT_TYPES.items():
        assert cls.TOPIC == f"pact-ledger:case.{name}"
        assert isinstance(phase_of(cls), Phase)
    assert phase_of(CASE_EVENT_TYPES["ApplicationMade"]) == "ACCESS"  # the timeline's name


def test_every_solidarity_event_is_in_its_catalogue() -> None:
    concrete = {cls for cls in _subclasses(SolidarityEvent) if "TOPIC" in vars(cls)}
    assert concrete == set(SOLIDARITY_EVENT_TYPES.values())
    assert all(cls.TOPIC == f"pact-ledger:solidarity.{name}"
               for name, cls in SOLIDARITY_EVENT_TYPES.items())


def test_every_resettlement_event_is_in_its_catalogue() -> None:
    concrete = {cls for cls in _subclasses(ResettlementEvent) if "TOPIC" in vars(cls)}
    assert concrete == set(RESETTLEMENT_EVENT_TYPES.values())
    assert all(cls.TOPIC == f"pact-ledger:resettlement.{name}"
               for name, cls in RESETTLEMENT_EVENT_TYPES.items())


def test_no_two_phase_mixins_define_the_same_name() -> None:
    """The Case's phase mixins share one namespace: a helper named alike in two phases would
    silently give every caller the first base's version (two `_applicant`s once did)."""
    from ledger.case.aggregate import Case
    from ledger.case.state import CaseState

    owners: dict[str, list[str]] = {}
    for base in Case.__mro__:
        if base is CaseState or not issubclass(base, CaseState) or base is Case:
            continue
        for name in vars(base):
            if not name.startswith("__"):
                owners.setdefault(name, []).append(base.__name__)
    shared = {name: bases for name, bases in owners.items() if len(bases) > 1}
    assert not shared, shared
