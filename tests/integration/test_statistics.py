"""Recognition rates and border-procedure load, on both backends, and how procedure assignment
uses the rate (APR Arts 42(1)(j), 45(1))."""

from __future__ import annotations

from decimal import Decimal

from ledger.border_capacity import parse_capacities
from ledger.case import commands as c
from pact_ledger.wiring import Container
from projections.statistics_queries import MIN_DECISIONS
from tests.support.acting import handle
from tests.support.flows import screened_applicant
from tests.support.steps import T0, at


def decide(container: Container, reference: str, nationality: str, kind: str) -> None:
    case_id = screened_applicant(container.ledger, reference, nationality=nationality)
    handle(container.ledger, c.AssignProcedure(case_id, "REGULAR"), at(7))
    rejection = kind in ("UNFOUNDED", "INADMISSIBLE")
    decision = c.IssueDecision(case_id, kind, "ground", with_return_decision=rejection)
    handle(container.ledger, decision, at(40))


def test_rates_count_grants_over_first_instance_decisions(container: Container) -> None:
    for i in range(8):
        decide(container, f"SY-{i}", "SY", "REFUGEE_STATUS")
    for i in range(2):
        decide(container, f"SY-R-{i}", "SY", "UNFOUNDED")
    for i in range(9):
        decide(container, f"BD-{i}", "BD", "UNFOUNDED")
    decide(container, "BD-G", "BD", "SUBSIDIARY_PROTECTION")
    decide(container, "EG-1", "EG", "UNFOUNDED")
    container.runner.catch_up()
    rates = {r.nationality: r for r in container.reads.statistics.recognition_rates()}
    assert (rates["SY"].decisions, rates["SY"].grants, rates["SY"].rate) == (10, 8, Decimal("0.8"))
    assert rates["BD"].rate == Decimal("0.1")
    assert rates["EG"].rate is None  # below MIN_DECISIONS
    assert MIN_DECISIONS == 10
    assert container.reads.statistics.recognition_rates(year=T0.year + 1) == []


def test_assignment_records_the_rate_and_flags_the_border_procedure(
    container: Container,
) -> None:
    for i in range(10):
        decide(container, f"PK-{i}", "PK", "UNFOUNDED" if i else "REFUGEE_STATUS")
    container.runner.catch_up()
    case_id = screened_applicant(container.ledger, "PK-new", nationality="PK")
    handle(container.ledger, c.AssignProcedure(case_id, "ACCELERATED", ("APR Art 42(1)(j)",)),
                            at(7))
    container.runner.catch_up()
    assigned = container.reads.cases.timeline(str(case_id))[-1]
    assert '"recognition_rate":"0.1000"' in assigned["payload"]
    assert '"border_mandatory":true' in assigned["payload"]


def test_border_load_counts_cases_in_the_procedure(container: Container) -> None:
    for i in range(3):
        case_id = screened_applicant(container.ledger, f"B-{i}", ms="EL", nationality="PK")
        handle(container.ledger, c.AssignProcedure(case_id, "BORDER"), at(7))
    container.runner.catch_up()
    (load,) = container.reads.statistics.border_load(T0.year)
    assert (load.member_state, load.in_procedure, load.assigned_this_year) == ("EL", 3, 3)


def test_capacities_are_configuration() -> None:
    assert parse_capacities("IT=8016, el=2720") == {"IT": 8016, "EL": 2720}
    for bad in ("XX=1", "IT=many"):
        try:
            parse_capacities(bad)
        except ValueError as error:
            assert "MEMBER_STATE=NUMBER" in str(error)
        else:  # pragma: no cover
            raise AssertionError(bad)
