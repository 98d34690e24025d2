"""Deadlines and crisis periods over HTTP: a case's deadlines, the filtered and paginated list,
crisis mutations (recorded, refused) and their effect on new deadlines. Deadlines of several
member states are read by an EU-level auditor; crisis periods are recorded by an administrator."""

from __future__ import annotations

from typing import Any

from ledger.case import commands as c
from pact_ledger.wiring import Container
from schema.build import sdl
from tests.e2e.conftest import GraphQLClient
from tests.support.acting import handle
from tests.support.flows import screened_applicant
from tests.support.steps import at

DEADLINE = """rule version title act article confirmed startedAt dueAt metAt metBy
              metRecordedLate stoppedAt extendedDays status breached caseId memberState"""
PAGE = f"""query($filter: DeadlineFilter, $first: Int!, $after: String) {{
  deadlines(filter: $filter, first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ {DEADLINE} }} }}
  }}
}}"""
CASE_DEADLINES = f"query($id: ID!) {{ caseDeadlines(caseId: $id) {{ {DEADLINE} }} }}"
RESULT = """__typename ... on CommandSucceeded { caseId replayed readModelsCurrent }
            ... on RuleViolation { rule article } ... on InvalidInput { fields { field } }"""


def mutate(gql: GraphQLClient, name: str, input: dict[str, Any]) -> dict[str, Any]:
    kind = name[0].upper() + name[1:] + "Input"
    return gql(f"mutation($input: {kind}!) {{ {name}(input: $input) {{ {RESULT} }} }}",
               {"input": input})[name]


def seed(container: Container) -> None:
    for i in range(4):
        screened_applicant(container.ledger, f"Q-IT-{i}")
    for i in range(2):
        handle(container.ledger, c.MakeApplication("EL", f"Q-EL-{i}", "Samos", c.Person("AF")),
               at(i))
    container.runner.catch_up()


def test_a_case_deadlines(gql: GraphQLClient, container: Container) -> None:
    case_id = screened_applicant(container.ledger, "A-1")
    container.runner.catch_up()
    rows = gql(CASE_DEADLINES, {"id": str(case_id)})["caseDeadlines"]
    by_rule = {r["rule"]: r for r in rows}
    registration = by_rule["REGISTRATION"]
    assert registration["article"] == "Art 27(1)" and registration["act"] == "APR (EU) 2024/1348"
    # referred Wednesday 4 March, 5 days: to the end of Monday 9 March in Rome (UTC+1)
    assert registration["dueAt"] == "2026-03-09T22:59:59.999999+00:00"
    assert registration["metBy"] == "ApplicationRegistered" and registration["status"] == "MET"
    assert registration["metRecordedLate"] is True and registration["breached"] is False
    assert by_rule["EURODAC_TRANSMISSION"]["status"] == "BREACHED"
    assert by_rule["LODGING"]["status"] == "MET"


def test_pages_walk_every_deadline_once_soonest_first(gql: GraphQLClient,
                                                      container: Container) -> None:
    seed(container)
    auditor = gql.as_role("AUDITOR", "EU")
    seen: list[tuple[str, str]] = []
    after, total = None, None
    while True:
        page = auditor(PAGE, {"first": 4, "after": after})["deadlines"]
        total = page["totalCount"]
        seen += [(e["node"]["dueAt"], e["node"]["rule"]) for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    # Each screened case: 5 deadlines, the two of reception (RCD Arts 17(1), 25(1)) and the
    # legal counselling information (APR Art 15(2)); each Greek application: registration and
    # special reception needs.
    assert total == 4 * 8 + 2 * 2 == len(seen)
    assert [due for due, _ in seen] == sorted(due for due, _ in seen)


def test_filters(gql: GraphQLClient, container: Container) -> None:
    seed(container)
    greek = gql.as_role("CASE_WORKER", "EL")(
        PAGE, {"first": 50, "filter": {"memberState": "EL", "breachedOnly": True}})
    nodes = [e["node"] for e in greek["deadlines"]["edges"]]
    assert {(n["rule"], n["status"], n["breached"]) for n in nodes} == {
        ("REGISTRATION", "BREACHED", True), ("SPECIAL_RECEPTION_NEEDS", "BREACHED", True)}
    lodging = gql(PAGE, {"first": 50, "filter": {"rule": "LODGING"}})["deadlines"]
    assert lodging["totalCount"] == 4
    due = gql.as_role("AUDITOR", "EU")(
        PAGE, {"first": 50, "filter": {"dueBefore": "2026-03-09T22:30:00Z"}})["deadlines"]
    # Free legal counselling is due at registration (5 March, APR Art 15(2)); Eurodac's 72
    # hours end at an exact instant (8 March, 08:00 UTC); Greece's registrations at the end of
    # Monday 9 March in Athens (the weekend moved them), before Italy's in Rome.
    assert [(e["node"]["memberState"], e["node"]["rule"]) for e in due["edges"]] == [
        ("IT", "LEGAL_COUNSELLING_INFORMATION")] * 4 + [
        ("IT", "EURODAC_TRANSMISSION")] * 4 + [("EL", "REGISTRATION")] * 2
    bad = gql.post(PAGE, {"first": 5, "after": "not-a-cursor"}).json()
    assert bad["errors"][0]["extensions"]["code"] == "BAD_CURSOR"


def test_crisis_mutations_and_their_effect(gql: GraphQLClient, container: Container) -> None:
    admin = gql.as_role("ADMINISTRATOR")
    refused = mutate(admin, "endCrisis", {"memberState": "IT", "occurredAt": "2026-03-01T00:00Z"})
    assert refused["__typename"] == "RuleViolation" and refused["rule"] == "CRISIS_NOT_RUNNING"
    assert "2024/1359" in refused["article"]
    invalid = mutate(admin, "declareCrisis", {
        "memberState": "IT", "kind": "MASS_ARRIVALS", "startsAt": "2026-03-01T00:00:00Z",
        "until": "2026-05-31T00:00:00Z", "derogations": ["SIESTA"], "decisionRef": "CID 1",
        "occurredAt": "2026-02-27T12:00:00Z"})
    assert invalid["__typename"] == "InvalidInput"
    assert [f["field"] for f in invalid["fields"]] == ["derogations[0]"]
    declared = mutate(admin, "declareCrisis", {
        "memberState": "IT", "kind": "MASS_ARRIVALS", "startsAt": "2026-03-01T00:00:00Z",
        "until": "2026-05-31T00:00:00Z", "derogations": ["REGISTRATION", "BORDER_PROCEDURE"],
        "decisionRef": "CID 2026/1", "occurredAt": "2026-02-27T12:00:00Z"})
    assert declared["__typename"] == "CommandSucceeded" and declared["readModelsCurrent"]
    periods = gql("{ crisisPeriods(memberState: IT) { kind startsAt until derogations "
                  "decisionRef inForce periodNo } }")["crisisPeriods"]
    assert periods == [{"kind": "MASS_ARRIVALS", "startsAt": "2026-03-01T00:00:00+00:00",
                        "until": "2026-05-31T00:00:00+00:00",
                        "derogations": ["REGISTRATION", "BORDER_PROCEDURE"],
                        "decisionRef": "CID 2026/1", "inForce": False, "periodNo": 1}]
    made = mutate(gql, "makeApplication", {
        "memberState": "IT", "nationalReference": "K-1", "place": "Lampedusa",
        "person": {"nationality": "SY"}, "occurredAt": "2026-03-10T09:00:00Z"})
    rows = gql(CASE_DEADLINES, {"id": made["caseId"]})["caseDeadlines"]
    assert [(r["rule"], r["version"], r["dueAt"]) for r in rows] == [
        ("REGISTRATION", "2024+crisis", "2026-04-07T21:59:59.999999+00:00"),
        ("SPECIAL_RECEPTION_NEEDS", "2024", "2026-04-09T21:59:59.999999+00:00")]  # no crisis one


def test_case_type_carries_its_deadlines(gql: GraphQLClient, container: Container) -> None:
    case_type = sdl().split("type Case implements Node {", 1)[1].split("}", 1)[0]
    assert "deadlines: [Deadline!]!" in case_type
    case_id = screened_applicant(container.ledger, "A-2")
    container.runner.catch_up()
    case = gql("query($id: ID!) { case(id: $id) { deadlines { rule article dueAt metAt "
               "breached } } }", {"id": str(case_id)})["case"]
    assert {d["rule"] for d in case["deadlines"]} >= {"REGISTRATION", "LODGING"}


def test_each_deadline_shows_how_it_was_counted(gql: GraphQLClient) -> None:
    """Reg. 1182/71 over HTTP: made on Wednesday 1 April 2026 in Italy, five days reach Easter
    Monday, so registration is due at the end of Tuesday 7 April in Rome; the counting says so."""
    made = mutate(gql, "makeApplication", {
        "memberState": "IT", "nationalReference": "E-1", "place": "Lampedusa",
        "person": {"nationality": "SY"}, "occurredAt": "2026-04-01T09:00:00+02:00"})
    rows = gql("query($id: ID!) { caseDeadlines(caseId: $id) { rule dueAt counting { method "
               "memberState timeZone calendarVersion amount unit eventDay firstDay "
               "lastDayByCount lastDay skippedDays { day reason why } articles explanation } } }",
               {"id": made["caseId"]})["caseDeadlines"]
    [registration] = [r for r in rows if r["rule"] == "REGISTRATION"]
    assert registration["dueAt"] == "2026-04-07T21:59:59.999999+00:00"
    counting = registration["counting"]
    assert {k: counting[k] for k in ("method", "memberState", "timeZone", "amount", "unit",
                                     "eventDay", "firstDay", "lastDayByCount", "lastDay")} == {
        "method": "EU1182", "memberState": "IT", "timeZone": "Europe/Rome", "amount": 5,
        "unit": "DAYS", "eventDay": "2026-04-01", "firstDay": "2026-04-02",
        "lastDayByCount": "2026-04-06", "lastDay": "2026-04-07"}
    assert counting["skippedDays"] == [
        {"day": "2026-04-06", "reason": "Easter Monday", "why": "Art 3(4)"}]
    assert counting["calendarVersion"].startswith("EU1182-1/holidays-")
    assert "Art 3(4)" in counting["articles"] and "Easter Monday" in counting["explanation"]


CONSEQUENCES = """query($id: ID!) { case(id: $id) {
  responsibility { state }
  responsibilityByLaw { state responsibleMemberState derived
                        cause { kind causeRule since article confirmed } }
  legalConsequences { kind causeRule since responsibleMemberState }
  deadlines { rule status breached } } }"""


def test_a_missed_transfer_reads_as_shifted_by_itself_and_a_rebuild_agrees(
        gql: GraphQLClient, container: Container) -> None:
    """AMMR Arts 37(1), 46(2): accepted on Sunday 22 March 2026, not transferred: from the end of
    Tuesday 22 September the case reads as this state's, with the expired transfer limit as the
    cause, though no step records the shift; a rebuild computes the same."""
    case_id = screened_applicant(container.ledger, "S-1")
    handle(container.ledger, c.RequestTakeCharge(case_id, "EL", "AMMR Art 33(1)"), at(10))
    handle(container.ledger, c.ReplyToTakeCharge(case_id, accepted=True), at(20))
    container.runner.catch_up()
    first = gql(CONSEQUENCES, {"id": str(case_id)})["case"]
    assert first["responsibility"]["state"] == "TRANSFER_PENDING"  # as recorded
    law = first["responsibilityByLaw"]
    assert (law["state"], law["responsibleMemberState"], law["derived"]) == (
        "RESPONSIBLE_HERE", "IT", True)
    assert law["cause"] == {"kind": "RESPONSIBILITY_SHIFTED", "causeRule": "TRANSFER",
                            "since": "2026-09-22T21:59:59.999999+00:00",
                            "article": "AMMR (EU) 2024/1351 Arts 37(1), 46(2)",
                            "confirmed": True}
    assert first["legalConsequences"] == [{
        "kind": "RESPONSIBILITY_SHIFTED", "causeRule": "TRANSFER",
        "since": "2026-09-22T21:59:59.999999+00:00", "responsibleMemberState": "IT"}]
    assert {"rule": "TRANSFER", "status": "BREACHED", "breached": True} in first["deadlines"]
    container.runner.rebuild()
    assert gql(CONSEQUENCES, {"id": str(case_id)})["case"] == first


def test_an_appeal_against_a_transfer_decision_over_http(gql: GraphQLClient,
                                                         container: Container) -> None:
    """AMMR Art 43 through the API: the appeal body lodges an appeal with a request to suspend;
    the request is then a deadline of its own; a granted suspension stops the transfer limit, so
    no shift follows from it; the transfer is refused while suspended."""
    case_id = screened_applicant(container.ledger, "S-2")
    handle(container.ledger, c.RequestTakeCharge(case_id, "EL", "AMMR Art 33(1)"), at(10))
    handle(container.ledger, c.ReplyToTakeCharge(case_id, accepted=True), at(20))
    handle(container.ledger, c.IssueTransferDecision(case_id), at(22))
    court = gql.as_role("APPEAL_BODY")
    lodged = mutate(court, "lodgeTransferAppeal", {
        "caseId": str(case_id), "court": "Tribunale di Roma", "suspensionRequested": True,
        "occurredAt": "2026-03-30T10:00:00+02:00"})
    assert lodged["__typename"] == "CommandSucceeded"
    refused = mutate(gql, "executeTransfer", {"caseId": str(case_id),
                                              "occurredAt": "2026-04-01T10:00:00+02:00"})
    assert (refused["__typename"], refused["rule"]) == ("RuleViolation", "TRANSFER_SUSPENDED")
    assert "Art 43(3)" in refused["article"]
    decided = mutate(court, "decideTransferSuspension", {
        "caseId": str(case_id), "suspended": True, "occurredAt": "2026-04-10T10:00:00+02:00"})
    assert decided["__typename"] == "CommandSucceeded"
    case = gql(CONSEQUENCES, {"id": str(case_id)})["case"]
    rows = {d["rule"]: d for d in case["deadlines"]}
    assert rows["TRANSFER"]["status"] == "STOPPED"  # suspended (Art 43(3))
    assert rows["TRANSFER_APPEAL"]["status"] == "MET"
    assert rows["TRANSFER_SUSPENSION_DECISION"]["status"] == "MET"
    assert case["legalConsequences"] == []
    assert case["responsibilityByLaw"]["state"] == "TRANSFER_PENDING"
    assert case["responsibilityByLaw"]["derived"] is False


def test_an_extension_in_calendar_months_over_http(gql: GraphQLClient,
                                                   container: Container) -> None:
    """APR Art 35(2): lodged on Sunday 8 March 2026, an admissibility limit of 2 months
    extended by 2 months is 4 calendar months from lodging: it ends with Wednesday 8 July in
    Rome; one more day is refused (2 months in all at most); the counting shows the extension."""
    case_id = screened_applicant(container.ledger, "S-3")  # lodged on day 6, Sunday 8 March
    handle(container.ledger, c.AssignProcedure(case_id, "ADMISSIBILITY", ("APR Art 38(1)(b)",)),
           at(7))
    decision_maker = gql.as_role("DECISION_MAKER")
    extended = mutate(decision_maker, "extendExamination", {
        "caseId": str(case_id), "reason": "complexity", "months": 2,
        "occurredAt": "2026-04-20T10:00:00+02:00"})
    assert extended["__typename"] == "CommandSucceeded"
    more = mutate(decision_maker, "extendExamination", {
        "caseId": str(case_id), "reason": "complexity", "days": 1,
        "occurredAt": "2026-04-21T10:00:00+02:00"})
    assert (more["__typename"], more["rule"]) == ("RuleViolation", "EXTENSION_NOT_ALLOWED")
    rows = gql("query($id: ID!) { caseDeadlines(caseId: $id) { rule dueAt extendedMonths "
               "counting { extendedMonths lastDayByCount lastDay } } }",
               {"id": str(case_id)})["caseDeadlines"]
    [admissibility] = [r for r in rows if r["rule"] == "ADMISSIBILITY"]
    assert admissibility["extendedMonths"] == 2
    assert admissibility["counting"] == {"extendedMonths": 2, "lastDayByCount": "2026-07-08",
                                         "lastDay": "2026-07-08"}
    assert admissibility["dueAt"] == "2026-07-08T21:59:59.999999+00:00"
