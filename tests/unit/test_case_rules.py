"""The case's rules, on the in-memory event store: each refusal names its rule and article and
records nothing; each allowed flow leaves the state the law describes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.case.aggregate import Case
from ledger.command_meta import CommandMeta
from ledger.errors import CaseAlreadyExists, CaseNotFound, InvalidInput
from ledger.rules import RULES
from ledger.vocabulary import CaseStatus
from tests.support.acting import handle
from tests.support.flows import rejected_with_return, run, screened_applicant
from tests.support.refusals import refused
from tests.support.steps import T0, at


@pytest.fixture
def ledger() -> Iterator[Ledger]:
    app = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    yield app
    app.close()


def test_screening_opens_a_case_with_a_deterministic_id(ledger: Ledger) -> None:
    outcome = run(ledger, c.StartScreening("IT", "R-1", c.Person("SY"), "SEARCH_AND_RESCUE",
                                           "Lampedusa"), 0)
    assert outcome.aggregate_id == Case.create_id("IT", "R-1")
    assert outcome.event_types == ("CaseOpened", "ScreeningStarted")
    case = ledger.get_case(outcome.aggregate_id)
    assert case.status is CaseStatus.SCREENING
    assert case.screening_trigger == "SEARCH_AND_RESCUE"


def test_the_same_case_cannot_be_opened_twice(ledger: Ledger) -> None:
    command = c.StartScreening("IT", "R-1", c.Person("SY"), "SEARCH_AND_RESCUE", "Lampedusa")
    run(ledger, command, 0)
    with pytest.raises(CaseAlreadyExists):
        run(ledger, command, 1)
    assert ledger.recorder.max_notification_id() == 2


def test_same_reference_in_another_member_state_is_another_case(ledger: Ledger) -> None:
    a = run(ledger, c.MakeApplication("IT", "R-1", "Rome", c.Person("SY")), 0)
    b = run(ledger, c.MakeApplication("EL", "R-1", "Athens", c.Person("SY")), 0)
    assert a.aggregate_id != b.aggregate_id


def test_a_full_regular_procedure_to_protection(ledger: Ledger) -> None:
    case_id = screened_applicant(ledger, "R-2")
    run(ledger, c.AssignProcedure(case_id, "REGULAR"), 7)
    run(ledger, c.IssueDecision(case_id, "REFUGEE_STATUS", "QR Art 13",
                                T0 + timedelta(days=90)), 90)
    refused(ledger, c.CloseCase(case_id, "PROTECTION_GRANTED"), 91, "CLOSURE_REASON_NOT_MET")
    run(ledger, c.DeclareDecisionFinal(case_id), 91)  # not appealable: final at once
    run(ledger, c.CloseCase(case_id, "PROTECTION_GRANTED"), 95)
    case = ledger.get_case(case_id)
    assert case.status is CaseStatus.CLOSED
    assert case.standing_decision["decision_type"] == "REFUGEE_STATUS"


def test_decision_before_lodging_is_refused(ledger: Ledger) -> None:
    run(ledger, c.MakeApplication("IT", "R-3", "Rome", c.Person("SY")), 0)
    case_id = Case.create_id("IT", "R-3")
    run(ledger, c.RegisterApplication(case_id), 1)
    refused(ledger, c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39"), 2,
            "DECISION_REQUIRES_EXAMINATION")


def test_implicit_withdrawal_is_possible_once_registered(ledger: Ledger) -> None:
    run(ledger, c.MakeApplication("IT", "R-4", "Rome", c.Person("SY")), 0)
    case_id = Case.create_id("IT", "R-4")
    refused(ledger, c.IssueDecision(case_id, "IMPLICITLY_WITHDRAWN", "APR Art 41(1)(a)"), 1,
            "WITHDRAWAL_REQUIRES_REGISTRATION")
    run(ledger, c.RegisterApplication(case_id), 1)
    run(ledger, c.IssueDecision(case_id, "IMPLICITLY_WITHDRAWN", "APR Art 41(1)(a)",
                                return_exception="Pending humanitarian permit"), 30)
    assert ledger.get_case(case_id).status is CaseStatus.DECIDED


def test_registration_needs_a_made_application_and_the_end_of_screening(
    ledger: Ledger,
) -> None:
    run(ledger, c.StartScreening("IT", "R-5", c.Person("SY"), "IRREGULAR_CROSSING", "Trieste"), 0)
    case_id = Case.create_id("IT", "R-5")
    refused(ledger, c.RegisterApplication(case_id), 1, "REGISTRATION_REQUIRES_APPLICATION")
    run(ledger, c.MakeApplication("IT", "R-5", "Trieste"), 1)
    refused(ledger, c.RegisterApplication(case_id), 2, "SCREENING_IN_PROGRESS")


def test_referral_to_registration_needs_an_application(ledger: Ledger) -> None:
    run(ledger, c.StartScreening("IT", "R-6", c.Person("TN"), "IRREGULAR_CROSSING", "Bari"), 0)
    case_id = Case.create_id("IT", "R-6")
    refused(ledger, c.CompleteScreening(case_id, "REFER_TO_REGISTRATION", "SF"), 1,
            "REFERRAL_REQUIRES_APPLICATION")
    run(ledger, c.CompleteScreening(case_id, "REFER_TO_RETURN", "SF"), 1)
    assert ledger.get_case(case_id).status is CaseStatus.REFERRED_TO_RETURN
    refused(ledger, c.CompleteScreening(case_id, "REFER_TO_RETURN", "SF"), 2,
            "SCREENING_NOT_IN_PROGRESS")
    run(ledger, c.IssueReturnDecision(case_id, 7), 3)
    assert ledger.get_case(case_id).return_decision_issued


def test_lodging_needs_registration_and_happens_once(ledger: Ledger) -> None:
    case_id = screened_applicant(ledger, "R-7")
    refused(ledger, c.LodgeApplication(case_id), 8, "LODGING_REQUIRES_REGISTRATION")


def test_border_procedure_may_start_at_registration(ledger: Ledger) -> None:
    run(ledger, c.MakeApplication("EL", "R-8", "Samos", c.Person("PK")), 0)
    case_id = Case.create_id("EL", "R-8")
    run(ledger, c.RegisterApplication(case_id), 1)
    refused(ledger, c.AssignProcedure(case_id, "REGULAR"), 2, "PROCEDURE_REQUIRES_LODGING")
    run(ledger, c.AssignProcedure(case_id, "BORDER", ("APR Art 45(1)(c)",)), 2)
    run(ledger, c.LodgeApplication(case_id), 3)
    refused(ledger, c.AssignProcedure(case_id, "REGULAR"), 4, "PROCEDURE_ALREADY_ASSIGNED")
    refused(ledger, c.IssueDecision(case_id, "MANIFESTLY_UNFOUNDED", "APR Art 39(3)"), 30,
            "REJECTION_WITHOUT_RETURN")
    run(ledger, c.IssueDecision(case_id, "MANIFESTLY_UNFOUNDED", "APR Art 39(3)",
                                with_return_decision=True), 30)


def test_appeal_needs_a_decision(ledger: Ledger) -> None:
    case_id = screened_applicant(ledger, "R-9")
    refused(ledger, c.LodgeAppeal(case_id, "Tribunale di Palermo"), 8,
            "APPEAL_REQUIRES_DECISION")


def test_appeal_needs_notification_and_an_appealable_decision(ledger: Ledger) -> None:
    case_id = screened_applicant(ledger, "R-10")
    run(ledger, c.AssignProcedure(case_id, "REGULAR"), 7)
    run(ledger, c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39", with_return_decision=True),
        60)
    refused(ledger, c.LodgeAppeal(case_id, "Tribunale"), 61, "DECISION_NOT_NOTIFIED")
    run(ledger, c.NotifyDecision(case_id), 61)
    run(ledger, c.LodgeAppeal(case_id, "Tribunale"), 62)

    granted = screened_applicant(ledger, "R-11")
    run(ledger, c.AssignProcedure(granted, "REGULAR"), 7)
    run(ledger, c.IssueDecision(granted, "REFUGEE_STATUS", "QR", T0 + timedelta(days=60)), 60)
    refused(ledger, c.LodgeAppeal(granted, "Tribunale"), 61, "DECISION_NOT_APPEALABLE")


def test_appeal_lifecycle_upheld_overturned_remitted(ledger: Ledger) -> None:
    case_id = rejected_with_return(ledger, "R-12")
    run(ledger, c.LodgeAppeal(case_id, "Tribunale di Catania"), 45)
    assert ledger.get_case(case_id).appeals[0]["suspensive"] is False  # accelerated: Art 68(3)
    refused(ledger, c.LodgeAppeal(case_id, "Tribunale"), 46, "APPEAL_ALREADY_PENDING")
    refused(ledger, c.DecideAppeal(case_id, "OVERTURNED"), 80,
            "SUBSTITUTED_DECISION_INVALID")
    refused(ledger, c.DecideAppeal(case_id, "OVERTURNED", "IMPLICITLY_WITHDRAWN"), 80,
            "SUBSTITUTED_DECISION_INVALID")
    run(ledger, c.DecideAppeal(case_id, "REMITTED"), 80)
    case = ledger.get_case(case_id)
    assert case.status is CaseStatus.UNDER_EXAMINATION and case.standing_decision is None
    refused(ledger, c.DecideAppeal(case_id, "UPHELD"), 81, "NO_APPEAL_PENDING")

    run(ledger, c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39", T0 + timedelta(days=120),
                                with_return_decision=True), 120)
    run(ledger, c.LodgeAppeal(case_id, "Tribunale di Catania"), 125)
    run(ledger, c.DecideAppeal(case_id, "OVERTURNED", "SUBSIDIARY_PROTECTION"), 200)
    case = ledger.get_case(case_id)
    assert case.standing_decision["decision_type"] == "SUBSIDIARY_PROTECTION"
    assert case.standing_decision["by_court"] is True
    assert [a["outcome"] for a in case.appeals] == ["REMITTED", "OVERTURNED"]


def test_return_decision_needs_a_rejection(ledger: Ledger) -> None:
    case_id = screened_applicant(ledger, "R-13")
    refused(ledger, c.IssueReturnDecision(case_id), 8, "RETURN_REQUIRES_REJECTION")
    rejected = rejected_with_return(ledger, "R-14")
    refused(ledger, c.IssueReturnDecision(rejected), 41, "RETURN_DECISION_ALREADY_ISSUED")


def test_nothing_after_closure(ledger: Ledger) -> None:
    case_id = rejected_with_return(ledger, "R-15")
    refused(ledger, c.CloseCase(case_id, "PROTECTION_GRANTED"), 50, "CLOSURE_REASON_NOT_MET")
    refused(ledger, c.CloseCase(case_id, "RETURNED"), 50, "CLOSURE_REASON_NOT_MET")
    run(ledger, c.EndRightToRemain(case_id, "No automatic suspensive effect (Art 68(3))"), 50)
    run(ledger, c.RecordReturn(case_id, "BD"), 52)
    run(ledger, c.CloseCase(case_id, "RETURNED"), 53)
    refused(ledger, c.LodgeAppeal(case_id, "Tribunale"), 54, "CASE_CLOSED")
    refused(ledger, c.MakeApplication("IT", "R-15", "Rome"), 54, "CASE_CLOSED")


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
