"""A timeline's typed details over HTTP on both backends: each event's own fields as its
`<type>Details` object (enums the inputs take, times with an offset, money as `Cents`), the
personal data in them scoped exactly as the deprecated `payload` scopes them (opened and logged
only for roles that may see them, and only when selected), and the same on a solidarity
ledger."""

from __future__ import annotations

from pact_ledger.wiring import Container
from tests.e2e.conftest import GraphQLClient
from tests.e2e.security_world import World, build_world

DETAILS = """query($id: ID!) { caseEvents(caseId: $id, first: 20) { nodes { type payload
  details { __typename eventType
    ... on CaseOpenedDetails { memberState nationality personId familyName givenNames
                               dateOfBirth personalData { status } }
    ... on ProcedureAssignedDetails { procedure grounds borderMandatory }
    ... on DecisionIssuedDetails { decisionNo decisionType ground notifiedAt returnException }
    ... on SecurityFlagRecordedDetails { reason personalData { status } } } } } }"""

NO_PERSONAL = """query($id: ID!) { caseEvents(caseId: $id, first: 20) { nodes { type
  details { __typename ... on CaseOpenedDetails { memberState personalData { status } } } } } }"""

LOG = """query($id: ID) { accessLog(caseId: $id, first: 100) { edges { node { fields via } } } }"""

FLAG = """mutation($input: RecordSecurityFlagInput!) { recordSecurityFlag(input: $input) {
  __typename ... on CommandSucceeded { events { type details { __typename
    ... on SecurityFlagRecordedDetails { reason } } } } } }"""


def _log(gql: GraphQLClient, case_id: str) -> list[dict[str, object]]:
    auditor = gql.as_role("AUDITOR", "EU")
    return [e["node"] for e in auditor(LOG, {"id": case_id})["accessLog"]["edges"]]


def test_each_event_has_its_typed_details(gql: GraphQLClient, container: Container) -> None:
    world: World = build_world(container)
    nodes = gql.as_role("DECISION_MAKER")(DETAILS, {"id": world.italian})["caseEvents"]["nodes"]
    by_type = {n["type"]: n for n in nodes}
    for node in nodes:  # every event has its own type, named for it
        assert node["details"]["__typename"] == f"{node['type']}Details"
        assert node["details"]["eventType"] == node["type"]
    opened = by_type["CaseOpened"]["details"]
    assert opened == {"__typename": "CaseOpenedDetails", "eventType": "CaseOpened",
                      "memberState": "IT", "nationality": "SY",
                      "personId": by_type["CaseOpened"]["payload"]["person_id"],
                      "familyName": "Doe", "givenNames": "Jane", "dateOfBirth": "1990-05-17",
                      "personalData": {"status": "PRESENT"}}
    assert by_type["ProcedureAssigned"]["details"]["procedure"] == "REGULAR"
    decision = by_type["DecisionIssued"]["details"]
    assert decision["decisionType"] == "UNFOUNDED" and decision["decisionNo"] == 1
    assert decision["ground"] == "APR Art 39"
    # one time format: the offset every DateTime has, not the stored `Z`
    assert decision["notifiedAt"].endswith("+00:00")


def test_personal_data_in_details_are_scoped_as_in_the_payload(
        gql: GraphQLClient, container: Container) -> None:
    world = build_world(container)
    before = len(_log(gql, world.italian))
    # a role that may not see personal data: nulls and the status, nothing logged
    hidden = gql.as_role("AUDITOR", "EU")(DETAILS, {"id": world.italian})["caseEvents"]["nodes"]
    opened = hidden[0]["details"]
    assert (opened["familyName"], opened["givenNames"], opened["dateOfBirth"]) == (None,) * 3
    assert opened["personalData"] == {"status": "PRESENT"}
    assert hidden[0]["payload"]["family_name"] is None  # as the payload hides them
    assert len(_log(gql, world.italian)) == before
    # details without a personal field: nothing opened, nothing logged, even for a case worker
    plain = gql(NO_PERSONAL, {"id": world.italian})["caseEvents"]["nodes"][0]["details"]
    assert plain == {"__typename": "CaseOpenedDetails", "memberState": "IT",
                     "personalData": {"status": "PRESENT"}}
    assert len(_log(gql, world.italian)) == before
    bare = gql(NO_PERSONAL.replace(" personalData { status }", ""), {"id": world.italian})
    assert bare["caseEvents"]["nodes"][0]["details"] == {"__typename": "CaseOpenedDetails",
                                                         "memberState": "IT"}
    assert len(_log(gql, world.italian)) == before
    # a case worker selecting the names: opened, and the read logged with its path
    gql(DETAILS, {"id": world.italian})
    logged = _log(gql, world.italian)
    assert len(logged) > before
    assert any("details" in str(entry["via"]) and "familyName" in entry["fields"]  # type: ignore
               for entry in logged)


def test_sealed_free_text_in_details(gql: GraphQLClient, container: Container) -> None:
    world = build_world(container)
    grounds = "Grounds naming the person"
    flagged = gql(FLAG, {"input": {"caseId": world.italian, "reason": grounds,
                                   "occurredAt": "2026-04-02T09:00:00Z"}})["recordSecurityFlag"]
    # a mutation's result gives the recorded events with their typed details
    assert flagged["events"][0]["details"] == {"__typename": "SecurityFlagRecordedDetails",
                                               "reason": grounds}
    shown = gql(DETAILS, {"id": world.italian})["caseEvents"]["nodes"][-1]
    assert shown["details"]["reason"] == grounds == shown["payload"]["reason"]
    hidden = gql.as_role("AUDITOR", "EU")(DETAILS, {"id": world.italian})["caseEvents"]["nodes"]
    assert hidden[-1]["details"] == {"__typename": "SecurityFlagRecordedDetails",
                                     "eventType": "SecurityFlagRecorded", "reason": None,
                                     "personalData": {"status": "PRESENT"}}
    assert hidden[-1]["payload"]["reason"] is None


SOLIDARITY = """mutation($input: %sInput!) { %s(input: $input) {
  ... on CommandSucceeded { events { type details { __typename
    ... on MigratoryPressureDecisionAdoptedDetails { decisionRef underPressure
                                                     significantSituation }
    ... on FairShareInputsRecordedDetails { population { memberState value } }
    ... on PoolProposedDetails { relocations financialCents earmarkPercent
                                 indicativeCents { memberState cents } } } } } } }"""


def _solidarity(gql: GraphQLClient, name: str, **input: object) -> list[dict[str, object]]:
    mutation = SOLIDARITY % (name[0].upper() + name[1:], name)
    events: list[dict[str, object]] = gql(mutation, {"input": {
        "year": 2026, "occurredAt": "2025-11-11T10:00:00Z", **input}})[name]["events"]
    return events


def test_solidarity_steps_have_typed_details(gql: GraphQLClient) -> None:
    from tests.support.solidarity import KEY_INPUTS

    union = gql.as_role("SOLIDARITY_COORDINATOR", "EU")
    _solidarity(union, "adoptAnnualReport", reportRef="COM 801")
    (decided,) = _solidarity(union, "adoptMigratoryPressureDecision", decisionRef="D",
                             underPressure=["EL", "CY"], significantSituation=["PL"])
    assert decided["details"] == {"__typename": "MigratoryPressureDecisionAdoptedDetails",
                                  "decisionRef": "D", "underPressure": ["CY", "EL"],
                                  "significantSituation": ["PL"]}
    inputs = _solidarity(union, "recordFairShareInputs", source="test", inputs=[
        {"memberState": i.member_state, "population": i.population,
         "gdpEurMillions": i.gdp_eur_millions} for i in KEY_INPUTS])
    figures = inputs[0]["details"]["population"]  # type: ignore[index]
    assert len(figures) == 27 and {"memberState", "value"} == set(figures[0])
    (proposed,) = _solidarity(union, "proposeSolidarityPool", proposalRef="COM",
                              relocations=30_000, financialCents="60000000000",
                              earmarkPercent="42")
    details = proposed["details"]
    assert details["financialCents"] == "60000000000"  # type: ignore[index]
    assert details["earmarkPercent"] == "42"  # type: ignore[index]
    germany = next(e for e in details["indicativeCents"]  # type: ignore[index]
                   if e["memberState"] == "DE")
    assert int(germany["cents"]) > 2**31  # beyond GraphQL's Int: exact, as Cents


CHANGES = """query($id: ID!) { caseEvents(caseId: $id, first: 20) { nodes { type changes
  stateChanges { status { before after } procedure { before after }
    lodgedAt { before after } standingDecisionNo { before after }
    returnDecisionIssued { before after } eurodac { before { transmitted } after { transmitted } }
    responsibility { before { state } after { state } } } } } }"""


def test_what_each_step_changed_is_typed(gql: GraphQLClient, container: Container) -> None:
    world = build_world(container)
    nodes = gql(CHANGES, {"id": world.italian})["caseEvents"]["nodes"]
    by_type = {n["type"]: n for n in nodes}
    for node in nodes:  # the typed changes name exactly the attributes the JSON names
        typed = {k for k, v in node["stateChanges"].items() if v is not None}
        stored = {k for k in node["changes"]
                  if k in {"status", "procedure", "lodged_at", "standing_decision_no",
                           "return_decision_issued", "eurodac", "responsibility"}}
        assert typed == {_camel(k) for k in stored}, node["type"]
    assert by_type["ProcedureAssigned"]["stateChanges"]["procedure"] == {
        "before": None, "after": "REGULAR"}
    assert by_type["ProcedureAssigned"]["stateChanges"]["status"] == {
        "before": "LODGED", "after": "UNDER_EXAMINATION"}
    lodged = by_type["ApplicationLodged"]["stateChanges"]["lodgedAt"]
    assert lodged["before"] is None and lodged["after"].endswith("+00:00")
    assert by_type["DecisionIssued"]["stateChanges"]["standingDecisionNo"] == {
        "before": None, "after": 1}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)
