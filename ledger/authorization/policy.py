"""The one table of who may do what, and the checks every write and read goes through.

Writes: each command type lists the roles that may record it; a command type missing from the
table is refused to everyone. Where a command records for: a case (its member state), the
member state it names, or the Union (EU-level principals only). Reads: each role lists what it
may read; records of cases and accounts are further narrowed to the principal's member state.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any
from uuid import UUID

from ledger.authorization.roles import EU, Role, in_scope, principal_problem
from ledger.case import commands as c
from ledger.crisis import commands as cc
from ledger.envelope import Actor
from ledger.errors import CaseNotFound, Forbidden
from ledger.reference_data.commands import REFERENCE_COMMANDS
from ledger.resettlement import commands as rs
from ledger.solidarity import commands as s

SO, CW, DM, AB = (Role.SCREENING_OFFICER, Role.CASE_WORKER, Role.DECISION_MAKER,
                  Role.APPEAL_BODY)
AU, SC, AD = Role.AUDITOR, Role.SOLIDARITY_COORDINATOR, Role.ADMINISTRATOR
DP = Role.DATA_PROTECTION_OFFICER
FM = Role.FUNDAMENTAL_RIGHTS_MONITOR

#: The Union-level steps of the solidarity cycle (AMMR Arts 9-13, 57, 60), and the grant of a
#: deduction (Arts 61-62): taken by Union institutions, recorded only at EU level.
UNION_LEVEL: frozenset[type] = frozenset({
    s.AdoptAnnualReport, s.AdoptMigratoryPressureDecision, s.RecordFairShareInputs,
    s.ProposePool, s.ConveneForum, s.EstablishPool, s.CloseCycle, s.GrantDeduction})
#: The Union Resettlement and Humanitarian Admission Plan (URF Art 8(1)): a Council act.
RESETTLEMENT_UNION_LEVEL: frozenset[type] = frozenset({rs.AdoptUnionPlan})

_GROUPS: tuple[tuple[frozenset[Role], tuple[type, ...]], ...] = (
    (frozenset({SO}), (c.StartScreening, c.RecordHealthCheck, c.RecordVulnerabilityCheck,
                       c.RecordIdentityCheck, c.RecordSecurityCheck, c.CompleteScreening)),
    # An application may be made to the screening authority (APR Art 26); information,
    # representatives and Eurodac capture happen at screening or after it.
    (frozenset({SO, CW}), (c.MakeApplication, c.ProvideInformation, c.AssignRepresentative,
                           c.CaptureBiometrics, c.TransmitToEurodac, c.RecordEurodacHit,
                           c.RecordSecurityFlag)),
    (frozenset({CW}), (
        c.MarkInEurodac, c.UnmarkInEurodac, c.RegisterApplication, c.LodgeApplication,
        c.MakeSubsequentApplication, c.RequestTakeCharge, c.ReplyToTakeCharge,
        c.DeemTakeChargeAccepted, c.NotifyTakeBack, c.ReplyToTakeBack, c.DeemTakeBackConfirmed,
        c.ExecuteTransfer, c.EstablishResponsibility, c.ShiftResponsibility, c.AssignProcedure,
        c.AuthoriseEntry, c.StartReturnBorderProcedure, c.RecordReturn, c.RecordAbsconding,
        c.IssueResidencePermit, c.CloseCase, c.SelectForRelocation, c.AcceptRelocation,
        c.TransferForRelocation, c.RecordRelocationArrival, c.RecordRelocationNoShow,
        c.CancelRelocation)),
    # Facts that follow from a decision or from the law, recorded by either.
    (frozenset({CW, DM}), (c.RecordInterview, c.NotifyDecision, c.DeclareDecisionFinal,
                           c.EndRightToRemain)),
    # Decisions with legal effect that the person may appeal.
    (frozenset({DM}), (c.IssueDecision, c.ExtendExamination, c.IssueTransferDecision,
                       c.IssueReturnDecision, c.GrantVoluntaryDeparture)),
    # Issue 11 part 5: detention orders, age assessment (the authorities); reviews (courts).
    (frozenset({CW, DM}), (c.OrderDetention, c.ReleaseFromDetention, c.InitiateAgeAssessment,
                           c.RecordAgeAssessmentResult, c.AllocateReception,
                           c.AssessSpecialReceptionNeeds, c.GrantLabourMarketAccess)),
    (frozenset({DM}), (c.ReduceMaterialConditions,)),
    (frozenset({AB}), (c.RequestDetentionReview, c.DecideDetentionReview)),
    (frozenset({AB}), (c.LodgeAppeal, c.LodgeRequestToRemain, c.DecideRequestToRemain,
                       c.DecideAppeal, c.LodgeTransferAppeal, c.DecideTransferSuspension,
                       c.DecideTransferAppeal)),
    # Issue 11 part 5: safeguards (case workers record requests and what the authority gave or
    # refused; the court's own legal-aid decision by the appeal body), arrival by an AMMR
    # transfer, withdrawal of protection (the determining authority decides it).
    (frozenset({CW}), (c.InformOfLegalCounselling, c.RequestLegalAid, c.RequestInterpreter,
                       c.DecideInterpreter, c.RecordArrivalByTransfer,
                       c.SubmitWithdrawalObservations)),
    (frozenset({CW, AB}), (c.DecideLegalAid,)),
    (frozenset({AB}), (c.ChallengeLegalAidRefusal, c.RequestTransferSuspension)),
    (frozenset({DM}), (c.StartWithdrawalProcedure, c.InformOfWithdrawal, c.DecideWithdrawal)),
    # The independent monitoring mechanism (Screening Art 10(2)): its own role, not an authority
    # that decides the case, as its independence requires.
    (frozenset({FM}), (c.ReceiveMonitoringAllegation, c.TriggerInvestigation,
                       c.RecordInvestigationProgress, c.CloseInvestigation)),
    # A Council implementing decision recorded as reference data: it changes every deadline.
    (frozenset({AD}), cc.CRISIS_COMMANDS),
    # Erasure on request (Eurodac Art 29(4), GDPR Art 17) and the retention schedule's own
    # principal (`pact_ledger.erasure`): never a role that decides the case.
    (frozenset({DP}), (c.ErasePersonalData,)),
    # Published figures the law refers to (Eurostat recognition rates): Union-level data.
    (frozenset({AD}), REFERENCE_COMMANDS),
    (frozenset({SC}), (*sorted(UNION_LEVEL, key=lambda t: t.__name__), s.MakePledge,
                       s.RequestDeduction, s.NotifyBenefitingStatus,
                       s.RecordFinancialContribution, s.RecordAlternativeMeasure)),
    # Resettlement (URF (EU) 2024/1350): the plan and contributions by the coordinators;
    # admission files by case workers, the decision by decision makers.
    (frozenset({SC}), (rs.AdoptUnionPlan, rs.RecordPlanContribution)),
    (frozenset({CW}), (rs.RegisterAdmission, rs.AssessAdmission, rs.RecordAdmissionConsent,
                       rs.RecordAdmissionArrival, rs.DiscontinueAdmission)),
    (frozenset({DM}), (rs.DecideAdmission,)),
)

#: Command type -> the roles that may record it.
WRITES: dict[type, frozenset[Role]] = {t: roles for roles, types in _GROUPS for t in types}


class Read(str, Enum):
    CASES = "CASES"  # case records, timelines, deadlines, decision trails (member-state scoped)
    PERSONAL_DATA = "PERSONAL_DATA"  # names and dates of birth; every read is logged
    SOLIDARITY = "SOLIDARITY"  # the cycle; accounts member-state scoped
    INTEGRITY = "INTEGRITY"  # digests, proofs, verification
    ACCESS_LOG = "ACCESS_LOG"
    #: Everything held about one person, personal data and who read them included (GDPR Art
    #: 15); every export is written to the access log first.
    SUBJECT_ACCESS = "SUBJECT_ACCESS"


#: What each role may read besides reference data (rules, statistics, crisis periods).
READS: dict[Role, frozenset[Read]] = {
    SO: frozenset({Read.CASES, Read.PERSONAL_DATA}),
    CW: frozenset({Read.CASES, Read.PERSONAL_DATA}),
    DM: frozenset({Read.CASES, Read.PERSONAL_DATA}),
    AB: frozenset({Read.CASES, Read.PERSONAL_DATA}),
    AU: frozenset({Read.CASES, Read.SOLIDARITY, Read.INTEGRITY, Read.ACCESS_LOG}),
    SC: frozenset({Read.SOLIDARITY}),
    AD: frozenset({Read.INTEGRITY}),
    DP: frozenset({Read.CASES, Read.SUBJECT_ACCESS}),
    FM: frozenset({Read.CASES}),  # the cases of its member state; no personal data
}


def check_principal(actor: Actor) -> None:
    problem = principal_problem(actor.role, actor.member_state)
    if problem is not None:
        raise Forbidden(f"Not a principal the ledger knows: {problem}")


def may_run(actor: Actor, command_type: type) -> bool:
    return actor.role in WRITES.get(command_type, frozenset())


def check_may_run(actor: Actor, command_type: type) -> None:
    """The role check, before anything is loaded or checked: nothing about any record leaks."""
    check_principal(actor)
    if not may_run(actor, command_type):
        allowed = sorted(r.value for r in WRITES.get(command_type, frozenset()))
        raise Forbidden(f"A {actor.role} may not record {command_type.__name__}"
                        + (f"; only {', '.join(allowed)}" if allowed else ""))


#: The commands recorded for the EU as a whole (`acts_for`), united once, not at every command.
_EU_LEVEL: frozenset[type] = UNION_LEVEL | RESETTLEMENT_UNION_LEVEL | frozenset(REFERENCE_COMMANDS)


def acts_for(command: Any) -> str | None:
    """The member state a command records for: EU for Union-level steps, None when it names a
    case (the case's member state decides)."""
    if type(command) in _EU_LEVEL:
        return EU
    if hasattr(command, "case_id"):
        return None
    return str(command.member_state)


def check_acts_for(actor: Actor, command: Any, case_state: Callable[[UUID], str]) -> None:
    """Member-state scope. A case outside it is refused as not found, exactly like a case that
    does not exist, so that no one learns which cases another member state holds."""
    target = acts_for(command)
    if target is None:
        if not in_scope(actor.member_state, case_state(command.case_id)):
            raise CaseNotFound(command.case_id)
        return
    if target == EU and actor.member_state != EU:
        raise Forbidden(f"{type(command).__name__} is a Union-level step: only an EU-level "
                        f"{actor.role} may record it")
    if not in_scope(actor.member_state, target):
        raise Forbidden(f"A principal of {actor.member_state} may not record for {target}")


def may_read(actor: Actor, what: Read) -> bool:
    if principal_problem(actor.role, actor.member_state) is not None:
        return False
    return what in READS[Role(actor.role)]


def check_may_read(actor: Actor, what: Read) -> None:
    if not may_read(actor, what):
        raise Forbidden(f"A {actor.role} may not read {what.value.lower().replace('_', ' ')}")


def scope_of(actor: Actor) -> str | None:
    """The member state every read is narrowed to; None for an EU-level principal."""
    return None if actor.member_state == EU else actor.member_state
