"""What every step of a case shares (`ledger/case/guards.py`, `ledger.application`): legal
time late but never future nor out of order, retried commands recorded once, the envelope,
unknown cases, malformed input named field by field, and every rule citing its source."""

from __future__ import annotations

import pytest

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.case.aggregate import Case
from ledger.command_meta import CommandMeta
from ledger.errors import CaseNotFound, InvalidInput
from ledger.rules import RULES
from tests.support.acting import handle
from tests.support.flows import run, screened_applicant
from tests.support.refusals import refused
from tests.support.steps import T0, at


def test_legal_time_can_be_late_but_not_future_nor_out_of_order(ledger: Ledger) -> None:
    case_id = screened_applicant(ledger, "R-16")
    refused(ledger, c.AssignProcedure(case_id, "REGULAR"), 5, "OCCURRED_BEFORE_PREVIOUS_STEP")
    future = (ledger.clock() - T0).days + 2
    refused(ledger, c.AssignProcedure(case_id, "REGULAR"), future, "OCCURRED_IN_FUTURE")
    run(ledger, c.AssignProcedure(case_id, "REGULAR"), 6)  # same legal day as lodging: fine


def test_a_retried_command_is_recorded_once(ledger: Ledger) -> None:
    first = handle(ledger, c.MakeApplication("IT", "R-17", "Rome", c.Person("AF")),
                          at(0, command_id="cmd-1"))
    again = handle(ledger, c.MakeApplication("IT", "R-17", "Rome", c.Person("AF")),
                          at(0, command_id="cmd-1"))
    assert again.replayed and not first.replayed
    assert again.positions == () and again.version == first.version
    assert ledger.recorder.max_notification_id() == 2


def test_envelope_records_actor_basis_and_ids(ledger: Ledger) -> None:
    meta = at(0, command_id="cmd-9", correlation_id="corr-1", evidence_refs=("doc-1",))
    outcome = handle(ledger, c.MakeApplication("IT", "R-18", "Rome", c.Person("AF")), meta)
    events = list(ledger.events.get(outcome.aggregate_id))
    envelope = events[-1].envelope
    assert envelope.actor == meta.actor
    assert envelope.occurred_at == meta.occurred_at
    assert str(envelope.legal_basis[0]) == "APR (EU) 2024/1348 Art 26"
    assert (envelope.command_id, envelope.correlation_id, envelope.causation_id) == (
        "cmd-9", "corr-1", "cmd-9")
    assert envelope.evidence_refs == ("doc-1",)
    assert events[-1].timestamp >= T0  # recorded_at, set by the ledger


def test_unknown_case_is_reported(ledger: Ledger) -> None:
    with pytest.raises(CaseNotFound):
        run(ledger, c.RegisterApplication(Case.create_id("IT", "nope")), 0)


def test_malformed_input_names_every_field(ledger: Ledger) -> None:
    with pytest.raises(InvalidInput) as caught:
        run(ledger, c.StartScreening("GR", "", c.Person("Syria"), "BY_AIR", "x" * 300), 0)
    fields = {p.field for p in caught.value.problems}
    assert fields == {"memberState", "nationalReference", "person.nationality", "trigger",
                      "location"}
    assert ledger.recorder.max_notification_id() is None


def test_naive_times_are_refused(ledger: Ledger) -> None:
    meta = at(0)
    naive = CommandMeta(actor=meta.actor, occurred_at=meta.occurred_at.replace(tzinfo=None))
    with pytest.raises(InvalidInput) as caught:
        handle(ledger, c.MakeApplication("IT", "R-19", "Rome", c.Person("AF")), naive)
    assert caught.value.problems[0].field == "occurredAt"


def test_every_rule_cites_a_source() -> None:
    assert len(RULES) > 60
    for rule in RULES.values():
        assert rule.code.isupper() and rule.article and rule.summary
