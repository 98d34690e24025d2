"""Erasure and subject access over GraphQL (issue 12), on both backends: a data protection
officer erases a case's personal data on request; every read then shows them erased, with when
and why, while the legal trail and its proofs stay whole."""

from __future__ import annotations

from typing import Any

import pytest

from pact_ledger.wiring import Container
from tests.e2e.conftest import GraphQLClient
from tests.e2e.security_world import World, build_world

CASE = """query($id: ID!) { case(id: $id) {
  person { familyName givenNames dateOfBirth personId }
  personalData { status personId erasedAt erasureReason erasureArticle } } }"""
TIMELINE = "query($id: ID!) { caseTimeline(caseId: $id) { type payload } }"
AS_OF = """query($id: ID!) { caseAsOf(caseId: $id, version: 1) {
  person { familyName } personalData { status erasureReason } } }"""
ERASE = """mutation($input: ErasePersonalDataInput!) { erasePersonalData(input: $input) {
  __typename ... on CommandSucceeded { version replayed events { type legalBasis { act article } } }
  ... on CommandError { code message } } }"""
SUBJECT = "query($p: ID!) { subjectAccess(personId: $p) }"
FLAG = """mutation($input: RecordSecurityFlagInput!) { recordSecurityFlag(input: $input) {
  __typename ... on CommandError { code message } } }"""


@pytest.fixture
def world(container: Container) -> World:
    return build_world(container)


def _erase(client: GraphQLClient, case_id: str, basis: str = "NATURALISATION") -> Any:
    return client(ERASE, {"input": {"caseId": case_id, "basis": basis,
                                    "occurredAt": "2026-06-01T09:00:00Z"}})["erasePersonalData"]


def test_erasure_on_request_then_every_read_shows_it_erased(
        gql: GraphQLClient, container: Container, world: World) -> None:
    before = gql(CASE, {"id": world.italian})["case"]
    assert before["person"]["familyName"] == "Doe"
    assert before["personalData"]["status"] == "PRESENT"
    person_id = before["person"]["personId"]
    assert person_id == before["personalData"]["personId"]

    # Case workers, decision makers, auditors may not erase; a national DPO of another member
    # state does not even find the case.
    for role, state in (("CASE_WORKER", "IT"), ("AUDITOR", "EU"), ("ADMINISTRATOR", "EU")):
        assert _erase(gql.as_role(role, state), world.italian)["code"] == "FORBIDDEN"
    assert _erase(gql.as_role("DATA_PROTECTION_OFFICER", "DE"),
                  world.italian)["code"] == "CASE_NOT_FOUND"
    bad = gql.as_role("DATA_PROTECTION_OFFICER", "IT")(ERASE, {"input": {
        "caseId": "not-a-case", "basis": "NATURALISATION",
        "occurredAt": "2026-06-01T09:00:00Z"}})["erasePersonalData"]
    assert bad["code"] == "INVALID_INPUT"

    officer = gql.as_role("DATA_PROTECTION_OFFICER", "IT")
    done = _erase(officer, world.italian)
    assert done["__typename"] == "CommandSucceeded" and not done["replayed"]
    assert done["events"] == [{"type": "PersonalDataErased", "legalBasis": [
        {"act": "Eurodac Regulation (EU) 2024/1358", "article": "Art 29(4)"}]}]
    assert _erase(officer, world.italian, "DATA_SUBJECT_REQUEST")["replayed"]

    after = gql(CASE, {"id": world.italian})["case"]
    assert after["person"] == {"familyName": None, "givenNames": None, "dateOfBirth": None,
                               "personId": person_id}
    state = after["personalData"]
    assert (state["status"], state["erasureReason"]) == ("ERASED", "NATURALISATION")
    assert state["erasedAt"] and state["erasureArticle"].endswith("Art 29(4)")
    opened = gql(TIMELINE, {"id": world.italian})["caseTimeline"]
    assert opened[0]["payload"]["family_name"] is None
    assert opened[0]["payload"]["personal_data"]["status"] == "ERASED"
    assert "ciphertext" not in str(opened[0]["payload"])
    assert opened[-1]["type"] == "PersonalDataErased"
    assert [e["type"] for e in opened][:6] == [
        "CaseOpened", "ApplicationMade", "ApplicationRegistered", "ApplicationLodged",
        "ProcedureAssigned", "DecisionIssued"]
    as_of = gql(AS_OF, {"id": world.italian})["caseAsOf"]
    assert as_of == {"person": {"familyName": None},
                     "personalData": {"status": "ERASED", "erasureReason": "NATURALISATION"}}
    assert gql.as_role("AUDITOR", "EU")("{ verifyLedger { valid } }")["verifyLedger"]["valid"]


def test_free_text_is_shown_only_to_those_who_may_see_personal_data(
        gql: GraphQLClient, container: Container, world: World) -> None:
    grounds = "Grounds naming the person"
    flagged = gql(FLAG, {"input": {"caseId": world.italian, "reason": grounds,
                                   "occurredAt": "2026-04-02T09:00:00Z"}})["recordSecurityFlag"]
    assert flagged["__typename"] == "CommandSucceeded", flagged
    shown = gql(TIMELINE, {"id": world.italian})["caseTimeline"][-1]
    assert shown["type"] == "SecurityFlagRecorded" and shown["payload"]["reason"] == grounds
    hidden = gql.as_role("AUDITOR", "EU")(TIMELINE, {"id": world.italian})["caseTimeline"][-1]
    assert hidden["payload"]["reason"] is None
    assert hidden["payload"]["personal_data"]["status"] == "PRESENT"
    assert "ciphertext" not in str(hidden["payload"])


def test_subject_access_gives_everything_held_about_one_person(
        gql: GraphQLClient, container: Container, world: World) -> None:
    person_id = gql(CASE, {"id": world.italian})["case"]["person"]["personId"]  # logged read
    document = gql.as_role("DATA_PROTECTION_OFFICER", "IT")(SUBJECT, {"p": person_id})[
        "subjectAccess"]
    [case] = document["cases"]
    assert document["person_id"] == person_id and case["case"]["case_id"] == world.italian
    assert (case["personal_data"]["family_name"], case["personal_data"]["date_of_birth"]) == (
        "Doe", "1990-05-17")
    assert case["events"][0]["payload"]["given_names"] == "Jane"
    readers = [(a["subject"], a["via"]) for a in case["access_log"]]
    assert ("it-cw-01", "case.person") in readers  # who read the data, before this export
    assert ("it-dp-01", "subjectAccess") in readers  # and this export itself
    # Out of scope, or no such person: nothing, as for a case that does not exist.
    assert gql.as_role("DATA_PROTECTION_OFFICER", "EL")(SUBJECT, {"p": person_id})[
        "subjectAccess"] is None
    body = gql.as_role("AUDITOR", "EU").post(SUBJECT, {"p": person_id}).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_the_server_runs_the_erasure_schedule_in_the_background(settings: Any) -> None:
    """A served ledger erases what is due without anyone asking (Eurodac Art 29)."""
    import time
    from datetime import UTC, datetime

    from ledger.case import commands as c
    from ledger.command_meta import CommandMeta
    from pact_ledger.server import create_app
    from pact_ledger.wiring import build
    from tests.e2e.conftest import SECURITY
    from tests.support.acting import handle, principal
    from tests.support.clock import ManualClock
    from tests.support.live_server import live_server

    clock = ManualClock(datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    container = build(settings, clock=clock)
    try:
        meta = CommandMeta(actor=principal("CASE_WORKER"), occurred_at=clock.now)
        case_id = handle(container.commands, c.MakeApplication(
            "IT", "BG-1", "Roma", c.Person("SY", None, False, "Quokkanen", None)),
            meta).outcome.aggregate_id
        for command in (c.RegisterApplication(case_id), c.CaptureBiometrics(case_id, "APPLICANT",
                                                                             age=30),
                        c.TransmitToEurodac(case_id, "EU-BG-1")):
            handle(container.commands, command, meta)
        clock.set(datetime(2036, 6, 1, tzinfo=UTC))
        with live_server(create_app(container, SECURITY, erasure_interval=3600)):
            for _ in range(300):  # bounded: at most ~30 s
                view = container.personal.view(str(case_id))
                if view is not None and view.status == "ERASED":
                    break
                time.sleep(0.1)
                container.runner.catch_up()
        view = container.personal.view(str(case_id))
        assert view is not None and view.status == "ERASED"
        assert view.basis is not None and view.basis.code == "RETENTION_ENDED"
    finally:
        container.close()


REPORT = """query($p: ID!) { subjectAccessReport(personId: $p) { format personId producedAt
  producedBy { id role } cases { case { caseId memberState }
    personalData { status personId familyName givenNames dateOfBirth }
    events { type details { __typename ... on CaseOpenedDetails { familyName givenNames } } }
    accessLog { subject via fields } } } }"""


def test_the_subject_access_report_is_typed(
        gql: GraphQLClient, container: Container, world: World) -> None:
    person_id = gql(CASE, {"id": world.italian})["case"]["person"]["personId"]  # logged read
    officer = gql.as_role("DATA_PROTECTION_OFFICER", "IT")
    report = officer(REPORT, {"p": person_id})["subjectAccessReport"]
    assert report["personId"] == person_id and report["producedAt"].endswith("+00:00")
    assert report["producedBy"] == {"id": "it-dp-01", "role": "DATA_PROTECTION_OFFICER"}
    [case] = report["cases"]
    assert case["case"] == {"caseId": world.italian, "memberState": "IT"}
    assert case["personalData"] == {"status": "PRESENT", "personId": person_id,
                                    "familyName": "Doe", "givenNames": "Jane",
                                    "dateOfBirth": "1990-05-17"}
    # the events' personal data opened for the data subject's request (the officer's role may
    # not read personal data elsewhere), and logged once, as the report
    assert case["events"][0]["details"] == {"__typename": "CaseOpenedDetails",
                                            "familyName": "Doe", "givenNames": "Jane"}
    readers = [(a["subject"], a["via"]) for a in case["accessLog"]]
    assert ("it-cw-01", "case.person") in readers
    assert ("it-dp-01", "subjectAccessReport") in readers
    assert not any(via.startswith("subjectAccessReport.") for _, via in readers)
    assert gql.as_role("DATA_PROTECTION_OFFICER", "EL")(REPORT, {"p": person_id})[
        "subjectAccessReport"] is None
    body = gql.as_role("AUDITOR", "EU").post(REPORT, {"p": person_id}).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
