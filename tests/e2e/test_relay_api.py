"""Relay conventions over HTTP on both backends: `node(id:)` within the token's scope, paging
forward and backward with full `PageInfo` (the case list and a case's events), and a stable
`extensions.code` on every kind of GraphQL error."""

from __future__ import annotations

from typing import Any

from ledger.case import commands as c
from ledger.case.aggregate import Case
from pact_ledger.wiring import Container
from tests.e2e.conftest import GraphQLClient
from tests.support.acting import handle, principal
from tests.support.steps import at


def _case(container: Container, state: str, reference: str, decided: bool = False) -> str:
    meta = at(0, principal("CASE_WORKER", state))
    handle(container.ledger, c.MakeApplication(state, reference, "Bari", c.Person("TN")), meta)
    case_id = Case.create_id(state, reference)
    steps: list[tuple[Any, int]] = [(c.RegisterApplication(case_id), 1),
                                    (c.LodgeApplication(case_id), 3)]
    if decided:
        steps += [(c.AssignProcedure(case_id, "REGULAR"), 4),
                  (c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39", at(60).occurred_at,
                                   with_return_decision=True), 60)]
    for command, day in steps:
        handle(container.ledger, command,
               at(day, principal("DECISION_MAKER" if day == 60 else "CASE_WORKER", state)))
    container.runner.catch_up()
    return str(case_id)


NODE = """query($id: ID!) { node(id: $id) { __typename id
    ... on Case { caseId memberState }
    ... on TimelineEvent { position type }
    ... on Decision { decisionNo decisionType: type }
    ... on Deadline { rule caseId } } }"""


def test_node_reads_each_kind_within_the_tokens_scope(gql: GraphQLClient,
                                                      container: Container) -> None:
    it, de = _case(container, "IT", "N-1", decided=True), _case(container, "DE", "N-2")
    worker = gql.as_role("DECISION_MAKER", "IT")
    case = worker("""query($id: ID!) { case(id: $id) { id caseId memberState
        decisions { id decisionNo } deadlines { id rule } } }""", {"id": it})["case"]
    assert case["caseId"] == it and case["memberState"] == "IT" and case["id"] != it
    node = worker(NODE, {"id": case["id"]})["node"]
    assert node == {"__typename": "Case", "id": case["id"], "caseId": it, "memberState": "IT"}
    # the global id is accepted wherever a case id is asked for
    assert worker("query($id: ID!) { case(id: $id) { caseId } }",
                  {"id": case["id"]})["case"]["caseId"] == it
    (decision,) = case["decisions"]
    assert worker(NODE, {"id": decision["id"]})["node"] == {
        "__typename": "Decision", "id": decision["id"], "decisionNo": 1,
        "decisionType": "UNFOUNDED"}
    deadline = case["deadlines"][0]
    assert worker(NODE, {"id": deadline["id"]})["node"] == {
        "__typename": "Deadline", "id": deadline["id"], "rule": deadline["rule"], "caseId": it}
    event = worker("""query($id: ID!) { caseEvents(caseId: $id, first: 1) {
        nodes { id position type } } }""", {"id": it})["caseEvents"]["nodes"][0]
    assert worker(NODE, {"id": event["id"]})["node"] == {"__typename": "TimelineEvent", **event}

    # another member state's case, its events, an unknown and a malformed id: null, no error
    other = gql.as_role("CASE_WORKER", "DE")
    de_case = other("query($id: ID!) { case(id: $id) { id } }", {"id": de})["case"]
    de_event = other("""query($id: ID!) { caseEvents(caseId: $id, first: 1) { nodes { id } } }""",
                     {"id": de})["caseEvents"]["nodes"][0]
    for hidden in (de_case["id"], de_event["id"], "Q2FzZTpub3BlCg==", "nonsense", ""):
        assert worker(NODE, {"id": hidden}) == {"node": None}
    for own in (case["id"], event["id"], decision["id"]):
        assert other(NODE, {"id": own}) == {"node": None}


PAGE = """pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"""


def _walk(client: GraphQLClient, field: str, query: str, variables: dict[str, Any],
          backward: bool) -> list[Any]:
    """Every node of a connection, page by page (two at a time), in the list's own order."""
    found: list[Any] = []
    cursor = None
    for _ in range(20):  # bounded
        page = client(query, {**variables, "n": 2, "c": cursor, "back": backward})[field]
        keys = [e["node"] for e in page["edges"]]
        found = keys + found if backward else found + keys
        info = page["pageInfo"]
        more = info["hasPreviousPage"] if backward else info["hasNextPage"]
        if not more:
            return found
        cursor = info["startCursor"] if backward else info["endCursor"]
    raise AssertionError("paging did not end")


def test_the_case_list_pages_backward_as_forward(gql: GraphQLClient,
                                                 container: Container) -> None:
    for n in range(5):
        _case(container, "IT", f"P-{n}")
    _case(container, "DE", "P-DE")
    query = f"""query($n: Int, $c: String, $back: Boolean!) {{
        fw: cases(first: $n, after: $c) @skip(if: $back) {{ edges {{ node {{ caseId }} }} {PAGE} }}
        bw: cases(last: $n, before: $c) @include(if: $back) {{
            totalCount edges {{ node {{ caseId }} }} {PAGE} }} }}"""
    forward = [n["caseId"] for n in _walk(gql, "fw", query, {}, False)]
    backward = [n["caseId"] for n in _walk(gql, "bw", query, {}, True)]
    assert len(forward) == 5 and backward == forward  # the DE case is out of scope
    last = gql("query { cases(last: 2) { totalCount edges { node { caseId } } " + PAGE + " } }")
    page = last["cases"]
    assert [e["node"]["caseId"] for e in page["edges"]] == forward[-2:]
    assert page["totalCount"] == 5
    assert page["pageInfo"]["hasPreviousPage"] and not page["pageInfo"]["hasNextPage"]


def test_a_cases_events_page_backward_as_forward(gql: GraphQLClient,
                                                 container: Container) -> None:
    case_id = _case(container, "IT", "T-1", decided=True)
    query = f"""query($id: ID!, $n: Int, $c: String, $back: Boolean!) {{
        fw: caseEvents(caseId: $id, first: $n, after: $c) @skip(if: $back) {{
            edges {{ node {{ version type }} }} {PAGE} }}
        bw: caseEvents(caseId: $id, last: $n, before: $c) @include(if: $back) {{
            totalCount edges {{ node {{ version type }} }} {PAGE} }} }}"""
    forward = _walk(gql, "fw", query, {"id": case_id}, False)
    backward = _walk(gql, "bw", query, {"id": case_id}, True)
    assert [e["version"] for e in forward] == list(range(1, len(forward) + 1))
    assert backward == forward and len(forward) >= 5
    latest = gql("""query($id: ID!) { caseEvents(caseId: $id, last: 1) { totalCount
        nodes { type } pageInfo { hasPreviousPage hasNextPage } } }""", {"id": case_id})
    events = latest["caseEvents"]
    assert events["nodes"] == [{"type": forward[-1]["type"]}]
    assert events["totalCount"] == len(forward)
    assert events["pageInfo"] == {"hasPreviousPage": True, "hasNextPage": False}
    both = gql.post("""query($id: ID!) { caseEvents(caseId: $id, first: 1, last: 1) {
        totalCount } }""", {"id": case_id}).json()
    assert both["errors"][0]["extensions"]["code"] == "BAD_PAGE"


def test_deadlines_and_the_access_log_page_backward_as_forward(gql: GraphQLClient,
                                                               container: Container) -> None:
    for n in range(3):
        case_id = _case(container, "IT", f"D-{n}")
        gql("query($id: ID!) { case(id: $id) { person { familyName } } }", {"id": case_id})
    query = f"""query($n: Int, $c: String, $back: Boolean!) {{
        fw: deadlines(first: $n, after: $c) @skip(if: $back) {{
            edges {{ node {{ id }} }} {PAGE} }}
        bw: deadlines(last: $n, before: $c) @include(if: $back) {{
            totalCount edges {{ node {{ id }} }} {PAGE} }} }}"""
    forward = _walk(gql, "fw", query, {}, False)
    assert len(forward) >= 3 and _walk(gql, "bw", query, {}, True) == forward
    auditor = gql.as_role("AUDITOR", "IT")
    log = f"""query($n: Int, $c: String, $back: Boolean!) {{
        fw: accessLog(first: $n, after: $c) @skip(if: $back) {{
            edges {{ node {{ id }} }} {PAGE} }}
        bw: accessLog(last: $n, before: $c) @include(if: $back) {{
            edges {{ node {{ id }} }} {PAGE} }} }}"""
    forward = _walk(auditor, "fw", log, {}, False)
    assert len(forward) >= 3 and _walk(auditor, "bw", log, {}, True) == forward


def test_every_graphql_error_carries_a_code(gql: GraphQLClient) -> None:
    def code(query: str, variables: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None) -> str:
        response = gql.post(query, variables, headers)
        (error, *_) = response.json()["errors"]
        return str(error["extensions"]["code"])

    assert code("{ cases { ") == "GRAPHQL_PARSE_FAILED"
    assert code("{ nope }") == "GRAPHQL_VALIDATION_FAILED"
    assert code("{ cases(first: \"x\") { totalCount } }") == "GRAPHQL_VALIDATION_FAILED"
    assert code("query($n: Int) { cases(first: $n) { totalCount } }",
                {"n": "many"}) == "BAD_VARIABLE"
    assert code("{ " + "a: rules { code } " * 20 + "}") == "TOO_MANY_ALIASES"
    assert code("query { " + "rules { code } " * 800 + "}") == "TOO_MANY_TOKENS"
    deep = "{ node(id: \"x\") { ... on Case { " + "deadlines { " * 10 + "rule" + " }" * 13
    assert "QUERY_TOO_DEEP" in {e["extensions"]["code"] for e in gql.post(deep).json()["errors"]}
    assert code("{ __schema { types { name } } }") == "INTROSPECTION_DISABLED"
    assert code("{ cases(after: \"bad\") { totalCount } }") == "BAD_CURSOR"
    assert code("{ rules { code } }", headers={}) == "UNAUTHENTICATED"


def test_a_mutation_says_what_it_recorded(gql: GraphQLClient) -> None:
    result = gql("""mutation { makeApplication(input: {memberState: IT,
        nationalReference: "M-1", place: "Bari", person: {nationality: "TN"},
        occurredAt: "2026-10-01T09:30:00+02:00"}) {
        __typename ... on CommandSucceeded { caseId version
            case { id caseId status version }
            events { id type position version recordedAt occurredAt } } } }""")
    done = result["makeApplication"]
    assert done["__typename"] == "CommandSucceeded"
    assert done["case"]["caseId"] == done["caseId"]
    assert done["case"]["version"] == done["version"] == len(done["events"])
    first = done["events"][0]
    assert first["position"] >= 1 and first["recordedAt"][-6:] == "+00:00"
    assert first["occurredAt"] == "2026-10-01T07:30:00+00:00"
    assert gql(NODE, {"id": first["id"]})["node"]["type"] == first["type"]
