"""The compiled completion of plain selections (`schema.execution._compile_fill`) answers every
read byte for byte as the field-by-field completion does, over HTTP against the real app on
both backends: aliases, fragments (inline and named, on the members of an interface),
`__typename`, `@skip`/`@include` with variables, nested objects and lists, nulls, errors and
partial results, a caller outside the case's scope, roles that may not see personal data, and
the access log written for personal data (the same entries, once per read, in both ways)."""

from __future__ import annotations

from typing import Any

import pytest

from pact_ledger.wiring import Container
from schema import execution
from schema.execution import LeafShortcutExecutionContext
from tests.e2e.conftest import GraphQLClient
from tests.e2e.security_world import World, build_world

ENVELOPE = """position version type occurredAt recordedAt actor { id role authority memberState }
  legalBasis { act article } commandId correlationId"""

DETAILS = """details { __typename eventType
    ... on CaseOpenedDetails { memberState nationality personId familyName givenNames
                               dateOfBirth personalData { status erasedAt } }
    ... on ProcedureAssignedDetails { procedure grounds borderMandatory }
    ...Decision
    ... on SecurityFlagRecordedDetails { reason personalData { status } } }"""

DECISION = """fragment Decision on DecisionIssuedDetails {
  decisionNo kind: decisionType ground notifiedAt returnException }"""

#: (name, document, variables): each shape of selection the reads take
SHAPES: list[tuple[str, str, dict[str, Any]]] = [
    ("the benchmark's timeline", f"""query($id: ID!) {{ caseTimeline(caseId: $id) {{
        {ENVELOPE} payload }} }}""", {}),
    ("typed details, fragments inline and named", f"""query($id: ID!) {{
        caseEvents(caseId: $id, first: 20) {{ nodes {{ type {DETAILS} }} }} }} {DECISION}""",
     {}),
    ("details without personal fields", """query($id: ID!) { caseEvents(caseId: $id) {
        nodes { details { __typename ... on CaseOpenedDetails { memberState
        personalData { status } } } } } }""", {}),
    ("aliases, __typename, edges, the envelope twice", """query($id: ID!) {
        page: caseEvents(caseId: $id, first: 3) { __typename edges { cursor node {
          t: __typename at: position who: actor { __typename role r2: role }
          actor { id } basis: legalBasis { article } evidenceRefs id recordedLate phase } }
          pageInfo { hasNextPage endCursor } } }""", {}),
    ("a named fragment on the event, changes", """query($id: ID!) {
        caseTimeline(caseId: $id) { ...E stateChanges { __typename } changes } }
        fragment E on TimelineEvent { version type actor { role } ... on TimelineEvent {
          occurredAt } }""", {}),
    ("@include and @skip with variables", f"""query($id: ID!, $yes: Boolean!, $no: Boolean!) {{
        caseTimeline(caseId: $id) {{ version payload @include(if: $yes)
          actor @skip(if: $no) {{ id }} legalBasis @skip(if: $yes) {{ act }}
          {DETAILS} }} }} {DECISION}""", {"yes": True, "no": False}),
    ("an error beside data: a partial result", f"""query($id: ID!) {{
        ok: caseTimeline(caseId: $id) {{ {ENVELOPE} }}
        bad: case(id: "no such id") {{ id }} }}""", {}),
    ("a page of cases with person", """{ cases(first: 20) { edges { node { id status
        person { familyName givenNames } } } } }""", {}),
    ("a timeline's typed details, opened with the timeline", f"""query($id: ID!) {{
        caseTimeline(caseId: $id) {{ {ENVELOPE} {DETAILS} }} }} {DECISION}""", {}),
    # (one root field each: two root fields' accesses are logged in no fixed order)
    ("details beside payload", """query($id: ID!) { t: caseTimeline(caseId: $id) {
        payload details { ... on CaseOpenedDetails { familyName } } } }""", {}),
    ("details twice", """query($id: ID!) { u: caseTimeline(caseId: $id) {
        a: details { ... on CaseOpenedDetails { givenNames } }
        b: details { ... on CaseOpenedDetails { dateOfBirth } } } }""", {}),
    ("person through edges and nodes, times of a page", """{ cases(first: 5) {
        edges { node { id openedAt lodgedAt updatedAt person { familyName } } }
        nodes { person { givenNames } lastRecordedAt } } }""", {}),
]

LOG = """query($id: ID) { accessLog(caseId: $id, first: 100) {
  edges { node { fields via role } } } }"""

FLAG = """mutation($input: RecordSecurityFlagInput!) { recordSecurityFlag(input: $input) {
  __typename } }"""

#: (role, member state): who reads; each gets today's answer in both ways
READERS = [("CASE_WORKER", "IT"), ("AUDITOR", "EU"), ("CASE_WORKER", "EL"),
           ("DECISION_MAKER", "IT")]


def _log(gql: GraphQLClient, case_id: str) -> list[dict[str, Any]]:
    auditor = gql.as_role("AUDITOR", "EU")
    return [e["node"] for e in auditor(LOG, {"id": case_id})["accessLog"]["edges"]]


def _answer(client: GraphQLClient, query: str, variables: dict[str, Any], compiled: bool,
            monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setattr(LeafShortcutExecutionContext, "compiled_selections", compiled)
    response = client.post(query, variables)
    assert response.status_code == 200, response.text
    return response.content


def test_every_shape_is_answered_as_the_field_by_field_completion_answers_it(
        gql: GraphQLClient, container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    world: World = build_world(container)
    gql(FLAG, {"input": {"caseId": world.italian, "reason": "Grounds naming the person",
                         "occurredAt": "2026-04-02T09:00:00Z"}})
    container.runner.catch_up()
    for role, state in READERS:
        client = gql.as_role(role, state)
        for name, query, extra in SHAPES:
            variables = {"id": world.italian, **extra}
            before = _log(gql, world.italian)
            ordinary = _answer(client, query, variables, False, monkeypatch)
            between = _log(gql, world.italian)
            compiled = _answer(client, query, variables, True, monkeypatch)
            after = _log(gql, world.italian)
            assert compiled == ordinary, (role, state, name)
            # the same accesses logged by each (the log lists the newest first)
            assert after[:len(after) - len(between)] == between[:len(between) - len(before)], (
                role, state, name)


def test_the_comparison_reaches_compiled_answers_misses_and_errors(
        gql: GraphQLClient, container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not vacuous: the plain shapes are answered by compiled selections, personal data and
    the access log are reached, and one shape carries errors beside its data."""
    world = build_world(container)
    monkeypatch.setattr(LeafShortcutExecutionContext, "compiled_selections", True)
    before = len(_log(gql, world.italian))
    execution._FILLS.clear()
    gql(SHAPES[0][1], {"id": world.italian})
    nodes = gql(SHAPES[1][1], {"id": world.italian})["caseEvents"]["nodes"]
    compiled = {fields[1].name for fields in execution._FILLS.values() if fields[2] is not None}
    assert {"TimelineEvent", "Actor", "LegalBasis", "ProcedureAssignedDetails"} <= compiled
    assert nodes[0]["details"]["familyName"] == "Doe"  # opened: the ordinary way, logged
    assert len(_log(gql, world.italian)) == before + 2  # the payload's and the details' reads
    hidden = gql.as_role("AUDITOR", "EU")(SHAPES[1][1], {"id": world.italian})
    assert hidden["caseEvents"]["nodes"][0]["details"]["familyName"] is None
    assert gql.as_role("CASE_WORKER", "EL")(SHAPES[0][1], {"id": world.italian}) == {
        "caseTimeline": []}
    body = gql.post(SHAPES[6][1], {"id": world.italian}).json()
    assert body["errors"] and body["data"]["ok"][0]["version"] == 1


def test_what_a_read_opens_ahead_is_answered_as_each_field_would_answer_it(
        gql: GraphQLClient, container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    """A timeline's sealed `details` and a page's `person`s opened with their read (one trip,
    kept on the event or case) give the same bytes and the same access-log entries as each
    field opening them by itself, for every reader."""
    from schema.cases import queries as case_queries
    from schema.personal import PersonalData
    from schema.timeline import queries as timeline_queries

    opened_now: list[int] = []
    open_now = PersonalData.open_now

    def counted(self: PersonalData, openings: list[Any]) -> Any:
        opened_now.append(len(openings))
        return open_now(self, openings)
    monkeypatch.setattr(PersonalData, "open_now", counted)

    world = build_world(container)
    ahead = [s for s in SHAPES if s[0] in (
        "a timeline's typed details, opened with the timeline", "a page of cases with person",
        "details beside payload", "details twice",
        "person through edges and nodes, times of a page")]
    assert len(ahead) == 5
    for role, state in READERS:
        client = gql.as_role(role, state)
        for name, query, extra in ahead:
            variables = {"id": world.italian, **extra}
            before = _log(gql, world.italian)
            with monkeypatch.context() as own_way:  # each field opens by itself
                own_way.setattr(timeline_queries, "details_ahead", lambda *_: [])
                own_way.setattr(case_queries, "selects", lambda *_: True)
                own = _answer(client, query, variables, True, monkeypatch)
            between = _log(gql, world.italian)
            together = _answer(client, query, variables, True, monkeypatch)
            after = _log(gql, world.italian)
            assert together == own, (role, state, name)
            new = after[:len(after) - len(between)]
            assert new == between[:len(between) - len(before)], (role, state, name)
    # not vacuous: the timeline's details and the pages' persons were opened ahead
    assert len(opened_now) >= 4 and all(opened_now), opened_now
