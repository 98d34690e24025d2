"""Recognition rates and border-procedure load, on both backends, and how procedure assignment
uses the rate (APR Arts 42(1)(j), 45(1))."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.border_capacity import parse_capacities
from ledger.case import commands as c
from ledger.errors import InvalidInput
from ledger.reference_data.commands import LoadRecognitionRates
from pact_ledger.reference_files import load_command, sample_recognition_rates
from pact_ledger.wiring import Container
from projections.statistics_queries import MIN_DECISIONS
from tests.support.acting import handle
from tests.support.flows import screened_applicant
from tests.support.refusals import provokes, refused
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


def table(version: str, year: int, **rates: str) -> dict[str, object]:
    return {"source": "test figures", "referenceYear": year, "version": version,
            "confirmed": False, "note": "", "figures": [
                {"nationality": n, "rate": r} for n, r in rates.items()]}


def load(container: Container, data: dict[str, object], day: float = 1) -> object:
    command, meta = load_command(data, at(day).occurred_at)
    return container.ledger.handle(command, meta)


def assign(container: Container, reference: str) -> dict[str, object]:
    case_id = screened_applicant(container.ledger, reference, nationality="PK")
    handle(container.ledger, c.AssignProcedure(case_id, "ACCELERATED", ("APR Art 42(1)(j)",)),
           at(7))
    [event] = [e for e in container.ledger.events.get(case_id)
               if type(e).__name__ == "ProcedureAssigned"]
    return {"rate": event.recognition_rate, "mandatory": event.border_mandatory,
            "evidence": event.envelope.evidence_refs}


def test_assignment_takes_the_rate_from_the_published_figures_not_the_ledgers_own(
    container: Container,
) -> None:
    """APR Arts 42(1)(j), 45(1): the latest annual EU-wide figures loaded as reference data
    decide, whatever the ledger's own decisions say (here 1 grant in 10: 10%)."""
    for i in range(10):
        decide(container, f"PK-{i}", "PK", "UNFOUNDED" if i else "REFUGEE_STATUS")
    container.runner.catch_up()
    assert container.reads.statistics.recognition_rate("PK") == Decimal("0.1")
    assert assign(container, "PK-none")["rate"] is None  # nothing loaded: no rate
    load(container, table("t-2024", 2024, PK="0.30"))
    assert assign(container, "PK-a") == {"rate": "0.3000", "mandatory": False,
                                         "evidence": ("recognition-rates:t-2024",)}
    load(container, table("t-2025", 2025, PK="0.15"))
    load(container, table("t-2023", 2023, PK="0.90"))  # older figures loaded later: not latest
    assert assign(container, "PK-b") == {"rate": "0.1500", "mandatory": True,
                                         "evidence": ("recognition-rates:t-2025",)}


@provokes("REFERENCE_VERSION_EXISTS")
def test_a_version_is_loaded_once_and_never_changed(container: Container) -> None:
    first = table("v-1", 2025, PK="0.15")
    load(container, first)
    assert load(container, first).replayed  # type: ignore[attr-defined]
    # a correction is a new version
    refused(container.ledger, LoadRecognitionRates(table("v-1", 2025, PK="0.25")), 2,
            "REFERENCE_VERSION_EXISTS")
    with pytest.raises(InvalidInput) as invalid:
        load(container, {**first, "version": "v-2", "figures": [{"nationality": "PK",
                                                                  "rate": "1.5"}]})
    assert [p.field for p in invalid.value.problems] == ["figures[0].rate"]
    container.runner.catch_up()
    shown = container.reads.statistics.reference_rates()
    assert shown is not None and (shown.version, shown.rates) == ("v-1", {"PK": Decimal("0.15")})


def test_the_shipped_sample_is_labelled_unconfirmed(container: Container) -> None:
    sample = sample_recognition_rates()
    assert sample["confirmed"] is False and "SAMPLE" in str(sample["source"])
    load(container, sample)
    container.runner.catch_up()
    shown = container.reads.statistics.reference_rates()
    assert shown is not None and not shown.confirmed and shown.rates["PK"] <= Decimal("0.2")


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
