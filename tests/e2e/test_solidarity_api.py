"""The solidarity ledger over HTTP: every cycle and account step as a mutation, refusals as
typed results, the cycle, the balances as of a date and the entries behind a balance line.
Union-level steps are recorded by an EU-level solidarity coordinator; a member state's own
coordinator records its pledges."""

from __future__ import annotations

from typing import Any

from pact_ledger.wiring import Container
from tests.e2e.conftest import GraphQLClient
from tests.support.solidarity import KEY_INPUTS, small_year

RESULT = """
  __typename
  ... on CommandSucceeded { aggregateId caseId version replayed readModelsCurrent case { id }
                            events { type topic occurredAt legalBasis { act article } payload } }
  ... on CommandError { code message }
  ... on RuleViolation { rule article }
  ... on InvalidInput { fields { field message } }
"""
EUROS = "00"  # appended to whole euros: Cents are strings of digits


def mutate(gql: GraphQLClient, name: str, input: dict[str, Any]) -> dict[str, Any]:
    input_type = name[0].upper() + name[1:] + "Input"
    query = f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {RESULT} }} }}"
    return gql(query, {"input": input})[name]


def recorded(gql: GraphQLClient, name: str, when: str, **input: Any) -> dict[str, Any]:
    result = mutate(gql, name, {"year": 2026, "occurredAt": when, **input})
    assert result["__typename"] == "CommandSucceeded", (name, result)
    return result


def test_every_step_of_the_cycle_is_a_mutation(gql: GraphQLClient, container: Container) -> None:
    germany = gql.as_role("SOLIDARITY_COORDINATOR", "DE")
    gql = gql.as_role("SOLIDARITY_COORDINATOR", "EU")
    report = recorded(gql, "adoptAnnualReport", "2025-11-11T10:00:00Z", reportRef="COM 801")
    assert report["aggregateId"] == report["caseId"] and report["case"] is None
    assert report["events"][0]["topic"] == "pact-ledger:solidarity.AnnualReportAdopted"
    assert report["events"][0]["legalBasis"] == [{"act": "AMMR (EU) 2024/1351",
                                                  "article": "Art 9"}]
    recorded(gql, "adoptMigratoryPressureDecision", "2025-11-11T10:00:00Z",
             decisionRef="(EU) 2025/2323", underPressure=["EL", "CY", "ES", "IT"],
             significantSituation=["PL"])
    inputs = recorded(gql, "recordFairShareInputs", "2025-11-11T10:00:00Z", source="test", inputs=[
        {"memberState": i.member_state, "population": i.population,
         "gdpEurMillions": i.gdp_eur_millions} for i in KEY_INPUTS])
    assert len(inputs["events"]) == 1 + 2 * 27
    proposal = recorded(gql, "proposeSolidarityPool", "2025-11-12T10:00:00Z", proposalRef="COM",
                        relocations=30_000, financialCents="600000000" + EUROS,
                        earmarkPercent="42")
    assert proposal["events"][0]["payload"]["indicative_relocations"]["DE"] == 2852
    recorded(gql, "conveneSolidarityForum", "2025-11-26T10:00:00Z")
    pledge = recorded(germany, "makeSolidarityPledge", "2025-11-26T12:00:00Z", memberState="DE",
                      kind="FINANCIAL", amountCents="20000000" + EUROS)
    assert pledge["events"][0]["payload"] == {"kind": "FINANCIAL", "persons": 0,
                                              "amount_cents": 2_000_000_000, "measure": None}
    assert [e["memberState"] for e in germany("{ solidarityBalances(year: 2026) "
                                              "{ accounts { memberState } } }")[
        "solidarityBalances"]["accounts"]] == ["DE"]  # a member state sees its own account
    recorded(gql, "makeSolidarityPledge", "2025-11-26T12:00:00Z", memberState="DE",
             kind="RELOCATION", persons=3000)
    recorded(gql, "makeSolidarityPledge", "2025-11-26T12:00:00Z", memberState="AT",
             kind="ALTERNATIVE", amountCents=500_000_000, measure="Reception capacity")
    recorded(gql, "makeSolidarityPledge", "2025-11-26T12:00:00Z", memberState="PL",
             kind="RELOCATION", persons=500)
    recorded(gql, "notifyBenefitingStatus", "2025-11-27T10:00:00Z", memberState="IT",
             basis="LISTED_UNDER_PRESSURE")
    recorded(gql, "establishSolidarityPool", "2025-12-15T10:00:00Z", councilAct="act",
             relocations=21_000, financialCents="420000000" + EUROS,
             centsPerRelocation="20000" + EUROS, sarSharePercent="10.5")
    recorded(gql, "requestSolidarityDeduction", "2026-01-10T10:00:00Z", memberState="PL",
             ground="SIGNIFICANT_MIGRATORY_SITUATION", percent="100", reasons="Art 62(2)")
    recorded(gql, "grantSolidarityDeduction", "2026-02-01T10:00:00Z", memberState="PL",
             percent="100", decisionRef="C(2026) 1")
    recorded(gql, "recordFinancialContribution", "2026-03-01T10:00:00Z", memberState="DE",
             amountCents="5000000" + EUROS, paymentRef="DE-1")
    recorded(gql, "recordAlternativeMeasure", "2026-05-01T10:00:00Z", memberState="AT",
             measure="Reception capacity, Q1", valueCents="2000000" + EUROS)
    closed = recorded(gql, "closeSolidarityCycle", "2027-01-05T10:00:00Z")
    assert closed["events"][0]["type"] == "CycleClosed"

    cycle = gql("""{ solidarityCycle(year: 2026) { stage closedAt decision { underPressure }
        pool { relocations financialCents centsPerRelocation sarSharePercent
               pledges { memberState relocations financialCents alternativeCents } }
        proposal { indicativeShares { memberState relocations financialCents } } } }""")
    cycle = cycle["solidarityCycle"]
    node = gql("""query($id: ID!) { node(id: $id) { id ... on SolidarityCycle { year stage } } }""",
               {"id": gql("{ solidarityCycle(year: 2026) { id } }")["solidarityCycle"]["id"]})
    assert node["node"]["year"] == 2026 and node["node"]["stage"] == "CLOSED"
    assert cycle["stage"] == "CLOSED" and cycle["decision"]["underPressure"] == [
        "CY", "EL", "ES", "IT"]
    assert cycle["pool"]["financialCents"] == "42000000000"
    assert cycle["pool"]["centsPerRelocation"] == "2000000"
    assert {"memberState": "DE", "relocations": 3000, "financialCents": "2000000000",
            "alternativeCents": "0"} in cycle["pool"]["pledges"]
    assert sum(int(s["financialCents"]) for s in cycle["proposal"]["indicativeShares"]) == (
        60_000_000_000)


def test_a_step_out_of_order_is_a_rule_violation(gql: GraphQLClient, container: Container) -> None:
    gql = gql.as_role("SOLIDARITY_COORDINATOR", "EU")
    closed = mutate(gql, "makeSolidarityPledge", {
        "year": 2026, "memberState": "DE", "kind": "RELOCATION", "persons": 1,
        "occurredAt": "2025-11-26T10:00:00Z"})
    assert (closed["__typename"], closed["rule"]) == ("RuleViolation",
                                                      "SOLIDARITY_CYCLE_NOT_OPENED")
    assert closed["article"] == "AMMR (EU) 2024/1351 Art 9"
    recorded(gql, "adoptAnnualReport", "2025-11-11T10:00:00Z", reportRef="COM 801")
    early = mutate(gql, "conveneSolidarityForum", {"year": 2026,
                                                   "occurredAt": "2025-11-26T10:00:00Z"})
    assert (early["rule"], early["article"]) == ("FORUM_REQUIRES_PROPOSAL",
                                                 "AMMR (EU) 2024/1351 Art 13(2)")
    bad = mutate(gql, "makeSolidarityPledge", {
        "year": 2026, "memberState": "DE", "kind": "FINANCIAL", "amountCents": "-5",
        "occurredAt": "2025-11-26T10:00:00Z"})
    assert bad["__typename"] == "InvalidInput"
    assert [f["field"] for f in bad["fields"]] == ["amountCents"]
    response = gql.post('mutation { recordFinancialContribution(input: {year: 2026, '
                        'memberState: DE, amountCents: "12.50", paymentRef: "x", '
                        'occurredAt: "2026-03-01T10:00:00Z"}) { __typename } }')
    assert "whole number of euro cents" in response.json()["errors"][0]["message"]


BALANCES = """query($ms: MemberState, $asOf: DateTime) {
  solidarityBalances(year: 2026, memberState: $ms, asOf: $asOf) {
    asOf centsPerRelocation
    accounts { memberState fairShare benefiting deductionPercent mayOfferOffsets
               obligationCents deliveredCents outstandingCents
               lines { type pledged { persons cents } obligation { persons cents }
                       delivered { persons cents } outstanding { persons cents } } }
    totals { obligationCents deliveredCents outstandingCents poolRelocations poolFinancialCents
             lines { type delivered { persons cents } } }
    offsets { proposedRelocations pledgedRelocations pledgeRatio requestable mandatory
              requestableThreshold mandatoryThreshold }
  }
}"""


def test_balances_in_persons_and_exact_cents(gql: GraphQLClient, container: Container) -> None:
    gql = gql.as_role("SOLIDARITY_COORDINATOR", "EU")
    small_year(container.ledger)
    container.runner.catch_up()
    data = gql(BALANCES, {"ms": "DE"})["solidarityBalances"]
    (de,) = data["accounts"]
    relocation = next(line for line in de["lines"] if line["type"] == "RELOCATION")
    assert relocation["obligation"] == {"persons": 3000, "cents": "6000000000"}  # x EUR 20,000
    assert relocation["delivered"] == {"persons": 2, "cents": "4000000"}
    assert de["obligationCents"] == str(3000 * 2_000_000 + 2_000_000_000)
    assert de["outstandingCents"] == str(2998 * 2_000_000 + 1_500_000_000)
    assert data["totals"]["poolFinancialCents"] == "42000000000"
    assert data["offsets"] == {"proposedRelocations": 30000, "pledgedRelocations": 5500,
                               "pledgeRatio": "0.1833", "requestable": False, "mandatory": False,
                               "requestableThreshold": "0.5", "mandatoryThreshold": "0.6"}
    everyone = gql(BALANCES)["solidarityBalances"]
    assert len(everyone["accounts"]) == 27
    assert int(everyone["totals"]["deliveredCents"]) == sum(
        int(a["deliveredCents"]) for a in everyone["accounts"])
    before_act = gql(BALANCES, {"ms": "DE", "asOf": "2025-12-01T00:00:00+01:00"})
    (early,) = before_act["solidarityBalances"]["accounts"]
    assert before_act["solidarityBalances"]["centsPerRelocation"] is None
    assert early["lines"][0]["obligation"] == {"persons": 3000, "cents": None}
    assert early["obligationCents"] is None  # relocations have no EUR value before the act


def test_a_balance_line_lists_its_entries(gql: GraphQLClient, container: Container) -> None:
    gql = gql.as_role("AUDITOR", "EU")
    small_year(container.ledger)
    container.runner.catch_up()
    query = """query($type: SolidarityType!, $ms: MemberState!, $asOf: DateTime) {
      solidarityBalance(year: 2026, memberState: $ms, type: $type, asOf: $asOf) {
        memberState type delivered { persons }
        entries { event occurredAt amount persons effect caseId legalBasis { article } } } }"""
    line = gql(query, {"type": "RELOCATION", "ms": "DE"})["solidarityBalance"]
    assert [e["event"] for e in line["entries"]] == ["PledgeMade", "RelocationCredited",
                                                     "RelocationCredited"]
    assert line["entries"][1]["amount"] == "2000000" and line["entries"][1]["caseId"]
    assert line["entries"][1]["legalBasis"] == [{"article": "Art 68(1)"}]
    march = gql(query, {"type": "RELOCATION", "ms": "DE", "asOf": "2026-03-01T00:00:00Z"})
    assert len(march["solidarityBalance"]["entries"]) == 2
    assert march["solidarityBalance"]["delivered"] == {"persons": 1}
    poland = gql(query, {"type": "FINANCIAL", "ms": "PL"})["solidarityBalance"]
    assert [(e["event"], e["effect"]) for e in poland["entries"]] == [
        ("DeductionGranted", "DEDUCTED")]
    response = gql.post('{ solidarityBalances(year: 2026, asOf: "2026-03-01T00:00:00") '
                        '{ year } }')
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_AS_OF"


def test_the_rules_list_the_solidarity_rules(gql: GraphQLClient) -> None:
    rules = {r["code"]: r["article"] for r in gql("{ rules { code article } }")["rules"]}
    assert rules["PLEDGES_FIXED_BY_COUNCIL_ACT"] == "AMMR (EU) 2024/1351 Art 57(1)"
    assert rules["DEDUCTION_WHILE_BENEFITING"] == "AMMR (EU) 2024/1351 Art 61(1)"


ENTRY_PAGE = """query($ms: MemberState!, $first: Int, $after: String, $last: Int, $before: String,
                     $asOf: DateTime) {
  solidarityBalance(year: 2026, memberState: $ms, type: RELOCATION, asOf: $asOf) {
    entries { position }
    entryPage(first: $first, after: $after, last: $last, before: $before) { totalCount
      nodes { position event } edges { cursor }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }"""


def test_a_balance_lines_entries_page_both_ways(gql: GraphQLClient, container: Container) -> None:
    gql = gql.as_role("AUDITOR", "EU")
    small_year(container.ledger)
    container.runner.catch_up()

    def line(**args: Any) -> dict[str, Any]:
        return gql(ENTRY_PAGE, {"ms": "DE", **args})["solidarityBalance"]

    whole = [e["position"] for e in line()["entries"]]
    assert len(whole) == 3
    forward, after = [], None
    for _ in range(5):  # one at a time, forward
        got = line(first=1, after=after)["entryPage"]
        assert got["totalCount"] == 3
        forward += [n["position"] for n in got["nodes"]]
        after = got["pageInfo"]["endCursor"]
        if not got["pageInfo"]["hasNextPage"]:
            break
    assert forward == whole
    backward, before = [], None
    for _ in range(5):  # two at a time, backward from the end
        got = line(last=2, before=before)["entryPage"]
        backward = [n["position"] for n in got["nodes"]] + backward
        before = got["pageInfo"]["startCursor"]
        if not got["pageInfo"]["hasPreviousPage"]:
            break
    assert backward == whole
    # the newest entry alone, with the list's page info; as of March: two entries
    newest = line(last=1)["entryPage"]
    assert [n["position"] for n in newest["nodes"]] == whole[-1:]
    assert newest["pageInfo"]["hasPreviousPage"] and not newest["pageInfo"]["hasNextPage"]
    assert line(asOf="2026-03-01T00:00:00Z")["entryPage"]["totalCount"] == 2
    bad = gql.post(ENTRY_PAGE, {"ms": "DE", "after": "nonsense"}).json()
    assert bad["errors"][0]["extensions"]["code"] == "BAD_CURSOR"
