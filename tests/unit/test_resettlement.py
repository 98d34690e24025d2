"""Resettlement and humanitarian admission (URF (EU) 2024/1350) on the in-memory store: the
Union plan, an admission file from registration to arrival, and each rule provoked, recording
nothing when it refuses."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date
from typing import get_args, get_type_hints

import pytest

from ledger.application import Ledger
from ledger.command_meta import Doc
from ledger.envelope import Step
from ledger.errors import InvalidInput
from ledger.resettlement import commands as r
from ledger.resettlement.admission import Admission, lump_sum, refused_within_lookback
from ledger.resettlement.parameters import LumpSums, ProcedureParameters, SolidarityLink
from ledger.resettlement.plan import UnionPlan
from tests.support.acting import handle
from tests.support.refusals import provokes, refused
from tests.support.resettlement import (
    COUNCIL,
    PERIOD,
    adopted,
    granted_through,
    meta,
    on,
    plan,
    registration,
)


def _admission(ledger: Ledger, reference: str = "IT-RS-1") -> Admission:
    return ledger.repository.get(Admission.create_id("IT", reference))  # type: ignore[no-any-return]


def test_a_plan_is_adopted_and_member_states_contribute(ledger: Ledger) -> None:
    adopted(ledger)
    outcome = handle(ledger, r.RecordPlanContribution(PERIOD, "IT", resettlement=500,
                                                      humanitarian_admission=100),
                     meta("2025-12-01", COUNCIL))
    assert outcome.event_types == ("PlanContributionRecorded",)
    union_plan = ledger.repository.get(UnionPlan.create_id(PERIOD))
    assert (union_plan.period_start, union_plan.period_end) == (2026, 2027)
    assert union_plan.contributions["IT"] == (500, 100, 0)
    stored = ledger.recorder.select_notifications(1, 1)[0]
    assert stored.topic == "pact-ledger:resettlement.UnionPlanAdopted"


@provokes("UNION_PLAN_ADOPTED_OUT_OF_TIME")
def test_the_plan_is_adopted_in_the_year_before_its_period(ledger: Ledger) -> None:
    refused(ledger, plan(), on("2026-01-10"), "UNION_PLAN_ADOPTED_OUT_OF_TIME")


@provokes("UNION_PLAN_ALREADY_ADOPTED")
def test_one_plan_covers_each_year(ledger: Ledger) -> None:
    adopted(ledger)
    refused(ledger, plan(), on("2025-12-01"), "UNION_PLAN_ALREADY_ADOPTED")
    refused(ledger, plan(PERIOD + 1), on("2026-11-01"), "UNION_PLAN_ALREADY_ADOPTED")


@provokes("UNION_PLAN_NOT_ADOPTED")
def test_no_contribution_or_admission_without_a_plan(ledger: Ledger) -> None:
    refused(ledger, r.RecordPlanContribution(PERIOD, "IT", resettlement=5), on("2025-12-01"),
            "UNION_PLAN_NOT_ADOPTED")
    refused(ledger, registration(), on("2026-02-02"), "UNION_PLAN_NOT_ADOPTED")


@provokes("ADMISSION_OUTSIDE_PLAN_PERIOD")
def test_an_admission_is_registered_within_the_plan_s_period(ledger: Ledger) -> None:
    adopted(ledger)
    refused(ledger, registration(), on("2028-01-03"), "ADMISSION_OUTSIDE_PLAN_PERIOD")


def test_an_admission_runs_from_registration_to_arrival(ledger: Ledger) -> None:
    adopted(ledger)
    granted_through(ledger, upto="ARRIVED")
    admission = _admission(ledger)
    assert admission.status == "ARRIVED"
    arrived = list(ledger.events.get(admission.id))[-1]
    assert type(arrived).__name__ == "AdmittedPersonArrived"
    assert arrived.lump_sum_cents == 10_000_00
    assert arrived.counts_toward_solidarity is False
    assert "unconfirmed" in arrived.solidarity_basis
    assert str(arrived.envelope.legal_basis[0]) == "URF (EU) 2024/1350 Art 14"


@provokes("ADMISSION_ALREADY_REGISTERED")
def test_a_reference_names_one_file(ledger: Ledger) -> None:
    adopted(ledger)
    granted_through(ledger, upto="REGISTERED")
    refused(ledger, registration(), on("2026-02-03"), "ADMISSION_ALREADY_REGISTERED")


@provokes("ADMISSION_NOT_REGISTERED")
def test_a_step_on_an_unknown_file_is_refused(ledger: Ledger) -> None:
    refused(ledger, r.RecordAdmissionConsent("IT", "nope"), on("2026-02-03"),
            "ADMISSION_NOT_REGISTERED")


@provokes("ADMISSION_GRANT_DESPITE_REFUSAL_GROUND")
def test_a_mandatory_ground_forbids_a_grant_and_the_refusal_cites_it(ledger: Ledger) -> None:
    adopted(ledger)
    granted_through(ledger, upto="REGISTERED")
    handle(ledger, r.AssessAdmission("IT", "IT-RS-1", ("ENTRY_REFUSAL_ALERT",)),
           meta("2026-03-02"))
    handle(ledger, r.RecordAdmissionConsent("IT", "IT-RS-1"), meta("2026-03-03"))
    refused(ledger, r.DecideAdmission("IT", "IT-RS-1", True), on("2026-03-04"),
            "ADMISSION_GRANT_DESPITE_REFUSAL_GROUND")
    handle(ledger, r.DecideAdmission("IT", "IT-RS-1", False), meta("2026-03-04"))
    decided = list(ledger.events.get(_admission(ledger).id))[-1]
    assert list(decided.refusal_grounds) == ["ENTRY_REFUSAL_ALERT"]
    assert str(decided.envelope.legal_basis[0]) == "URF (EU) 2024/1350 Art 6(1)"


@provokes("ADMISSION_GRANT_DESPITE_REFUSAL_GROUND")
def test_an_earlier_refusal_within_three_years_is_ground_f(ledger: Ledger) -> None:
    adopted(ledger)
    granted_through(ledger, upto="REGISTERED")
    handle(ledger, r.AssessAdmission("IT", "IT-RS-1", earlier_refusal_on=date(2023, 3, 3),
                                     earlier_refusal_ground="DANGER_TO_COMMUNITY"),
           meta("2026-03-02"))
    assert _admission(ledger).refusal_grounds == ("REFUSED_IN_PREVIOUS_YEARS",)
    handle(ledger, r.RecordAdmissionConsent("IT", "IT-RS-1"), meta("2026-03-03"))
    refused(ledger, r.DecideAdmission("IT", "IT-RS-1", True), on("2026-03-04"),
            "ADMISSION_GRANT_DESPITE_REFUSAL_GROUND")


def test_ground_f_looks_back_three_years_and_only_at_grounds_c_and_d() -> None:
    when = on("2026-03-02")
    assert refused_within_lookback(date(2023, 3, 2), "ENTRY_REFUSAL_ALERT", when)
    assert not refused_within_lookback(date(2023, 3, 1), "ENTRY_REFUSAL_ALERT", when)
    assert not refused_within_lookback(date(2025, 1, 1), "SERIOUS_CRIME", when)


@provokes("ADMISSION_DECISION_REQUIRES_ASSESSMENT")
def test_admission_is_decided_after_the_assessment(ledger: Ledger) -> None:
    adopted(ledger)
    granted_through(ledger, upto="REGISTERED")
    refused(ledger, r.DecideAdmission("IT", "IT-RS-1", False), on("2026-02-10"),
            "ADMISSION_DECISION_REQUIRES_ASSESSMENT")


@provokes("ADMISSION_GRANT_REQUIRES_CONSENT")
def test_admission_is_granted_to_a_person_who_consented(ledger: Ledger) -> None:
    adopted(ledger)
    granted_through(ledger, upto="ASSESSED")
    refused(ledger, r.DecideAdmission("IT", "IT-RS-1", True), on("2026-03-05"),
            "ADMISSION_GRANT_REQUIRES_CONSENT")


def test_the_unconfirmed_ordering_rules_are_parameters(ledger: Ledger) -> None:
    adopted(ledger)
    granted_through(ledger, upto="REGISTERED")
    admission = _admission(ledger)
    step = meta("2026-02-10")
    loose = ProcedureParameters(decision_requires_assessment=False, grant_requires_consent=False)
    admission.decide(Step(step.occurred_at, step.actor, "c1", "c1", "c1", on("2030-01-01")),
                     True, loose)
    assert admission.status == "ADMISSION_GRANTED"


@provokes("ADMISSION_ALREADY_ASSESSED")
def test_a_file_is_assessed_once(ledger: Ledger) -> None:
    adopted(ledger)
    granted_through(ledger, upto="ASSESSED")
    refused(ledger, r.AssessAdmission("IT", "IT-RS-1"), on("2026-03-03"),
            "ADMISSION_ALREADY_ASSESSED")


@provokes("ADMISSION_ALREADY_DECIDED")
def test_admission_is_decided_once(ledger: Ledger) -> None:
    adopted(ledger)
    granted_through(ledger)
    refused(ledger, r.DecideAdmission("IT", "IT-RS-1", False), on("2026-04-02"),
            "ADMISSION_ALREADY_DECIDED")
    refused(ledger, r.AssessAdmission("IT", "IT-RS-1"), on("2026-04-02"),
            "ADMISSION_ALREADY_DECIDED")
    refused(ledger, r.RecordAdmissionConsent("IT", "IT-RS-1"), on("2026-04-02"),
            "ADMISSION_ALREADY_DECIDED")


@provokes("ADMISSION_ARRIVAL_REQUIRES_GRANT")
def test_a_person_arrives_once_admission_was_granted(ledger: Ledger) -> None:
    adopted(ledger)
    granted_through(ledger, upto="CONSENTED")
    refused(ledger, r.RecordAdmissionArrival("IT", "IT-RS-1", "REFUGEE"), on("2026-03-20"),
            "ADMISSION_ARRIVAL_REQUIRES_GRANT")


@provokes("ADMISSION_STATUS_NOT_FOR_TYPE")
def test_resettlement_leads_to_international_protection(ledger: Ledger) -> None:
    adopted(ledger)
    granted_through(ledger)
    refused(ledger, r.RecordAdmissionArrival("IT", "IT-RS-1", "NATIONAL_HUMANITARIAN_STATUS"),
            on("2026-04-20"), "ADMISSION_STATUS_NOT_FOR_TYPE")


@provokes("ADMISSION_CLOSED")
def test_nothing_is_recorded_on_a_closed_file(ledger: Ledger) -> None:
    adopted(ledger)
    granted_through(ledger, upto="ARRIVED")
    refused(ledger, r.DiscontinueAdmission("IT", "IT-RS-1", "CONSENT_WITHDRAWN"),
            on("2026-06-01"), "ADMISSION_CLOSED")


@provokes("OCCURRED_BEFORE_PREVIOUS_STEP", "OCCURRED_IN_FUTURE")
def test_legal_time_moves_forward(ledger: Ledger) -> None:
    adopted(ledger)
    granted_through(ledger, upto="ASSESSED")
    refused(ledger, r.RecordAdmissionConsent("IT", "IT-RS-1"), on("2026-02-20"),
            "OCCURRED_BEFORE_PREVIOUS_STEP")
    refused(ledger, r.RecordAdmissionConsent("IT", "IT-RS-1"), on("2099-01-01"),
            "OCCURRED_IN_FUTURE")


def test_a_discontinued_file_is_closed(ledger: Ledger) -> None:
    adopted(ledger)
    granted_through(ledger, upto="CONSENTED")
    handle(ledger, r.DiscontinueAdmission("IT", "IT-RS-1", "NOT_REACHABLE"), meta("2026-03-20"))
    assert _admission(ledger).status == "DISCONTINUED"


def test_a_replayed_command_records_nothing_new(ledger: Ledger) -> None:
    adopted(ledger)
    first = handle(ledger, registration(), meta("2026-02-02", command_id="reg-1"))
    again = handle(ledger, registration(), meta("2026-02-02", command_id="reg-1"))
    assert again.replayed and again.version == first.version


def test_lump_sums_follow_amif_article_19() -> None:
    assert lump_sum("RESETTLEMENT", True) == 10_000_00
    assert lump_sum("HUMANITARIAN_ADMISSION", False) == 6_000_00
    assert lump_sum("HUMANITARIAN_ADMISSION", True) == 8_000_00
    assert lump_sum("EMERGENCY_ADMISSION", False, LumpSums(emergency=1)) == 1


def test_the_solidarity_link_is_a_parameter_recorded_with_the_arrival(ledger: Ledger) -> None:
    adopted(ledger)
    granted_through(ledger)
    admission = _admission(ledger)
    step = meta("2026-04-10")
    admission.record_arrival(Step(step.occurred_at, step.actor, "c2", "c2", "c2",
                                  on("2030-01-01")), "REFUGEE",
                             link=replace(SolidarityLink(), counts=True))
    assert admission.collect_events()[-1].counts_toward_solidarity is True


@pytest.mark.parametrize("command, field", [
    (registration(admission_type="NOPE"), "admissionType"),
    (replace(registration(), country_of_residence="ZZZ"), "countryOfResidence"),
    (replace(registration(), persons=0), "persons"),
    (r.AssessAdmission("IT", "IT-RS-1", ("NOPE",)), "refusalGrounds[0]"),
    (r.AssessAdmission("IT", "IT-RS-1", earlier_refusal_on=date(2024, 1, 1)),
     "earlierRefusalGround"),
    (replace(plan(), resettlement=-1), "resettlement"),
])
def test_malformed_input_is_refused_by_field(ledger: Ledger, command: object, field: str) -> None:
    adopted(ledger)
    with pytest.raises(InvalidInput) as caught:
        handle(ledger, command, meta("2026-02-02"))
    assert field in {p.field for p in caught.value.problems}


@pytest.mark.parametrize("command", r.RESETTLEMENT_COMMANDS, ids=lambda c: c.__name__)
def test_each_command_cites_its_article_and_describes_every_field(command: type) -> None:
    """The generated mutations take their descriptions from here (`Doc`, the docstring)."""
    doc = command.__doc__ or ""
    assert "Art" in doc or "article not found" in doc
    hints = get_type_hints(command, include_extras=True)
    undocumented = [f.name for f in fields(command)
                    if not any(isinstance(extra, Doc) for extra in get_args(hints[f.name])[1:])]
    assert undocumented == []
