"""Resettlement admissions on SQLite and PostgreSQL: the read model follows the log, counts
the decision's time limit by Reg. 1182/71 in the member state's calendar, pages the files,
narrows them to the reader's member state, and rebuilds to the same rows."""

from __future__ import annotations

from datetime import UTC, datetime

from ledger.resettlement import commands as r
from pact_ledger.demo.resettlement import seed_resettlement_demo
from pact_ledger.wiring import Container
from projections.admission_queries import AdmissionFilter, ScopedAdmissions, decision_status
from tests.support.acting import handle, principal
from tests.support.resettlement import PERIOD, adopted, granted_through, meta, registration


def _world(container: Container) -> None:
    ledger = container.ledger
    adopted(ledger)
    handle(ledger, r.RecordPlanContribution(PERIOD, "IT", resettlement=2, humanitarian_admission=1),
           meta("2025-12-01"))
    granted_through(ledger, "IT-RS-1", upto="ARRIVED")
    granted_through(ledger, "IT-HA-2", upto="REGISTERED", admission_type="HUMANITARIAN_ADMISSION",
                    procedure="EXPEDITED", vulnerable=True)
    handle(ledger, registration("DE-RS-1", ms="DE"), meta("2026-02-02"))
    container.runner.catch_up()


def test_the_read_model_follows_an_admission_to_its_arrival(container: Container) -> None:
    _world(container)
    reads = container.reads.admissions
    rows = reads.admissions(AdmissionFilter(member_state="IT"), 10, None)
    assert [row["reference"] for row in rows] == ["IT-RS-1", "IT-HA-2"]
    arrived, expedited = rows
    assert (arrived["status"], arrived["protection_status"], arrived["lump_sum_cents"]) == (
        "ARRIVED", "REFUGEE", 10_000_00)
    assert arrived["counts_toward_solidarity"] == 0
    assert decision_status(arrived, reads.clock()).value == "MET"
    # Registered on 2 February 2026 (Rome): 7 months end on Wednesday 2 September; 4 months on
    # Tuesday 2 June, Republic Day in Italy, so the period ends at the end of 3 June (Art 3(4)).
    assert arrived["decision_due_at"] == "2026-09-02T21:59:59.999999Z"
    assert expedited["decision_due_at"] == "2026-06-03T21:59:59.999999Z"
    assert "Art 3(4)" in expedited["deadline_counting"]
    assert decision_status(expedited, reads.clock()).value == "BREACHED"
    timeline = reads.timeline(arrived["admission_id"])
    assert [t["event_type"] for t in timeline] == [
        "AdmissionRegistered", "AdmissionAssessed", "AdmissionConsentRecorded",
        "AdmissionDecided", "AdmittedPersonArrived"]


def test_the_plan_shows_contributions_beside_arrivals(container: Container) -> None:
    _world(container)
    plan = container.reads.admissions.plan(PERIOD)
    assert plan is not None
    assert (plan.plan["period_end"], plan.plan["resettlement"]) == (2027, 10_000)
    assert [c["member_state"] for c in plan.contributions] == ["IT"]
    assert plan.arrived == {("IT", "RESETTLEMENT"): (1, 0)}


def test_pages_and_scope(container: Container) -> None:
    _world(container)
    reads = container.reads.admissions
    first = reads.admissions(AdmissionFilter(), 1, None)
    assert len(first) == 2  # one more than asked: there is a next page
    rest = reads.admissions(AdmissionFilter(), 5, first[0]["seq"])
    assert [row["reference"] for row in rest] == ["IT-HA-2", "DE-RS-1"]
    german = ScopedAdmissions(reads, principal("CASE_WORKER", "DE"))
    assert [row["reference"] for row in german.admissions(AdmissionFilter(), 5, None)] == [
        "DE-RS-1"]
    assert german.admission(rest[0]["admission_id"]) is None
    assert german.timeline(rest[0]["admission_id"]) == []
    assert german.count(AdmissionFilter(member_state="IT")) == 0


def test_a_rebuild_gives_the_same_rows(container: Container) -> None:
    _world(container)
    before = container.db.fetchall("SELECT * FROM admissions ORDER BY seq")
    container.runner.rebuild()
    after = container.db.fetchall("SELECT * FROM admissions ORDER BY seq")
    assert [dict(row) for row in after] == [dict(row) for row in before]


def test_the_demo_records_every_path_once(container: Container) -> None:
    now = datetime(2026, 11, 22, tzinfo=UTC)
    container.ledger.clock = lambda: now
    first = seed_resettlement_demo(container, now)
    assert first.refused == () and first.events == first.commands
    again = seed_resettlement_demo(container, now)
    assert (again.events, again.replayed) == (0, first.commands)
    container.runner.catch_up()
    reads = container.reads.admissions
    statuses = {row["status"] for row in reads.admissions(AdmissionFilter(), 100, None)}
    assert statuses == {"ARRIVED", "ADMISSION_GRANTED", "ADMISSION_REFUSED", "DISCONTINUED",
                        "REGISTERED"}
    refused = reads.admissions(AdmissionFilter(status="ADMISSION_REFUSED"), 100, None)
    assert sorted(row["refusal_grounds"] for row in refused) == [
        '["DANGER_TO_COMMUNITY"]', '["REFUSED_IN_PREVIOUS_YEARS"]']
    plan = reads.plan(2026)
    assert plan is not None and len(plan.contributions) == 5
