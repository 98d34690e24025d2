"""Properties of the case over random command sequences (hypothesis).

(i) In memory: commands drawn from every case command, with plausible arguments and legal times
that never go back, are either recorded or refused with a `LedgerError` (anything else is a bug);
a refusal records nothing; after every recorded command the aggregate and its event history keep
the invariants of pact-rules 8.3 and a status that agrees with the sub-states.
(ii) On SQLite and PostgreSQL: the case list and timeline kept live, command by command, equal
the ones a rebuild from zero produces.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.case.age_assessment.values import AgeAssessmentResult
from ledger.case.aggregate import Case
from ledger.case.detention.values import DetentionGround, ReleaseReason
from ledger.case.phase import Phase as CasePhase
from ledger.case.reception.values import AllocationKind, ReductionGround
from ledger.command_meta import CommandMeta
from ledger.crisis import commands as cc
from ledger.deadlines.catalogue import DEROGATIONS
from ledger.errors import LedgerError
from ledger.vocabulary import (
    AppealOutcome,
    CaseStatus,
    ClosureReason,
    DecisionType,
    EurodacCategory,
    Procedure,
    ResponsibilityCause,
    ScreeningOutcome,
    ScreeningTrigger,
)
from pact_ledger.wiring import Container
from tests.support.cases import NOW, T0, meta_at

Draw = Callable[[st.SearchStrategy[Any]], Any]
Builder = Callable[[Draw, "Subject", datetime], Any]

MS = "IT"
RATES = {"BD": Decimal("0.05"), "SY": Decimal("0.90")}
#: Gaps between steps, in days: the same moment, hours, and long enough for every period.
GAPS = st.sampled_from([0, 0.01, 0.5, 2, 8, 16, 35, 70, 200])
OTHER_MS = st.sampled_from(["EL", "DE", "PT", MS])
_references = count(1)


class Subject:
    """The case a sequence is about: its identity and the person's data."""

    def __init__(self, reference: str, person: c.Person) -> None:
        self.reference = reference
        self.person = person
        self.case_id = Case.create_id(MS, reference)


def _text(options: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(options)


def _decision(draw: Draw, s: Subject, when: datetime) -> c.IssueDecision:
    kind = draw(st.sampled_from([d.value for d in DecisionType]))
    rejection = DecisionType(kind).is_rejection
    notified = draw(st.sampled_from(["same", "none", "later", "before"]))
    notified_at = {"same": when, "none": None, "later": when + timedelta(days=2),
                   "before": when - timedelta(days=1)}[notified]
    plausible = draw(st.integers(0, 9)) > 0
    with_return = rejection if plausible else draw(st.booleans())
    exception = None
    if rejection and plausible and draw(st.integers(0, 4)) == 0:
        with_return, exception = False, "Return Directive Art 6(4) permit"
    elif not plausible and draw(st.booleans()):
        exception = "no return"
    return c.IssueDecision(s.case_id, kind, "ground", notified_at, with_return,
                           draw(st.sampled_from([None, 7, 30])), exception)


BUILDERS: dict[type, Builder] = {
    c.StartScreening: lambda d, s, w: c.StartScreening(
        MS, s.reference, s.person, d(st.sampled_from([t.value for t in ScreeningTrigger])),
        "hotspot", d(st.booleans())),
    c.RecordHealthCheck: lambda d, s, w: c.RecordHealthCheck(
        s.case_id, d(_text(["NO_NEEDS", "NEEDS_CARE"]))),
    c.RecordVulnerabilityCheck: lambda d, s, w: c.RecordVulnerabilityCheck(
        s.case_id, d(st.lists(_text(["MINOR", "PREGNANT"]), max_size=2).map(tuple))),
    c.RecordIdentityCheck: lambda d, s, w: c.RecordIdentityCheck(
        s.case_id, "DOCUMENT", d(st.booleans())),
    c.RecordSecurityCheck: lambda d, s, w: c.RecordSecurityCheck(
        s.case_id, d(st.integers(0, 4)) == 0, ("SIS",)),
    c.ProvideInformation: lambda d, s, w: c.ProvideInformation(s.case_id, ("rights",), "ar"),
    c.AssignRepresentative: lambda d, s, w: c.AssignRepresentative(
        s.case_id, "PROVISIONAL", "REP-1"),
    c.CompleteScreening: lambda d, s, w: c.CompleteScreening(
        s.case_id, d(st.sampled_from([o.value for o in ScreeningOutcome])), "SF-1",
        d(st.sampled_from([(), ("health",)]))),
    c.CaptureBiometrics: lambda d, s, w: c.CaptureBiometrics(
        s.case_id, d(st.sampled_from([e.value for e in EurodacCategory])),
        d(st.sampled_from([None, 4, 30]))),
    c.TransmitToEurodac: lambda d, s, w: c.TransmitToEurodac(s.case_id, "EU-1"),
    c.RecordEurodacHit: lambda d, s, w: c.RecordEurodacHit(
        s.case_id, "IRREGULAR_CROSSING", d(st.sampled_from(["EL", "ES"])), "HIT-1"),
    c.RecordSecurityFlag: lambda d, s, w: c.RecordSecurityFlag(s.case_id, "EAW offence"),
    c.MarkInEurodac: lambda d, s, w: c.MarkInEurodac(s.case_id),
    c.UnmarkInEurodac: lambda d, s, w: c.UnmarkInEurodac(s.case_id, "withdrawn"),
    c.MakeApplication: lambda d, s, w: c.MakeApplication(MS, s.reference, "office", s.person),
    c.RegisterApplication: lambda d, s, w: c.RegisterApplication(s.case_id),
    c.LodgeApplication: lambda d, s, w: c.LodgeApplication(s.case_id),
    c.MakeSubsequentApplication: lambda d, s, w: c.MakeSubsequentApplication(
        s.case_id, d(st.booleans())),
    c.RequestTakeCharge: lambda d, s, w: c.RequestTakeCharge(
        s.case_id, d(OTHER_MS), "AMMR Art 33(1)", d(st.booleans())),
    c.ReplyToTakeCharge: lambda d, s, w: c.ReplyToTakeCharge(s.case_id, d(st.booleans()), "r"),
    c.DeemTakeChargeAccepted: lambda d, s, w: c.DeemTakeChargeAccepted(s.case_id),
    c.NotifyTakeBack: lambda d, s, w: c.NotifyTakeBack(s.case_id, d(OTHER_MS), "HIT-1"),
    c.ReplyToTakeBack: lambda d, s, w: c.ReplyToTakeBack(s.case_id, d(st.booleans()), "r"),
    c.DeemTakeBackConfirmed: lambda d, s, w: c.DeemTakeBackConfirmed(s.case_id),
    c.IssueTransferDecision: lambda d, s, w: c.IssueTransferDecision(s.case_id),
    c.ExecuteTransfer: lambda d, s, w: c.ExecuteTransfer(s.case_id),
    c.LodgeTransferAppeal: lambda d, s, w: c.LodgeTransferAppeal(
        s.case_id, "Tribunale", d(st.booleans())),
    c.DecideTransferSuspension: lambda d, s, w: c.DecideTransferSuspension(
        s.case_id, d(st.booleans())),
    c.DecideTransferAppeal: lambda d, s, w: c.DecideTransferAppeal(s.case_id, d(st.booleans())),
    c.EstablishResponsibility: lambda d, s, w: c.EstablishResponsibility(s.case_id, "Art 16"),
    c.ShiftResponsibility: lambda d, s, w: c.ShiftResponsibility(
        s.case_id, d(st.sampled_from([r.value for r in ResponsibilityCause]))),
    c.AssignProcedure: lambda d, s, w: c.AssignProcedure(
        s.case_id, d(st.sampled_from([p.value for p in Procedure])), ("ground",)),
    c.RecordInterview: lambda d, s, w: c.RecordInterview(s.case_id, "INT", "ar", True),
    c.ExtendExamination: lambda d, s, w: c.ExtendExamination(
        s.case_id, "complexity", d(st.sampled_from([0, 30, 61, 200])),
        d(st.sampled_from([0, 0, 1, 2, 6]))),
    c.IssueDecision: _decision,
    c.NotifyDecision: lambda d, s, w: c.NotifyDecision(s.case_id),
    c.LodgeAppeal: lambda d, s, w: c.LodgeAppeal(s.case_id, "Tribunale"),
    c.LodgeRequestToRemain: lambda d, s, w: c.LodgeRequestToRemain(s.case_id),
    c.DecideRequestToRemain: lambda d, s, w: c.DecideRequestToRemain(s.case_id, d(st.booleans())),
    c.DecideAppeal: lambda d, s, w: c.DecideAppeal(s.case_id, *d(st.sampled_from([
        (AppealOutcome.UPHELD.value, None), (AppealOutcome.REMITTED.value, None),
        (AppealOutcome.OVERTURNED.value, "REFUGEE_STATUS"),
        (AppealOutcome.OVERTURNED.value, "SUBSIDIARY_PROTECTION"),
        (AppealOutcome.OVERTURNED.value, "UNFOUNDED")]))),
    c.DeclareDecisionFinal: lambda d, s, w: c.DeclareDecisionFinal(s.case_id),
    c.EndRightToRemain: lambda d, s, w: c.EndRightToRemain(s.case_id, "reason"),
    c.AuthoriseEntry: lambda d, s, w: c.AuthoriseEntry(s.case_id),
    c.IssueReturnDecision: lambda d, s, w: c.IssueReturnDecision(
        s.case_id, d(st.sampled_from([None, 15]))),
    c.StartReturnBorderProcedure: lambda d, s, w: c.StartReturnBorderProcedure(s.case_id),
    c.GrantVoluntaryDeparture: lambda d, s, w: c.GrantVoluntaryDeparture(
        s.case_id, d(st.sampled_from([0, 10, 15, 16, 30, 31]))),
    c.RecordReturn: lambda d, s, w: c.RecordReturn(s.case_id, "BD"),
    c.RecordAbsconding: lambda d, s, w: c.RecordAbsconding(s.case_id),
    c.IssueResidencePermit: lambda d, s, w: c.IssueResidencePermit(
        s.case_id, "P-1", (w + timedelta(days=d(st.sampled_from([0, 1000])))).date()),
    c.CloseCase: lambda d, s, w: c.CloseCase(
        s.case_id, d(st.sampled_from([r.value for r in ClosureReason]))),
    c.SelectForRelocation: lambda d, s, w: c.SelectForRelocation(s.case_id, d(OTHER_MS)),
    c.AcceptRelocation: lambda d, s, w: c.AcceptRelocation(s.case_id),
    c.TransferForRelocation: lambda d, s, w: c.TransferForRelocation(s.case_id),
    c.RecordRelocationArrival: lambda d, s, w: c.RecordRelocationArrival(s.case_id),
    c.RecordRelocationNoShow: lambda d, s, w: c.RecordRelocationNoShow(s.case_id),
    c.CancelRelocation: lambda d, s, w: c.CancelRelocation(s.case_id, "withdrawn"),
    c.ErasePersonalData: lambda d, s, w: c.ErasePersonalData(s.case_id, d(st.sampled_from(
        ["NATURALISATION", "DATA_SUBJECT_REQUEST", "RETENTION_ENDED"]))),
    c.OrderDetention: lambda d, s, w: c.OrderDetention(
        s.case_id, d(st.sampled_from([g.value for g in DetentionGround])), "DO-1",
        d(st.integers(0, 5)) > 0, d(st.sampled_from(["ADMINISTRATIVE", "JUDICIAL"])),
        d(st.booleans()), d(st.booleans())),
    c.RequestDetentionReview: lambda d, s, w: c.RequestDetentionReview(s.case_id),
    c.DecideDetentionReview: lambda d, s, w: c.DecideDetentionReview(s.case_id, d(st.booleans())),
    c.ReleaseFromDetention: lambda d, s, w: c.ReleaseFromDetention(
        s.case_id, d(st.sampled_from([r.value for r in ReleaseReason]))),
    c.AllocateReception: lambda d, s, w: c.AllocateReception(
        s.case_id, d(st.sampled_from([k.value for k in AllocationKind])), "CARA Bari",
        d(st.sampled_from([None, "PUBLIC_ORDER"]))),
    c.AssessSpecialReceptionNeeds: lambda d, s, w: c.AssessSpecialReceptionNeeds(
        s.case_id, d(st.sampled_from([(), ("PREGNANCY",)]))),
    c.ReduceMaterialConditions: lambda d, s, w: c.ReduceMaterialConditions(
        s.case_id, d(st.sampled_from(["REDUCE", "WITHDRAW"])),
        d(st.sampled_from([g.value for g in ReductionGround])), "left the centre"),
    c.GrantLabourMarketAccess: lambda d, s, w: c.GrantLabourMarketAccess(s.case_id),
    c.InitiateAgeAssessment: lambda d, s, w: c.InitiateAgeAssessment(
        s.case_id, d(st.sampled_from(["MULTIDISCIPLINARY", "MEDICAL"])), d(st.booleans())),
    c.RecordAgeAssessmentResult: lambda d, s, w: c.RecordAgeAssessmentResult(
        s.case_id, d(st.sampled_from([r.value for r in AgeAssessmentResult])),
        d(st.sampled_from([None, 16, 19]))),
    # issue 11 part 5 (p5b)
    c.RequestTransferSuspension: lambda d, s, w: c.RequestTransferSuspension(s.case_id),
    c.RecordArrivalByTransfer: lambda d, s, w: c.RecordArrivalByTransfer(s.case_id, d(OTHER_MS)),
    c.InformOfLegalCounselling: lambda d, s, w: c.InformOfLegalCounselling(s.case_id, "ar"),
    c.RequestLegalAid: lambda d, s, w: c.RequestLegalAid(s.case_id, d(_text(
        ["COUNSELLING", "ASSISTANCE"]))),
    c.DecideLegalAid: lambda d, s, w: c.DecideLegalAid(s.case_id, *d(st.sampled_from([
        ("COUNSELLING", True, "ASGI", None), ("ASSISTANCE", True, "ASGI", None),
        ("ASSISTANCE", False, None, "NO_SUFFICIENT_PROSPECT"),
        ("COUNSELLING", False, None, "FURTHER_INSTANCE"), ("ASSISTANCE", True, None, None)]))),
    c.ChallengeLegalAidRefusal: lambda d, s, w: c.ChallengeLegalAidRefusal(s.case_id),
    c.RequestInterpreter: lambda d, s, w: c.RequestInterpreter(s.case_id, "ps"),
    c.DecideInterpreter: lambda d, s, w: c.DecideInterpreter(s.case_id, *d(st.sampled_from([
        (True, "INT-1", None), (False, None, "LANGUAGE_UNDERSTOOD"), (True, None, None)]))),
    c.ReceiveMonitoringAllegation: lambda d, s, w: c.ReceiveMonitoringAllegation(
        s.case_id, "NGO", "ACCESS_TO_ASYLUM", d(st.booleans())),
    c.TriggerInvestigation: lambda d, s, w: c.TriggerInvestigation(
        s.case_id, d(st.integers(0, 2)), "Garante"),
    c.RecordInvestigationProgress: lambda d, s, w: c.RecordInvestigationProgress(
        s.case_id, d(st.integers(1, 2))),
    c.CloseInvestigation: lambda d, s, w: c.CloseInvestigation(
        s.case_id, d(st.integers(1, 2)), "NOT_ESTABLISHED", d(_text(["NONE", "CRIMINAL"]))),
    c.StartWithdrawalProcedure: lambda d, s, w: c.StartWithdrawalProcedure(s.case_id, d(_text(
        ["CESSATION_CIRCUMSTANCES", "DANGER_TO_SECURITY", "MISREPRESENTATION"]))),
    c.InformOfWithdrawal: lambda d, s, w: c.InformOfWithdrawal(s.case_id, "ar"),
    c.SubmitWithdrawalObservations: lambda d, s, w: c.SubmitWithdrawalObservations(s.case_id),
    c.DecideWithdrawal: lambda d, s, w: c.DecideWithdrawal(
        s.case_id, d(st.booleans()), d(st.booleans())),
}

#: Steps that end or freeze a case are drawn less often, so sequences get somewhere.
_RARE = {c.CloseCase, c.RecordAbsconding, c.RecordSecurityFlag, c.StartScreening,
         c.ErasePersonalData}
ALL = [k for k in BUILDERS if k not in _RARE] * 4 + sorted(_RARE, key=lambda k: k.__name__)

#: Steps likely to be allowed next, by status (a guide, not a rule: any command may follow).
NEXT: dict[CaseStatus, list[type]] = {
    CaseStatus.SCREENING: [c.MakeApplication, c.RecordSecurityCheck, c.CompleteScreening,
                           c.RecordHealthCheck, c.ReceiveMonitoringAllegation,
                           c.TriggerInvestigation, c.RecordInvestigationProgress,
                           c.CloseInvestigation],
    CaseStatus.REFERRED_TO_RETURN: [c.IssueReturnDecision, c.RecordReturn, c.MakeApplication],
    CaseStatus.APPLICATION_MADE: [c.RegisterApplication, c.CompleteScreening,
                                  c.InformOfLegalCounselling, c.RecordArrivalByTransfer],
    CaseStatus.REGISTERED: [c.LodgeApplication, c.AssignProcedure, c.RequestTakeCharge,
                            c.NotifyTakeBack, c.CaptureBiometrics, c.TransmitToEurodac,
                            c.EstablishResponsibility, c.SelectForRelocation],
    CaseStatus.LODGED: [c.AssignProcedure, c.RecordInterview, c.RequestInterpreter,
                        c.DecideInterpreter, c.RequestLegalAid, c.DecideLegalAid],
    CaseStatus.UNDER_EXAMINATION: [c.IssueDecision, c.IssueDecision, c.RecordInterview,
                                   c.AuthoriseEntry, c.LodgeApplication, c.ExtendExamination],
    CaseStatus.DECIDED: [c.NotifyDecision, c.LodgeAppeal, c.DeclareDecisionFinal,
                         c.EndRightToRemain, c.IssueReturnDecision, c.RequestLegalAid,
                         c.DecideLegalAid, c.ChallengeLegalAidRefusal,
                         c.StartWithdrawalProcedure, c.InformOfWithdrawal, c.DecideWithdrawal],
    CaseStatus.APPEAL_PENDING: [c.DecideAppeal, c.LodgeRequestToRemain,
                                c.DecideRequestToRemain, c.EndRightToRemain,
                                c.SelectForRelocation],
    CaseStatus.PROTECTED: [c.IssueResidencePermit, c.MarkInEurodac, c.UnmarkInEurodac,
                           c.CloseCase, c.StartWithdrawalProcedure, c.InformOfWithdrawal,
                           c.SubmitWithdrawalObservations, c.DecideWithdrawal],
    CaseStatus.PROTECTION_WITHDRAWN: [c.CloseCase, c.MarkInEurodac, c.MakeSubsequentApplication],
    CaseStatus.NO_RIGHT_TO_REMAIN: [c.StartReturnBorderProcedure, c.GrantVoluntaryDeparture,
                                    c.RecordReturn, c.MakeSubsequentApplication],
    CaseStatus.TRANSFER_PENDING: [c.ExecuteTransfer, c.ShiftResponsibility,
                                  c.LodgeTransferAppeal, c.DecideTransferSuspension,
                                  c.DecideTransferAppeal],
    CaseStatus.RETURNED: [c.CloseCase],
    CaseStatus.TRANSFERRED: [c.CloseCase],
    CaseStatus.RELOCATED: [c.CloseCase],
    CaseStatus.ABSCONDED: [c.CloseCase, c.IssueDecision],
}
_RESPONSIBILITY_NEXT = {
    "TAKE_CHARGE_REQUESTED": [c.ReplyToTakeCharge, c.DeemTakeChargeAccepted],
    "TAKE_BACK_NOTIFIED": [c.ReplyToTakeBack, c.DeemTakeBackConfirmed],
    "TRANSFER_PENDING": [c.IssueTransferDecision, c.ExecuteTransfer, c.ShiftResponsibility,
                         c.LodgeTransferAppeal, c.DecideTransferSuspension,
                         c.DecideTransferAppeal, c.RequestTransferSuspension],
}
_RELOCATION_NEXT = {
    "SELECTED": [c.AcceptRelocation, c.CancelRelocation],
    "ACCEPTED": [c.TransferForRelocation, c.CancelRelocation],
    "TRANSFERRED": [c.RecordRelocationArrival, c.RecordRelocationNoShow],
}


def _person(draw: Draw) -> c.Person:
    return c.Person(draw(st.sampled_from(["SY", "BD", "AF"])),
                    date_of_birth=draw(st.sampled_from([None, date(1990, 1, 1),
                                                        date(2021, 6, 1)])),
                    unaccompanied_minor=draw(st.integers(0, 3)) == 0)


def _next_kind(draw: Draw, ledger: Ledger, subject: Subject) -> type:
    """Mostly a command the case's state suggests, otherwise any command."""
    try:
        case = ledger.get_case(subject.case_id)
    except LedgerError:
        return draw(st.sampled_from([c.StartScreening, c.MakeApplication]))
    suggested = list(NEXT.get(case.status, []))
    suggested += _RESPONSIBILITY_NEXT.get(case.responsibility.state, [])
    suggested += _RELOCATION_NEXT.get(case.relocation and case.relocation.state, [])
    if suggested and draw(st.integers(0, 9)) < 7:
        return draw(st.sampled_from(suggested))
    return draw(st.sampled_from(ALL))


def play(draw: Draw, handle: Callable[[Any, CommandMeta], Any], ledger: Ledger,
         subject: Subject, steps: int, after_each: Callable[[Any], None] | None = None) -> None:
    """Run `steps` random commands on `subject` at non-decreasing legal times from T0. A refusal
    must be a `LedgerError` and record nothing; `after_each` sees each recorded outcome."""
    when = T0
    if draw(st.integers(0, 4)) == 0:  # sometimes a crisis is in force for part of the time
        derogations = tuple(sorted(draw(st.sets(st.sampled_from(DEROGATIONS), min_size=1))))
        until = T0 + timedelta(days=draw(st.sampled_from([30, 90])))
        try:
            handle(cc.DeclareCrisis(MS, "MASS_ARRIVALS", T0, until, derogations, "CID"),
                   meta_at(T0))
        except LedgerError:  # one is already declared (an earlier example, same database)
            pass
    for _ in range(steps):
        when = when + timedelta(days=draw(GAPS))
        kind = _next_kind(draw, ledger, subject)
        command = BUILDERS[kind](draw, subject, when)
        before = ledger.recorder.max_notification_id()
        try:
            outcome = handle(command, meta_at(when))
        except LedgerError:
            assert ledger.recorder.max_notification_id() == before, "a refusal recorded events"
            continue
        if after_each is not None:
            after_each(outcome)


# --- invariants -----------------------------------------------------------------------------------
_RELOCATION_STEPS = ("RelocationSelected", "RelocationAccepted", "RelocationTransferred",
                     "RelocationArrived")


def _flags(event: Any) -> bool:
    name = type(event).__name__
    return name == "SecurityFlagRecorded" or (name == "SecurityCheckCompleted" and event.hit)


def history_violations(events: list[Any]) -> list[str]:
    """The invariants of pact-rules 8.3, read off the recorded events alone."""
    found: list[str] = []
    opened = events[0]
    flagged = entered = False
    notified: dict[int, bool] = {}
    by_court: set[int] = set()
    for i, event in enumerate(events):
        name = type(event).__name__
        assert event.originator_version == i + 1
        if i and event.envelope.occurred_at < events[i - 1].envelope.occurred_at:
            found.append(f"{name}: legal time went back")
        closed = any(type(e).__name__ == "CaseClosed" for e in events[:i])
        # the monitoring mechanism goes on after the case is closed (Screening Art 10)
        if closed and event.phase is not CasePhase.MONITORING:
            found.append(f"{name} after CaseClosed")
        if name in _RELOCATION_STEPS and flagged:
            found.append(f"{name} after a security flag (AMMR Art 67(2))")
        if name == "ProcedureAssigned" and event.procedure == "BORDER":
            if opened.unaccompanied_minor and not flagged:
                found.append("border procedure for an unaccompanied minor without a security "
                             "ground")
            if entered:
                found.append("border procedure after entry was authorised")
        entered = entered or name == "EntryAuthorised"
        if name == "DecisionIssued":
            notified[event.decision_no] = event.notified_at is not None
            following = events[i + 1] if i + 1 < len(events) else None
            joint = (following is not None
                     and type(following).__name__ == "ReturnDecisionIssued"
                     and following.envelope.command_id == event.envelope.command_id
                     and following.joint_with_decision_no == event.decision_no)
            if DecisionType(event.decision_type).is_rejection:
                if joint == (event.return_exception is not None):
                    found.append("a rejection without exactly one of return decision/exception")
            elif joint or event.return_exception is not None:
                found.append("a return decision or exception with a non-rejection")
        if name == "DecisionNotified":
            notified[event.decision_no] = True
        if name == "AppealDecided" and event.decision_no is not None:
            notified[event.decision_no] = True
            by_court.add(event.decision_no)
        if name == "AppealLodged" and (not notified.get(event.decision_no)
                                       or event.decision_no in by_court):
            found.append("an appeal against a decision not notified (or the court's own)")
        flagged = flagged or _flags(event)
    return found


def state_violations(case: Case) -> list[str]:
    """The status agrees with the sub-states it summarises."""
    s, found = case.status, []

    def need(condition: bool, what: str) -> None:
        if not condition:
            found.append(f"{s.value}: {what}")

    need((s is CaseStatus.CLOSED) == (case.closed_reason is not None), "closed iff a reason")
    need(s is not CaseStatus.TRANSFERRED or case.responsibility.state == "TRANSFERRED",
         "transferred")
    need(s is not CaseStatus.TRANSFER_PENDING or (
        case.responsibility.state == "TRANSFER_PENDING"
        and case.responsibility.transfer_decision), "a transfer decision pending")
    need(s is not CaseStatus.RELOCATED or case.relocation and case.relocation.state == "ARRIVED",
         "arrived")
    need(s is not CaseStatus.RETURNED or bool(case.return_.returned), "returned")
    need(s is not CaseStatus.ABSCONDED or bool(case.absconded), "absconded")
    need(s is not CaseStatus.PROTECTED or case.protected, "a protection decision stands")
    need(s is not CaseStatus.PROTECTION_WITHDRAWN or (
        case.withdrawal is not None and case.withdrawal.state == "WITHDRAWN"), "withdrawn")
    need(not case.protected or case.withdrawal is None
         or case.withdrawal.state != "WITHDRAWN", "no protection once withdrawn")
    need(s is not CaseStatus.NO_RIGHT_TO_REMAIN or (case.rejected and case.right_to_remain_ended),
         "a rejection and no right to remain")
    need(s is not CaseStatus.APPEAL_PENDING or case.pending_appeal_no is not None,
         "a pending appeal")
    need(s is not CaseStatus.DECIDED or case.standing_decision_no is not None,
         "a standing decision")
    need(s is not CaseStatus.UNDER_EXAMINATION or (
        case.procedure is not None and case.standing_decision_no is None),
         "a procedure and no standing decision")
    need(s is not CaseStatus.LODGED or case.lodged_at is not None, "lodged")
    need(s is not CaseStatus.REGISTERED or case.registered_at is not None, "registered")
    need(s is not CaseStatus.APPLICATION_MADE or case.application_made_at is not None, "made")
    need(case.pending_appeal is None or case.pending_appeal.outcome is None,
         "the pending appeal is undecided")
    need(not case.decision_final or case.standing_decision_no is not None,
         "finality of a standing decision")
    need(not case.right_to_remain_ended or case.rejected,
         "no right to remain only under a rejection")
    need(not case.return_decision_issued or case.rejected or case.application_made_at is None,
         "a return decision only after a rejection or a referral to return")
    detention = case.detention
    need(not (detention and detention.current and case.unaccompanied_minor
              and not detention.minor_exception),
         "an unaccompanied minor detained only where it protects them (RCD Art 13(2))")
    return found


def check(ledger: Ledger, subject: Subject) -> None:
    case = ledger.get_case(subject.case_id)
    events = list(ledger.events.get(subject.case_id))
    found = set(history_violations(events)) | set(state_violations(case))
    assert not found, (sorted(found), [type(e).__name__ for e in events])


def test_every_case_command_has_a_builder() -> None:
    """The sequences draw from all case commands: a new command must be added here."""
    assert set(BUILDERS) == set(c.CASE_COMMANDS)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_random_sequences_keep_the_invariants(data: st.DataObject) -> None:
    """Whatever order steps come in, the ledger refuses (with a rule) rather than record a case
    that breaks the law's invariants or a status that contradicts its sub-states."""
    ledger = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=lambda: NOW,
                    recognition_rate=RATES.get)
    subject = Subject(f"H-{next(_references)}", _person(data.draw))
    try:
        play(data.draw, ledger.handle, ledger, subject, data.draw(st.integers(5, 40)),
             after_each=lambda outcome: check(ledger, subject))
    finally:
        ledger.close()


def _snapshot(system: Container) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    cases = system.db.fetchall("SELECT * FROM case_list ORDER BY case_id")
    events = system.db.fetchall("SELECT * FROM case_events ORDER BY seq")
    return [dict(r) for r in cases], [dict(r) for r in events]


@pytest.mark.storage
@settings(max_examples=20, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_live_read_models_equal_a_rebuild(container: Container, data: st.DataObject) -> None:
    """Kept command by command (read-your-writes), the case list and timeline hold exactly what
    a rebuild from the first event produces. (No shrinking: each example adds to one database,
    so shrinking a failure would take minutes; the failing seed is printed.)"""
    container.ledger.clock = lambda: NOW
    container.ledger.recognition_rate = RATES.get
    subjects = [Subject(f"H-{next(_references)}", _person(data.draw)) for _ in range(2)]
    for subject in subjects:
        play(data.draw, container.commands.handle, container.ledger, subject,
             data.draw(st.integers(5, 25)), after_each=_current)
    live = _snapshot(container)
    versions = {r["case_id"]: r["version"] for r in live[0]}
    for subject in subjects:
        if _exists(container.ledger, subject):
            assert versions[str(subject.case_id)] == container.ledger.get_case(
                subject.case_id).version
    container.runner.rebuild()
    assert _snapshot(container) == live


def _current(applied: Any) -> None:
    assert applied.read_models_current


def _exists(ledger: Ledger, subject: Subject) -> bool:
    try:
        ledger.get_case(subject.case_id)
    except LedgerError:
        return False
    return True
