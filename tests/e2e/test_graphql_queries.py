"""Queries over HTTP: one case, the filtered and paginated case list, the timeline. Lists over
several member states are read by an EU-level auditor; a case by a case worker of its state."""

from __future__ import annotations

from ledger.case import commands as c
from pact_ledger.reference_files import load_command
from pact_ledger.wiring import Container
from tests.e2e.conftest import GraphQLClient
from tests.support.acting import handle
from tests.support.flows import rejected_with_return, screened_applicant
from tests.support.steps import at

CASES = """query($filter: CaseFilter, $first: Int!, $after: String) {
  cases(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id memberState nationalReference nationality status procedure } }
  }
}"""


def seed(container: Container) -> None:
    for i in range(7):
        screened_applicant(container.ledger, f"Q-IT-{i}", ms="IT", nationality="SY")
    for i in range(3):
        rejected_with_return(container.ledger, f"Q-EL-{i}")
    screened_applicant(container.ledger, "Q-ES-0", ms="ES", nationality="MA")
    container.runner.catch_up()


def test_pages_walk_every_case_once_newest_first(gql: GraphQLClient, container: Container) -> None:
    seed(container)
    auditor = gql.as_role("AUDITOR", "EU")
    seen: list[str] = []
    after = None
    while True:
        page = auditor(CASES, {"first": 4, "after": after})["cases"]
        assert page["totalCount"] == 11
        seen += [e["node"]["nationalReference"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen[0] == "Q-ES-0" and seen[-1] == "Q-IT-0"
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 11


def test_cursor_is_stable_while_cases_are_added(gql: GraphQLClient, container: Container) -> None:
    seed(container)
    auditor = gql.as_role("AUDITOR", "EU")
    first = auditor(CASES, {"first": 5})["cases"]
    screened_applicant(container.ledger, "Q-NEW", ms="IT")
    container.runner.catch_up()
    second = auditor(CASES, {"first": 5, "after": first["pageInfo"]["endCursor"]})["cases"]
    refs = {e["node"]["nationalReference"] for e in first["edges"] + second["edges"]}
    assert len(refs) == 10 and "Q-NEW" not in refs


def test_filters(gql: GraphQLClient, container: Container) -> None:
    seed(container)
    auditor = gql.as_role("AUDITOR", "EU")
    by_state = auditor(CASES, {"first": 50, "filter": {"memberState": "ES"}})["cases"]
    assert [e["node"]["nationalReference"] for e in by_state["edges"]] == ["Q-ES-0"]
    decided = gql(CASES, {"first": 50, "filter": {"status": "DECIDED", "procedure": "ACCELERATED",
                                                   "nationality": "BD"}})["cases"]
    assert decided["totalCount"] == 3
    assert {e["node"]["status"] for e in decided["edges"]} == {"DECIDED"}
    injected = gql.post(CASES, {"first": 50, "filter": {"nationality": "' OR 1=1 --"}}).json()
    assert injected["data"] is None
    assert injected["errors"][0]["extensions"]["fields"][0]["field"] == "filter.nationality"


def test_page_size_and_cursor_errors_are_clear(gql: GraphQLClient) -> None:
    too_big = gql.post(CASES, {"first": 1000}).json()
    assert too_big["errors"][0]["message"] == "`first` must be between 1 and 100"
    bad = gql.post(CASES, {"first": 5, "after": "bm9wZQ=="}).json()
    assert bad["errors"][0]["message"].startswith("Invalid cursor")


def test_case_by_id_with_decisions(gql: GraphQLClient, container: Container) -> None:
    case_id = rejected_with_return(container.ledger, "Q-1")
    handle(container.ledger, c.LodgeAppeal(case_id, "Appeals Authority Athens"), at(45))
    container.runner.catch_up()
    data = gql("""query($id: ID!) { case(id: $id) {
        id status procedure lastDecisionType returnDecisionIssued appealPending version
        decisions { decisionNo type ground notifiedAt byCourt }
        appeals { appealNo decisionNo appealBody suspensive outcome }
        person { familyName dateOfBirth unaccompaniedMinor } } }""", {"id": str(case_id)})
    case = data["case"]
    assert case["status"] == "APPEAL_PENDING" and case["appealPending"]
    assert case["decisions"] == [{"decisionNo": 1, "type": "UNFOUNDED", "ground": "APR Art 39",
                                  "notifiedAt": "2026-04-11T08:00:00+00:00", "byCourt": False}]
    assert case["appeals"][0]["appealBody"] == "Appeals Authority Athens"
    assert gql('{ case(id: "00000000-0000-0000-0000-000000000000") { id } }')["case"] is None


def test_timeline_lists_every_event_with_envelope(gql: GraphQLClient, container: Container) -> None:
    case_id = rejected_with_return(container.ledger, "Q-2")
    container.runner.catch_up()
    query = """query($id: ID!, $filter: TimelineFilterInput) {
        caseTimeline(caseId: $id, filter: $filter) {
          position version type topic occurredAt recordedAt actor { id role }
          legalBasis { act article } commandId correlationId causationId evidenceRefs payload } }"""
    events = gql(query, {"id": str(case_id)})["caseTimeline"]
    assert [e["version"] for e in events] == list(range(1, 10))
    assert [e["type"] for e in events][-3:] == ["ProcedureAssigned", "DecisionIssued",
                                                "ReturnDecisionIssued"]
    assert events[0]["topic"] == "pact-ledger:case.CaseOpened"
    assert events[-2]["payload"]["decision_type"] == "UNFOUNDED"
    assert all(e["legalBasis"] and e["actor"]["id"] for e in events)
    positions = [e["position"] for e in events]
    assert positions == sorted(positions)
    only = gql(query, {"id": str(case_id), "filter": {
        "types": ["DecisionIssued"], "occurredFrom": "2026-04-01T00:00:00Z"}})["caseTimeline"]
    assert [e["type"] for e in only] == ["DecisionIssued"]


def test_rules_are_listed_with_articles(gql: GraphQLClient) -> None:
    rules = gql("{ rules { code article summary } }")["rules"]
    codes = {r["code"]: r["article"] for r in rules}
    assert codes["APPEAL_REQUIRES_DECISION"] == "APR (EU) 2024/1348 Art 67(1)"


def test_recognition_rates_and_border_capacity(gql: GraphQLClient, container: Container) -> None:
    """The law's rate (latest published figures, loaded as reference data) beside the ledger's
    own (3 decisions: too few for a rate)."""
    container.ledger.handle(*load_command(
        {"source": "test figures", "referenceYear": 2025, "version": "t-1", "confirmed": False,
         "note": "not Eurostat's", "figures": [{"nationality": "PK", "rate": "0.05"},
                                               {"nationality": "SY", "rate": "0.80"}]},
        at(1).occurred_at))
    for i in range(3):
        case_id = screened_applicant(container.ledger, f"Q-B-{i}", ms="EL", nationality="PK")
        handle(container.ledger, c.AssignProcedure(case_id, "BORDER"), at(7))
        handle(container.ledger, c.IssueDecision(case_id, "MANIFESTLY_UNFOUNDED", "APR Art 39",
                                                 with_return_decision=True), at(20))
    container.runner.catch_up()
    container.reads.statistics.capacities["EL"] = 2
    data = gql("""{ recognitionRates { nationality euRate euSource { version referenceYear
                                        confirmed } decisions grants rate
                                        borderProcedureMandatory }
                    borderCapacity(year: 2026, memberState: EL) { memberState inProcedure
                        assignedThisYear capacity annualMaximum capacityReached } }""")
    source = {"version": "t-1", "referenceYear": 2025, "confirmed": False}
    assert data["recognitionRates"] == [
        {"nationality": "PK", "euRate": "0.0500", "euSource": source, "decisions": 3,
         "grants": 0, "rate": None, "borderProcedureMandatory": True},
        {"nationality": "SY", "euRate": "0.8000", "euSource": source, "decisions": 0,
         "grants": 0, "rate": None, "borderProcedureMandatory": False}]
    assert data["borderCapacity"] == [{"memberState": "EL", "inProcedure": 3,
                                       "assignedThisYear": 3, "capacity": 2,
                                       "annualMaximum": 8, "capacityReached": True}]
