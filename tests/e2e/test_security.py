"""Who may see and do what, attacked over HTTP on both backends: every role tries the writes
and reads it must not make and is refused; member-state scope; personal data null for auditors
and logged for case workers; nothing refused leaves a trace but in the access log."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.authorization.policy import may_read, may_run
from pact_ledger.wiring import Container
from tests.e2e.conftest import GraphQLClient
from tests.e2e.security_world import (
    OPEN,
    PRINCIPALS,
    READS,
    World,
    build_world,
    mutation,
    writes,
)
from tests.support.acting import principal

PERSON = "query($id: ID!) { case(id: $id) { caseId person { familyName givenNames } } }"
TIMELINE = "query($id: ID!) { caseTimeline(caseId: $id) { type payload } }"
LOG = """query($id: ID) { accessLog(caseId: $id) {
  edges { node { subject role memberState caseId caseMemberState fields via } } } }"""


@pytest.fixture
def world(container: Container) -> World:
    return build_world(container)


def refused_everything(gql: GraphQLClient, world: World) -> int:
    """Every principal tries every write and read it may not make; returns how many."""
    attempts = 0
    for role, member_state in PRINCIPALS:
        client, actor = gql.as_role(role, member_state), principal(role, member_state)
        for command, name, input in writes(world):
            if may_run(actor, command):
                continue
            result = client(mutation(name), {"input": input})[name]
            assert (result["__typename"], result["code"]) == ("Forbidden", "FORBIDDEN"), (
                role, name, result)
            attempts += 1
        for what, queries in READS.items():
            if may_read(actor, what):
                continue
            for query in queries:
                body = client.post(query, {"it": world.italian}).json()
                assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (role, query)
                assert not any((body.get("data") or {}).values()), (role, query, body)
                attempts += 1
        assert client(OPEN)["rules"]
    return attempts


def test_every_role_is_refused_what_it_may_not_do_and_nothing_is_recorded(
        gql: GraphQLClient, container: Container, world: World) -> None:
    events, accesses = container.ledger.recorder.max_notification_id(), container.access_log.count()
    assert refused_everything(gql, world) > 80
    assert container.ledger.recorder.max_notification_id() == events
    assert container.access_log.count() == accesses
    # A case worker's read of personal data is the only thing that leaves a trace: in the log.
    gql(PERSON, {"id": world.italian})
    assert container.ledger.recorder.max_notification_id() == events
    assert container.access_log.count() == accesses + 1


def test_another_member_states_cases_are_out_of_reach(gql: GraphQLClient, container: Container,
                                                      world: World) -> None:
    events = container.ledger.recorder.max_notification_id()
    german = gql.as_role("CASE_WORKER", "DE")
    assert german(PERSON, {"id": world.italian})["case"] is None
    assert german("{ cases(first: 5, filter: {memberState: IT}) { totalCount edges { cursor } } }"
                  )["cases"] == {"totalCount": 0, "edges": []}
    assert german("{ cases(first: 5) { totalCount } }")["cases"]["totalCount"] == 0
    assert german(TIMELINE, {"id": world.italian})["caseTimeline"] == []
    assert german("query($id: ID!) { caseDeadlines(caseId: $id) { rule } }",
                  {"id": world.italian})["caseDeadlines"] == []
    assert german("{ deadlines(first: 5) { totalCount } }")["deadlines"]["totalCount"] == 0
    italian = gql("{ cases(first: 5) { edges { node { memberState } } } }")["cases"]["edges"]
    assert [e["node"]["memberState"] for e in italian] == ["IT"]  # not the Greek case
    # Writes: a case of another member state is refused exactly like one that does not exist.
    for role, name, input in [
        ("CASE_WORKER", "closeCase", {"caseId": world.italian, "reason": "WITHDRAWN"}),
        ("APPEAL_BODY", "lodgeAppeal", {"caseId": world.italian, "appealBody": "Gericht"}),
    ]:
        result = gql.as_role(role, "DE")(mutation(name), {"input": {
            **input, "occurredAt": "2026-06-01T09:00:00Z"}})[name]
        assert result["__typename"] == "CaseNotFound"
        assert result["message"] == f"No case with id {world.italian}"
    opened = gql(mutation("makeApplication"), {"input": {
        "memberState": "EL", "nationalReference": "SEC-3", "place": "Samos",
        "person": {"nationality": "AF"}, "occurredAt": "2026-06-01T09:00:00Z"}})
    assert opened["makeApplication"]["message"] == "A principal of IT may not record for EL"
    pledge = gql.as_role("SOLIDARITY_COORDINATOR", "IT")(mutation("makeSolidarityPledge"), {
        "input": {"year": 2026, "memberState": "DE", "kind": "FINANCIAL", "amountCents": "1",
                  "occurredAt": "2025-11-26T10:00:00Z"}})["makeSolidarityPledge"]
    assert pledge["__typename"] == "Forbidden"
    assert container.ledger.recorder.max_notification_id() == events


def _log(gql: GraphQLClient, case_id: str | None = None) -> list[dict[str, Any]]:
    return [e["node"] for e in gql(LOG, {"id": case_id})["accessLog"]["edges"]]


def test_personal_data_is_null_for_auditors_and_logged_for_case_workers(
        gql: GraphQLClient, container: Container, world: World) -> None:
    auditor = gql.as_role("AUDITOR", "EU")
    assert auditor(PERSON, {"id": world.italian})["case"] == {"caseId": world.italian,
                                                              "person": None}
    opened = auditor(TIMELINE, {"id": world.italian})["caseTimeline"][0]
    assert opened["type"] == "CaseOpened" and opened["payload"]["family_name"] is None
    assert opened["payload"]["date_of_birth"] is None and opened["payload"]["nationality"] == "SY"
    assert _log(auditor) == []  # no personal data was read

    assert gql(PERSON, {"id": world.italian})["case"]["person"] == {"familyName": "Doe",
                                                                    "givenNames": "Jane"}
    officer = gql.as_role("DECISION_MAKER")
    assert officer(TIMELINE, {"id": world.italian})["caseTimeline"][0]["payload"][
        "given_names"] == "Jane"
    logged = _log(auditor, world.italian)
    assert logged == [
        {"subject": "it-dm-01", "role": "DECISION_MAKER", "memberState": "IT",
         "caseId": world.italian, "caseMemberState": "IT",
         "fields": ["dateOfBirth", "familyName", "givenNames"], "via": "caseTimeline.0.payload"},
        {"subject": "it-cw-01", "role": "CASE_WORKER", "memberState": "IT",
         "caseId": world.italian, "caseMemberState": "IT", "fields": ["familyName", "givenNames"],
         "via": "case.person"}]
    assert _log(gql.as_role("AUDITOR", "IT")) == logged  # a national auditor: its own cases
    assert _log(gql.as_role("AUDITOR", "DE")) == []
    for statement in ("DELETE FROM access_log", "UPDATE access_log SET subject = 'nobody'"):
        with container.db.transaction() as tx:  # the log refuses to be rewritten
            with pytest.raises(Exception, match="append-only"):
                tx.execute(statement)
    assert len(_log(auditor)) == 2


PAGE_PEOPLE = {
    # plainly edges { node { person } }: opened with the page, in its one worker-thread trip
    "ahead": ("query { cases(first: 20) { edges { node { caseId person { familyName } } } } }",
              "cases.edges.{i}.node.person", ["familyName"]),
    # aliases: the paths the response has
    "aliased": ("query { c: cases(first: 20) { e: edges { n: node { caseId "
                "p: person { givenNames familyName } } } } }", "c.e.{i}.n.p",
                ["familyName", "givenNames"]),
    # a fragment on the way: each `person` opens by itself, logged the same way
    "fragment": ("fragment P on Case { caseId person { familyName } } "
                 "query { cases(first: 20) { edges { node { ...P } } } }",
                 "cases.edges.{i}.node.person", ["familyName"]),
    # a directive on `person`: skipped, nothing opened, nothing logged
    "skipped": ("query { cases(first: 20) { edges { node { caseId "
                "person @skip(if: true) { familyName } } } } }", None, []),
}


@pytest.mark.parametrize("shape", list(PAGE_PEOPLE))
def test_a_page_of_people_logs_each_case_at_its_path_before_answering(
        gql: GraphQLClient, container: Container, world: World, shape: str) -> None:
    query, via, fields = PAGE_PEOPLE[shape]
    before = container.access_log.count()
    data = gql(query)
    edges = next(iter(data.values()))
    nodes = [next(v for k, v in e.items()) for e in next(iter(edges.values()))]
    assert nodes and all(n["caseId"] for n in nodes)
    auditor = gql.as_role("AUDITOR", "EU")
    logged = [e for e in _log(auditor) if e["subject"] == "it-cw-01"]
    if via is None:
        assert container.access_log.count() == before and all("person" not in n for n in nodes)
        return
    assert container.access_log.count() == before + len(nodes)  # one row each, no more
    by_case = {e["caseId"]: e for e in logged}
    for i, node in enumerate(nodes):
        entry = by_case[node["caseId"]]
        assert (entry["via"], entry["fields"]) == (via.format(i=i), fields)
        person = next(v for k, v in node.items() if k != "caseId")
        assert person is not None and set(person) == {
            {"familyName": "familyName", "givenNames": "givenNames"}[f] for f in fields}
    assert any(next(v for k, v in n.items() if k != "caseId")["familyName"] == "Doe"
               for n in nodes)


TIMELINE_PAYLOADS = {
    "ahead": ("query($id: ID!) { caseTimeline(caseId: $id) { type payload } }",
              "caseTimeline.0.payload"),
    "aliased": ("query($id: ID!) { t: caseTimeline(caseId: $id) { type p: payload } }", "t.0.p"),
    "fragment": ("fragment E on TimelineEvent { type payload } "
                 "query($id: ID!) { caseTimeline(caseId: $id) { ...E } }",
                 "caseTimeline.0.payload"),
    "skipped": ("query($id: ID!) { caseTimeline(caseId: $id) { type "
                "payload @skip(if: true) } }", None),
}


@pytest.mark.parametrize("shape", list(TIMELINE_PAYLOADS))
def test_a_timeline_logs_its_opened_payload_once_at_its_path(
        gql: GraphQLClient, container: Container, world: World, shape: str) -> None:
    query, via = TIMELINE_PAYLOADS[shape]
    before = container.access_log.count()
    events = next(iter(gql(query, {"id": world.italian}).values()))
    assert events[0]["type"] == "CaseOpened"
    if via is None:
        assert container.access_log.count() == before
        return
    payload = next(v for k, v in events[0].items() if k != "type")
    assert payload["given_names"] == "Jane" and "ciphertext" not in str(payload)
    assert container.access_log.count() == before + 1
    entry = _log(gql.as_role("AUDITOR", "EU"), world.italian)[0]
    assert (entry["subject"], entry["via"], entry["fields"]) == (
        "it-cw-01", via, ["dateOfBirth", "familyName", "givenNames"])
