"""One mutation per case command. The table names each mutation and the command it records;
the inputs are generated from the commands, the descriptions are their docstrings. Each returns
`CommandResult`: the recorded step with the case as it now stands, or a typed refusal naming the
rule and its article."""

from __future__ import annotations

from ledger.case import commands as c
from projections.consistency import Applied
from schema.cases.types import Case, case_from_row
from schema.command_mutations import documented, mutation_type
from schema.context import Context
from schema.timeline.types import TimelineEvent, timeline_event

#: Every case mutation, by name, in the order the schema lists them.
CASE_MUTATIONS: dict[str, type] = {
    "startScreening": c.StartScreening,
    "recordHealthCheck": c.RecordHealthCheck,
    "recordVulnerabilityCheck": c.RecordVulnerabilityCheck,
    "recordIdentityCheck": c.RecordIdentityCheck,
    "recordSecurityCheck": c.RecordSecurityCheck,
    "provideInformation": c.ProvideInformation,
    "assignRepresentative": c.AssignRepresentative,
    "completeScreening": c.CompleteScreening,
    "captureBiometrics": c.CaptureBiometrics,
    "transmitToEurodac": c.TransmitToEurodac,
    "recordEurodacHit": c.RecordEurodacHit,
    "recordSecurityFlag": c.RecordSecurityFlag,
    "markInEurodac": c.MarkInEurodac,
    "unmarkInEurodac": c.UnmarkInEurodac,
    "makeApplication": c.MakeApplication,
    "registerApplication": c.RegisterApplication,
    "lodgeApplication": c.LodgeApplication,
    "makeSubsequentApplication": c.MakeSubsequentApplication,
    "requestTakeCharge": c.RequestTakeCharge,
    "replyToTakeCharge": c.ReplyToTakeCharge,
    "deemTakeChargeAccepted": c.DeemTakeChargeAccepted,
    "notifyTakeBack": c.NotifyTakeBack,
    "replyToTakeBack": c.ReplyToTakeBack,
    "deemTakeBackConfirmed": c.DeemTakeBackConfirmed,
    "issueTransferDecision": c.IssueTransferDecision,
    "lodgeTransferAppeal": c.LodgeTransferAppeal,
    "decideTransferSuspension": c.DecideTransferSuspension,
    "decideTransferAppeal": c.DecideTransferAppeal,
    "executeTransfer": c.ExecuteTransfer,
    "establishResponsibility": c.EstablishResponsibility,
    "shiftResponsibility": c.ShiftResponsibility,
    "assignProcedure": c.AssignProcedure,
    "recordInterview": c.RecordInterview,
    "extendExamination": c.ExtendExamination,
    "issueDecision": c.IssueDecision,
    "notifyDecision": c.NotifyDecision,
    "lodgeAppeal": c.LodgeAppeal,
    "lodgeRequestToRemain": c.LodgeRequestToRemain,
    "decideRequestToRemain": c.DecideRequestToRemain,
    "decideAppeal": c.DecideAppeal,
    "declareDecisionFinal": c.DeclareDecisionFinal,
    "endRightToRemain": c.EndRightToRemain,
    "authoriseEntry": c.AuthoriseEntry,
    "issueReturnDecision": c.IssueReturnDecision,
    "startReturnBorderProcedure": c.StartReturnBorderProcedure,
    "grantVoluntaryDeparture": c.GrantVoluntaryDeparture,
    "recordReturn": c.RecordReturn,
    "recordAbsconding": c.RecordAbsconding,
    "issueResidencePermit": c.IssueResidencePermit,
    "closeCase": c.CloseCase,
    "selectForRelocation": c.SelectForRelocation,
    "acceptRelocation": c.AcceptRelocation,
    "transferForRelocation": c.TransferForRelocation,
    "recordRelocationArrival": c.RecordRelocationArrival,
    "recordRelocationNoShow": c.RecordRelocationNoShow,
    "cancelRelocation": c.CancelRelocation,
    "erasePersonalData": c.ErasePersonalData,
    "orderDetention": c.OrderDetention, "requestDetentionReview": c.RequestDetentionReview,
    "decideDetentionReview": c.DecideDetentionReview,
    "releaseFromDetention": c.ReleaseFromDetention,
    "allocateReception": c.AllocateReception,
    "assessSpecialReceptionNeeds": c.AssessSpecialReceptionNeeds,
    "reduceMaterialConditions": c.ReduceMaterialConditions,
    "grantLabourMarketAccess": c.GrantLabourMarketAccess,
    "initiateAgeAssessment": c.InitiateAgeAssessment,
    "recordAgeAssessmentResult": c.RecordAgeAssessmentResult,
    # issue 11 part 5 (p5b): safeguards, monitoring, withdrawal, transfer suspension, arrival
    "informOfLegalCounselling": c.InformOfLegalCounselling, "requestLegalAid": c.RequestLegalAid,
    "decideLegalAid": c.DecideLegalAid, "challengeLegalAidRefusal": c.ChallengeLegalAidRefusal,
    "requestInterpreter": c.RequestInterpreter, "decideInterpreter": c.DecideInterpreter,
    "receiveMonitoringAllegation": c.ReceiveMonitoringAllegation,
    "triggerInvestigation": c.TriggerInvestigation,
    "recordInvestigationProgress": c.RecordInvestigationProgress,
    "closeInvestigation": c.CloseInvestigation,
    "startWithdrawalProcedure": c.StartWithdrawalProcedure,
    "informOfWithdrawal": c.InformOfWithdrawal,
    "submitWithdrawalObservations": c.SubmitWithdrawalObservations,
    "decideWithdrawal": c.DecideWithdrawal,
    "requestTransferSuspension": c.RequestTransferSuspension,
    "recordArrivalByTransfer": c.RecordArrivalByTransfer,
}


async def read_back(ctx: Context, applied: Applied) -> tuple[Case | None, list[TimelineEvent]]:
    """The case as it stands after the step, and the events the step recorded (as far as the
    principal reads cases)."""
    outcome = applied.outcome
    row, events = await ctx.run(ctx.reads.cases.written, str(outcome.aggregate_id),
                                outcome.positions)
    return (case_from_row(row) if row else None), [timeline_event(e) for e in events]


CaseMutation = mutation_type(
    "CaseMutation", [documented(name, command) for name, command in CASE_MUTATIONS.items()],
    read_back, description="Every step of a case, one mutation per command.")
