"""Each procedure of the Pact walked end to end on real storage (SQLite and PostgreSQL): every
step through the read-your-writes path, the case list row checked as the case moves, and the
timeline checked at the end against the events the steps reported."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from ledger.case import commands as c
from ledger.case.events import CASE_EVENT_TYPES
from ledger.errors import RuleViolation
from ledger.solidarity.store import find_account
from pact_ledger.wiring import Container
from projections.encoding import loads
from tests.support.acting import handle
from tests.support.cases import NOW, day, end_of, meta_at

MINUTE = timedelta(minutes=1)


@pytest.fixture
def system(container: Container) -> Iterator[Container]:
    """The full system with the ledger's clock fixed after T0 (legal times stay in the past)."""
    container.ledger.clock = lambda: NOW
    yield container


class Walk:
    """One case walked step by step: each step must be allowed and be in the case list when
    the command returns, either by read-your-writes (`container.commands`) or by recording on
    the ledger and letting the runner catch up (`read_your_writes=False`)."""

    def __init__(self, system: Container, read_your_writes: bool = True) -> None:
        self.system = system
        self.read_your_writes = read_your_writes
        self.case_id: UUID | None = None
        self.events: list[str] = []

    def __call__(self, command: Any, when: float | datetime) -> Any:
        if self.read_your_writes:
            applied = handle(self.system.commands, command, meta_at(when))
            assert applied.read_models_current
            outcome = applied.outcome
        else:
            outcome = handle(self.system.ledger, command, meta_at(when))
            assert self.system.runner.catch_up() == len(outcome.positions)
        self.case_id = self.case_id or outcome.aggregate_id
        assert outcome.aggregate_id == self.case_id
        self.events += [t for t in outcome.event_types if t in CASE_EVENT_TYPES]
        row = self.row()
        assert row["version"] == outcome.version
        return row

    def row(self) -> Any:
        row = self.system.reads.cases.case(str(self.case_id))
        assert row is not None
        return row

    def details(self) -> dict[str, Any]:
        return loads(self.row()["details"])  # type: ignore[no-any-return]

    def check_timeline(self) -> list[Any]:
        """The timeline holds exactly the case's events, in order, each with its legal basis,
        legal times never going back."""
        timeline = self.system.reads.cases.timeline(str(self.case_id))
        assert [r["event_type"] for r in timeline] == self.events
        assert [r["version"] for r in timeline] == list(range(1, len(self.events) + 1))
        occurred = [r["occurred_at"] for r in timeline]
        assert occurred == sorted(occurred)
        assert all(loads(r["legal_basis"]) for r in timeline)
        return timeline


def _payload(timeline: list[Any], event_type: str) -> dict[str, Any]:
    return loads(next(r for r in timeline if r["event_type"] == event_type)["payload"])  # type: ignore[no-any-return]


def test_sea_arrival_to_refugee_status_and_closure(system: Container) -> None:
    """(a) Screening after disembarkation with every check, application, registration, Eurodac,
    lodging, regular procedure, interview, refugee status, final, permit, marking, closure."""
    walk = Walk(system)
    person = c.Person("SY", date_of_birth=date(1994, 5, 1), family_name="Haddad")
    row = walk(c.StartScreening("IT", "P-A", person, "SEARCH_AND_RESCUE", "Lampedusa hotspot"), 0)
    assert (row["status"], row["screening"]) == ("SCREENING", "IN_PROGRESS")
    case_id = walk.case_id
    assert case_id is not None
    walk(c.RecordHealthCheck(case_id, "NO_NEEDS"), 0.1)
    walk(c.RecordVulnerabilityCheck(case_id, ()), 0.2)
    walk(c.RecordIdentityCheck(case_id, "DOCUMENT", established=True), 0.3)
    walk(c.RecordSecurityCheck(case_id, hit=False, databases=("SIS", "Europol")), 0.4)
    walk(c.ProvideInformation(case_id, ("screening", "asylum", "data protection"), "ar"), 0.4)
    row = walk(c.MakeApplication("IT", "P-A", "Lampedusa hotspot"), 0.5)
    assert row["status"] == "APPLICATION_MADE"
    row = walk(c.CompleteScreening(case_id, "REFER_TO_REGISTRATION", "SF-A"), 2)
    assert (row["screening"], row["screening_outcome"]) == ("COMPLETED", "REFER_TO_REGISTRATION")
    assert walk(c.RegisterApplication(case_id), 3)["status"] == "REGISTERED"
    walk(c.CaptureBiometrics(case_id, "APPLICANT"), 3.1)
    walk(c.TransmitToEurodac(case_id, "EU-IT-A"), 3.5)
    assert walk.details()["eurodac"]["transmitted"] is True
    assert walk(c.LodgeApplication(case_id), 8)["status"] == "LODGED"
    row = walk(c.AssignProcedure(case_id, "REGULAR"), 9)
    assert (row["status"], row["procedure"]) == ("UNDER_EXAMINATION", "REGULAR")
    walk(c.RecordInterview(case_id, "INT-A", "ar", interpreter=True), 40)
    row = walk(c.IssueDecision(case_id, "REFUGEE_STATUS", "QR Art 13", day(90)), 90)
    assert (row["status"], row["last_decision_type"], row["decision_final"]) == (
        "DECIDED", "REFUGEE_STATUS", 0)
    row = walk(c.DeclareDecisionFinal(case_id), 91)
    assert (row["status"], row["decision_final"]) == ("PROTECTED", 1)
    walk(c.IssueResidencePermit(case_id, "PdS-A", date(2029, 6, 1)), 95)
    walk(c.MarkInEurodac(case_id), 95)
    details = walk.details()
    assert details["permit"] == {"ref": "PdS-A", "valid_until": "2029-06-01"}
    assert details["eurodac"]["marked"] is True
    row = walk(c.CloseCase(case_id, "PROTECTION_GRANTED"), 100)
    assert (row["status"], row["closed_reason"]) == ("CLOSED", "PROTECTION_GRANTED")
    timeline = walk.check_timeline()
    assert [r["event_type"] for r in timeline[:2]] == ["CaseOpened", "ScreeningStarted"]


def test_border_procedure_to_return(system: Container) -> None:
    """(b) Low recognition rate: mandatory border procedure, manifestly unfounded with a return
    decision, appeal without suspensive effect, request to remain refused, right to remain
    ended, return border procedure, voluntary departure, return, closure."""
    system.ledger.recognition_rate = lambda nationality: Decimal("0.05")
    walk = Walk(system)
    walk(c.StartScreening("IT", "P-B", c.Person("BD"), "IRREGULAR_CROSSING", "Trieste"), 0)
    case_id = walk.case_id
    assert case_id is not None
    walk(c.RecordSecurityCheck(case_id, hit=False), 0.5)
    walk(c.MakeApplication("IT", "P-B", "Trieste"), 1)
    walk(c.CompleteScreening(case_id, "REFER_TO_REGISTRATION", "SF-B"), 2)
    walk(c.RegisterApplication(case_id), 2)
    row = walk(c.AssignProcedure(case_id, "BORDER", ("APR Art 45(1)(c)",)), 2)
    assert (row["status"], row["procedure"]) == ("UNDER_EXAMINATION", "BORDER")
    assert walk.details()["flags"]["border_mandatory"] is True
    walk(c.LodgeApplication(case_id), 4)
    walk(c.RecordInterview(case_id, "INT-B", "bn", interpreter=True), 10)
    row = walk(c.IssueDecision(case_id, "MANIFESTLY_UNFOUNDED", "APR Art 39(3)", day(30),
                               with_return_decision=True, voluntary_departure_days=15), 30)
    assert (row["status"], row["return_decision_issued"]) == ("DECIDED", 1)
    row = walk(c.LodgeAppeal(case_id, "Tribunale di Trieste"), 33)
    assert (row["status"], row["pending_appeal_no"]) == ("APPEAL_PENDING", 1)
    assert loads(row["appeals"])[0]["suspensive"] is False
    walk(c.LodgeRequestToRemain(case_id), 33)
    walk(c.DecideRequestToRemain(case_id, granted=False), 38)
    assert walk.details()["request_to_remain"] == "REFUSED"
    row = walk(c.EndRightToRemain(case_id, "request to remain refused"), 38)
    assert (row["status"], row["right_to_remain_ended"]) == ("APPEAL_PENDING", 1)
    walk(c.StartReturnBorderProcedure(case_id), 38)
    walk(c.GrantVoluntaryDeparture(case_id, 15), 38)
    assert walk.details()["return_"]["border_procedure"] is True
    assert walk(c.RecordReturn(case_id, "BD"), 50)["status"] == "RETURNED"
    row = walk(c.CloseCase(case_id, "RETURNED"), 51)
    assert (row["status"], row["closed_reason"]) == ("CLOSED", "RETURNED")
    timeline = walk.check_timeline()
    assert _payload(timeline, "ProcedureAssigned")["recognition_rate"] == "0.05"
    assert _payload(timeline, "ReturnDecisionIssued")["joint_with_decision_no"] == 1


def test_dublin_deemed_acceptance_and_transfer(system: Container) -> None:
    """(c) Eurodac hit, take charge request, deemed accepted after the reply period, transfer
    decision, transfer, closure as transferred."""
    walk = Walk(system)
    walk(c.MakeApplication("IT", "P-C", "Questura di Milano", c.Person("AF")), 0)
    case_id = walk.case_id
    assert case_id is not None
    walk(c.RegisterApplication(case_id), 1)
    walk(c.RecordEurodacHit(case_id, "IRREGULAR_CROSSING", "EL", "HIT-C"), 2)
    row = walk(c.RequestTakeCharge(case_id, "EL", "AMMR Art 33(1)", hit_based=True), 3)
    assert row["responsibility_state"] == "TAKE_CHARGE_REQUESTED"
    # two weeks from Thursday 5 March, in Greece's calendar (it replies): to 19 March
    row = walk(c.DeemTakeChargeAccepted(case_id), end_of(2026, 3, 19, "Europe/Athens") + MINUTE)
    assert row["responsibility_state"] == "TRANSFER_PENDING"
    assert walk(c.IssueTransferDecision(case_id), 20)["status"] == "TRANSFER_PENDING"
    row = walk(c.ExecuteTransfer(case_id), 45)
    assert (row["status"], row["responsibility_state"]) == ("TRANSFERRED", "TRANSFERRED")
    row = walk(c.CloseCase(case_id, "TRANSFERRED"), 46)
    assert (row["status"], row["closed_reason"]) == ("CLOSED", "TRANSFERRED")
    walk.check_timeline()


def test_dublin_transfer_period_expires_and_the_examination_continues_here(
    system: Container,
) -> None:
    """(c) Accepted, transfer decision, no transfer within six months: responsibility shifts
    here (AMMR Art 37(1)) and the examination resumes to a decision."""
    walk = Walk(system, read_your_writes=False)
    walk(c.MakeApplication("IT", "P-C2", "Questura di Como", c.Person("IQ")), 0)
    case_id = walk.case_id
    assert case_id is not None
    walk(c.RegisterApplication(case_id), 1)
    walk(c.LodgeApplication(case_id), 3)
    walk(c.AssignProcedure(case_id, "REGULAR"), 4)
    walk(c.RequestTakeCharge(case_id, "DE", "AMMR Art 26"), 10)
    walk(c.ReplyToTakeCharge(case_id, accepted=True), 20)
    assert walk(c.IssueTransferDecision(case_id), 25)["status"] == "TRANSFER_PENDING"
    transfer_end = end_of(2026, 9, 22)  # accepted Sunday 22 March: six months, end of day
    with pytest.raises(RuleViolation) as refused:
        handle(system.commands, c.ExecuteTransfer(case_id),
               meta_at(transfer_end + MINUTE))
    assert refused.value.rule.code == "TRANSFER_PERIOD_EXPIRED"
    row = walk(c.ShiftResponsibility(case_id, "TRANSFER_TIME_LIMIT_EXPIRED"),
               transfer_end + MINUTE)
    assert (row["status"], row["responsibility_state"]) == ("UNDER_EXAMINATION",
                                                            "RESPONSIBLE_HERE")
    row = walk(c.IssueDecision(case_id, "SUBSIDIARY_PROTECTION", "QR Art 15", day(240)), 240)
    assert (row["status"], row["last_decision_type"]) == ("DECIDED", "SUBSIDIARY_PROTECTION")
    walk.check_timeline()


def test_relocation_to_arrival(system: Container) -> None:
    """(d) Selected, accepted, transferred, arrived: the case is relocated and the relocation
    member state's account credited in the same transaction (AMMR Art 68(1))."""
    walk = Walk(system)
    walk(c.MakeApplication("IT", "P-D", "Pozzallo", c.Person("SD")), 0)
    case_id = walk.case_id
    assert case_id is not None
    walk(c.RegisterApplication(case_id), 1)
    row = walk(c.SelectForRelocation(case_id, "PT"), 5)
    assert (row["status"], row["relocation_state"]) == ("REGISTERED", "SELECTED")
    assert walk(c.AcceptRelocation(case_id), 8)["relocation_state"] == "ACCEPTED"
    assert walk(c.TransferForRelocation(case_id), 20)["relocation_state"] == "TRANSFERRED"
    row = walk(c.RecordRelocationArrival(case_id), 21)
    assert (row["status"], row["relocation_state"]) == ("RELOCATED", "ARRIVED")
    account = find_account(system.ledger, day(21).year, "PT")
    assert account is not None and account.has_credited(case_id)
    row = walk(c.CloseCase(case_id, "TRANSFERRED"), 22)
    assert row["status"] == "CLOSED"
    walk.check_timeline()


def test_inadmissible_appealed_remitted_then_regular(system: Container) -> None:
    """(e) Admissibility examination, inadmissible with a return decision, appeal (no automatic
    suspensive effect, APR Art 68(3)(b)), remitted, regular procedure, decision."""
    walk = Walk(system)
    walk(c.MakeApplication("IT", "P-E", "Questura di Bari", c.Person("GE")), 0)
    case_id = walk.case_id
    assert case_id is not None
    walk(c.RegisterApplication(case_id), 1)
    walk(c.LodgeApplication(case_id), 2)
    row = walk(c.AssignProcedure(case_id, "ADMISSIBILITY", ("APR Art 38(1)(b)",)), 3)
    assert row["procedure"] == "ADMISSIBILITY"
    row = walk(c.IssueDecision(case_id, "INADMISSIBLE", "safe third country", day(20),
                               with_return_decision=True), 20)
    assert (row["status"], row["last_decision_type"]) == ("DECIDED", "INADMISSIBLE")
    row = walk(c.LodgeAppeal(case_id, "Tribunale di Bari"), 25)
    assert loads(row["appeals"])[0]["suspensive"] is False
    row = walk(c.DecideAppeal(case_id, "REMITTED"), 60)
    assert (row["status"], row["standing_decision_no"], row["return_decision_issued"]) == (
        "UNDER_EXAMINATION", None, 0)
    row = walk(c.AssignProcedure(case_id, "REGULAR"), 61)
    assert row["procedure"] == "REGULAR"
    row = walk(c.IssueDecision(case_id, "REFUGEE_STATUS", "QR Art 13", day(150)), 150)
    assert (row["status"], row["last_decision_type"]) == ("DECIDED", "REFUGEE_STATUS")
    walk.check_timeline()


def test_subsequent_application_after_a_final_rejection(system: Container) -> None:
    """(f) Rejected, final after the appeal period, then a subsequent application with new
    elements (APR Art 55), examined again to a new decision."""
    walk = Walk(system, read_your_writes=False)
    walk(c.MakeApplication("IT", "P-F", "Questura di Torino", c.Person("NG")), 0)
    case_id = walk.case_id
    assert case_id is not None
    walk(c.RegisterApplication(case_id), 1)
    walk(c.LodgeApplication(case_id), 2)
    walk(c.AssignProcedure(case_id, "REGULAR"), 3)
    walk(c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39", day(60),
                         with_return_decision=True), 60)
    # notified Friday 1 May: one month ends with Monday 1 June
    row = walk(c.DeclareDecisionFinal(case_id), end_of(2026, 6, 1) + MINUTE)
    assert (row["status"], row["decision_final"], row["right_to_remain_ended"]) == (
        "NO_RIGHT_TO_REMAIN", 1, 1)
    row = walk(c.MakeSubsequentApplication(case_id, new_elements=True), 120)
    assert (row["status"], row["standing_decision_no"], row["decision_final"]) == (
        "LODGED", None, 0)
    assert (row["right_to_remain_ended"], row["return_decision_issued"]) == (0, 0)
    assert walk.details()["subsequent_applications"] == 1
    walk(c.AssignProcedure(case_id, "REGULAR"), 121)
    row = walk(c.IssueDecision(case_id, "SUBSIDIARY_PROTECTION", "QR Art 15", day(180)), 180)
    assert [d["decision_type"] for d in loads(row["decisions"])] == [
        "UNFOUNDED", "SUBSIDIARY_PROTECTION"]
    assert (row["status"], row["last_decision_type"]) == ("DECIDED", "SUBSIDIARY_PROTECTION")
    walk.check_timeline()


def test_entry_authorised_when_the_border_period_runs_out(system: Container) -> None:
    """(g) Twelve weeks from registration without the right to remain ending: entry is
    authorised and the examination continues on the territory (APR Art 51(2))."""
    walk = Walk(system)
    walk(c.MakeApplication("EL", "P-G", "Samos CCAC", c.Person("PK")), 0)
    case_id = walk.case_id
    assert case_id is not None
    walk(c.RegisterApplication(case_id), 1)
    walk(c.AssignProcedure(case_id, "BORDER"), 1)
    walk(c.LodgeApplication(case_id), 3)
    end = end_of(2026, 5, 26, "Europe/Athens")  # registered Tuesday 3 March: 12 weeks
    with pytest.raises(RuleViolation) as refused:
        handle(system.commands, c.AuthoriseEntry(case_id), meta_at(end))
    assert refused.value.rule.code == "BORDER_PERIOD_RUNNING"
    row = walk(c.AuthoriseEntry(case_id), end + MINUTE)
    assert (row["status"], row["procedure"]) == ("UNDER_EXAMINATION", "REGULAR")
    assert walk.details()["flags"]["entry_authorised"] is True
    row = walk(c.IssueDecision(case_id, "REFUGEE_STATUS", "QR Art 13", day(120)), 120)
    assert row["status"] == "DECIDED"
    walk.check_timeline()
