"""The deadlines of the Pact, as versioned data.

Each `DeadlineRule` says which act and article set it, how long it runs, which event starts it
(and from which moment), which events meet it and which make it moot. Crisis versions (Crisis
and Force Majeure Regulation (EU) 2024/1359) carry the derogation that selects them: a deadline
opened while the member state's crisis authorises that derogation is computed with the crisis
version, and keeps the version it was opened with.

Numbers the sources do not confirm are `DeadlineParameters` with defaults, never constants.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from ledger.deadlines.durations import Duration, days, hours, months, weeks, working_days

APR = "APR (EU) 2024/1348"
AMMR = "AMMR (EU) 2024/1351"
SCREENING = "Screening Regulation (EU) 2024/1356"
EURODAC = "Eurodac Regulation (EU) 2024/1358"
RBPR = "Return Border Procedure Regulation (EU) 2024/1349"
CRISIS = "Crisis Regulation (EU) 2024/1359"
URF = "URF (EU) 2024/1350"

#: Events after which no deadline of the case runs any more (unmet ones are not breached).
ENDS_ALL = ("CaseClosed", "TransferExecuted", "RelocationArrived", "Absconded")
RCD = "RCD (EU) 2024/1346"

#: Without a request in time, the state of registration is responsible (AMMR Art 39(1)): once it
#: examines the application, the request deadline is moot, not breached.
_EXAMINED_HERE = (*ENDS_ALL, "ProcedureAssigned", "DecisionIssued")


@dataclass(frozen=True)
class DeadlineRule:
    code: str  # the obligation, shared by all its versions
    version: str  # this version of it
    title: str
    act: str
    article: str
    duration: Duration | None  # None: the starting event's `days` field gives it
    starts_on: tuple[str, ...]
    met_by: tuple[str, ...]
    stopped_by: tuple[str, ...] = ENDS_ALL
    when: str | None = None  # a condition in `ledger.deadlines.conditions` on the start event
    met_when: str | None = None  # a condition on the meeting event
    start_from: str = "occurred_at"  # or a case attribute (lodged_at, ...) or event field
    derogation: str | None = None  # crisis version: used while this derogation is in force
    extended_by: tuple[str, ...] = ()  # events whose `days` lengthen it
    confirmed: bool = True  # False: the number is a parameter the sources do not confirm
    #: AUTHORITY: a time limit on the authorities (unmet = breached); PERSON: a period open to
    #: the applicant (unmet = expired, not a breach: an appeal period, voluntary departure);
    #: LAPSE: a limit on a step a state may take, whose expiry has its own legal consequence
    #: (a take charge request not sent in time leaves the state of registration responsible,
    #: AMMR Art 39(1)): unmet = expired, not a breach.
    kept_by: str = "AUTHORITY"
    #: Between two member states (AMMR): a crisis of either selects the crisis version.
    between_states: bool = False
    #: A condition on a `stopped_by` event (None: every such event stops it).
    stopped_when: str | None = None
    #: Whose calendar counts the period (Reg. 1182/71 Art 2(1): the member state where the act is
    #: to be done): CASE, the case's member state; OTHER, the other state of an AMMR procedure
    #: (the requested or notified state replies).
    calendar: str = "CASE"


@dataclass(frozen=True)
class DeadlineParameters:
    """Values the sources leave unconfirmed (pact-rules.md marks); change them here, by version."""

    screening_in_territory: Duration = field(default_factory=lambda: days(3))
    appeal_short: Duration = field(default_factory=lambda: days(10))  # APR 67(7): 5-10 days
    appeal_standard: Duration = field(default_factory=lambda: months(1))  # 2 weeks-1 month
    relocation_transfer: Duration = field(default_factory=lambda: weeks(4))  # AMMR 67(11)
    #: AMMR Art 43(2): each member state sets 1 to 3 weeks (confirmed); which, per state, is
    #: not in our sources: the longest by default.
    transfer_appeal: Duration = field(default_factory=lambda: weeks(3))
    #: AMMR Art 43(3): the court decides a request to suspend within 1 month (unconfirmed).
    suspension_decision: Duration = field(default_factory=lambda: months(1))
    representative: Duration = field(default_factory=lambda: hours(24))  # AMMR 23(2)(a)
    #: AMMR Art 45(3): a detainee's transfer "as soon as practically possible" (confirmed); a
    #: cap believed 5 weeks (unconfirmed, pact-rules-procedures §4.12), counted from the order.
    detention_transfer: Duration = field(default_factory=lambda: weeks(5))
    #: Screening Art 10(2)(b): substantiated allegations dealt with "without undue delay"; no
    #: number in the text seen (pact-rules-procedures §7.5): a service-level target.
    monitoring_allegation: Duration = field(default_factory=lambda: days(30))
    #: APR Art 66(1)(d): reasons presented "within a reasonable time"; no number (§3.12).
    withdrawal_observations: Duration = field(default_factory=lambda: days(30))
    #: APR Arts 35(4), 51(2): after entry is authorised the examination continues in the
    #: regular procedure; that its 6 months run from the authorisation is our reading
    #: (unconfirmed: the sources give no start for it).
    regular_after_entry: Duration = field(default_factory=lambda: months(6))


def _crisis(rule: DeadlineRule, duration: Duration, derogation: str, article: str) -> DeadlineRule:
    return replace(rule, version=f"{rule.version}+crisis", duration=duration,
                   derogation=derogation, act=f"{rule.act}; {CRISIS}",
                   article=f"{rule.article}; {article}")


def catalogue(p: DeadlineParameters | None = None) -> tuple[DeadlineRule, ...]:
    p = p or DeadlineParameters()
    v = "2024"
    examination_met = ("DecisionIssued",)
    rules = [
        DeadlineRule("SCREENING_BORDER", v, "Complete screening at the border", SCREENING,
                     "Art 8(3)", days(7), ("ScreeningStarted",), ("ScreeningCompleted",),
                     when="border_screening"),
        DeadlineRule("SCREENING_HELD_OVER_72H", v, "Complete screening (held over 72 h)",
                     SCREENING, "Art 8(3)", days(4), ("ScreeningStarted",),
                     ("ScreeningCompleted",), when="held_over_72h"),
        DeadlineRule("SCREENING_TERRITORY", v, "Complete screening within the territory",
                     SCREENING, "Art 8(4)", p.screening_in_territory, ("ScreeningStarted",),
                     ("ScreeningCompleted",), when="territory_screening", confirmed=False),
        DeadlineRule("REPRESENTATIVE", v, "Assign a representative to an unaccompanied minor",
                     AMMR, "Art 23(2)(a)", p.representative, ("CaseOpened", "AgeAssessed"),
                     ("RepresentativeAssigned",), when="unaccompanied_minor", confirmed=False,
                     stopped_by=(*ENDS_ALL, "AgeAssessed"), stopped_when="minority_ends"),
        DeadlineRule("REGISTRATION", v, "Register the application", APR, "Art 27(1)", days(5),
                     ("ApplicationMade", "ScreeningCompleted"), ("ApplicationRegistered",),
                     when="registration_starts"),
        DeadlineRule("EURODAC_TRANSMISSION", v, "Transmit biometric data to Eurodac", EURODAC,
                     "Art 15(1)", hours(72), ("ApplicationRegistered",),
                     ("EurodacTransmitted",), when="aged_six_or_unknown"),
        DeadlineRule("LODGING", v, "Lodge the application", APR, "Art 28(1)", days(21),
                     ("ApplicationRegistered",), ("ApplicationLodged",)),
        DeadlineRule("TAKE_CHARGE_REQUEST", v, "Send a take charge request, or establish "
                     "responsibility", AMMR, "Art 39(1)", months(2), ("ApplicationRegistered",),
                     ("TakeChargeRequested", "TakeBackNotified", "ResponsibilityEstablished"),
                     stopped_by=_EXAMINED_HERE, kept_by="LAPSE"),
        DeadlineRule("TAKE_CHARGE_REQUEST_HIT", v, "Send a take charge request after a hit",
                     AMMR, "Art 39(1)", months(1), ("EurodacHitReceived",),
                     ("TakeChargeRequested", "ResponsibilityEstablished"), when="hit_irregular",
                     stopped_by=_EXAMINED_HERE, kept_by="LAPSE"),
        DeadlineRule("TAKE_CHARGE_REPLY", v, "Reply to a take charge request", AMMR,
                     "Art 40(1)", months(1), ("TakeChargeRequested",),
                     ("TakeChargeAccepted", "TakeChargeRefused", "TakeChargeDeemedAccepted"),
                     when="not_hit_based", between_states=True, calendar="OTHER"),
        DeadlineRule("TAKE_CHARGE_REPLY_HIT", v, "Reply to a take charge request on a hit",
                     AMMR, "Art 40(2)", weeks(2), ("TakeChargeRequested",),
                     ("TakeChargeAccepted", "TakeChargeRefused", "TakeChargeDeemedAccepted"),
                     when="hit_based", between_states=True, calendar="OTHER"),
        DeadlineRule("TAKE_BACK_NOTIFICATION", v, "Send a take back notification", AMMR,
                     "Art 41(1)", weeks(2), ("EurodacHitReceived",), ("TakeBackNotified",),
                     when="hit_applicant"),
        DeadlineRule("TAKE_BACK_CONFIRMATION", v, "Confirm a take back notification", AMMR,
                     "Art 41(2)", weeks(2), ("TakeBackNotified",),
                     ("TakeBackConfirmed", "TakeBackContested", "TakeBackDeemedConfirmed"),
                     between_states=True, calendar="OTHER"),
        DeadlineRule("TRANSFER", v, "Transfer to the responsible member state", AMMR,
                     "Art 46(1)", months(6),
                     ("TakeChargeAccepted", "TakeChargeDeemedAccepted", "TakeBackConfirmed",
                      "TakeBackDeemedConfirmed", "TransferAppealDecided"),
                     ("TransferExecuted",),
                     stopped_by=(*ENDS_ALL, "ResponsibilityShifted", "ResponsibilityEstablished",
                                 "TransferSuspensionDecided", "TransferSuspendedByLaw"),
                     when="transfer_limit_starts", stopped_when="suspends_transfer",
                     between_states=True, start_from="effective_at"),
        DeadlineRule("TRANSFER_APPEAL", v, "Appeal against the transfer decision", AMMR,
                     "Art 43(2)", p.transfer_appeal, ("TransferDecisionIssued",),
                     ("TransferAppealLodged",), confirmed=False, kept_by="PERSON",
                     stopped_by=(*ENDS_ALL, "ResponsibilityShifted")),
        DeadlineRule("TRANSFER_SUSPENSION_DECISION", v, "Decide the request to suspend the "
                     "transfer", AMMR, "Art 43(3)", p.suspension_decision,
                     ("TransferAppealLodged", "TransferSuspensionRequested"),
                     ("TransferSuspensionDecided", "TransferAppealDecided",
                      "TransferSuspendedByLaw"),
                     when="suspension_requested", confirmed=False),
        DeadlineRule("ADMISSIBILITY", v, "Decide on admissibility", APR, "Art 35(1)",
                     months(2), ("ProcedureAssigned",), examination_met, when="admissibility",
                     start_from="lodged_at", extended_by=("ExaminationExtended",)),
        DeadlineRule("ADMISSIBILITY_38_1_E", v, "Decide on admissibility (Art 38(1)(e))", APR,
                     "Art 35(1)", working_days(10), ("ProcedureAssigned",), examination_met,
                     when="admissibility_38_1_e", start_from="lodged_at"),
        DeadlineRule("ACCELERATED", v, "Decide in the accelerated procedure", APR, "Art 35(3)",
                     months(3), ("ProcedureAssigned",), examination_met, when="accelerated",
                     start_from="lodged_at", extended_by=("ExaminationExtended",)),
        DeadlineRule("REGULAR", v, "Decide in the regular procedure", APR, "Art 35(4)",
                     months(6), ("ProcedureAssigned",), examination_met, when="regular",
                     start_from="lodged_at", extended_by=("ExaminationExtended",)),
        DeadlineRule("BORDER_PROCEDURE", v, "End the border procedure (right to remain ended)",
                     APR, "Art 51(2)", weeks(12), ("ProcedureAssigned",),
                     ("RightToRemainEnded", "DecisionIssued"), when="border",
                     met_when="border_procedure_ends", start_from="registered_at",
                     stopped_by=(*ENDS_ALL, "EntryAuthorised")),
        # Art 51(2): 16 weeks for a person transferred under the AMMR; a crisis does not add
        # its 6 weeks to them (Crisis Reg Art 11(1): not combined), so no crisis version.
        DeadlineRule("BORDER_PROCEDURE_AFTER_TRANSFER", v, "End the border procedure of a "
                     "person transferred under the AMMR", APR, "Art 51(2)", weeks(16),
                     ("ProcedureAssigned",), ("RightToRemainEnded", "DecisionIssued"),
                     when="border_after_transfer", met_when="border_procedure_ends",
                     start_from="registered_at", stopped_by=(*ENDS_ALL, "EntryAuthorised")),
        DeadlineRule("REGULAR_AFTER_ENTRY", v, "Decide in the regular procedure after entry was "
                     "authorised", APR, "Arts 35(4), 51(2)", p.regular_after_entry,
                     ("EntryAuthorised",), examination_met, when="undecided",
                     extended_by=("ExaminationExtended",), confirmed=False),
        DeadlineRule("LEGAL_COUNSELLING_INFORMATION", v, "Inform of free legal counselling (at "
                     "the latest at registration)", APR, "Art 15(2)", hours(0),
                     ("ApplicationRegistered",), ("LegalCounsellingInformed",),
                     when="not_informed_of_counselling"),
        DeadlineRule("MONITORING_ALLEGATION", v, "Deal with a substantiated allegation (service "
                     "target for 'without undue delay')", SCREENING, "Art 10(2)(b)",
                     p.monitoring_allegation, ("MonitoringAllegationReceived",),
                     ("MonitoringInvestigationTriggered",), when="substantiated_allegation",
                     # not stopped by the case's end: the mechanism goes on after it
                     stopped_by=("MonitoringInvestigationClosed",), confirmed=False),
        DeadlineRule("WITHDRAWAL_OBSERVATIONS", v, "Present reasons against the withdrawal of "
                     "protection", APR, "Art 66(1)(d)", p.withdrawal_observations,
                     ("PersonInformedOfWithdrawal",), ("WithdrawalObservationsSubmitted",),
                     kept_by="PERSON", confirmed=False,
                     stopped_by=(*ENDS_ALL, "ProtectionWithdrawn", "WithdrawalDiscontinued")),
        DeadlineRule("APPEAL_SHORT", v, "Lodge an appeal (short period)", APR, "Art 67(7)",
                     p.appeal_short, ("DecisionIssued", "DecisionNotified"), ("AppealLodged",),
                     when="appealable_short", start_from="notified_at", confirmed=False,
                     kept_by="PERSON",
                     stopped_by=(*ENDS_ALL, "DecisionFinal")),
        DeadlineRule("APPEAL_STANDARD", v, "Lodge an appeal", APR, "Art 67(7)",
                     p.appeal_standard, ("DecisionIssued", "DecisionNotified"),
                     ("AppealLodged",), when="appealable_standard", start_from="notified_at",
                     confirmed=False, kept_by="PERSON", stopped_by=(*ENDS_ALL, "DecisionFinal")),
        DeadlineRule("RETURN_BORDER_PROCEDURE", v, "Return within the return border procedure",
                     RBPR, "Art 4(2)", weeks(12), ("ReturnBorderProcedureStarted",),
                     ("Returned",), start_from="right_to_remain_ended_at"),
        DeadlineRule("VOLUNTARY_DEPARTURE", v, "Depart voluntarily", "Return Directive "
                     "2008/115/EC", "Art 7(1)", None, ("VoluntaryDepartureGranted",),
                     ("Returned",), kept_by="PERSON"),
        DeadlineRule("RELOCATION_TRANSFER", v, "Transfer for relocation", AMMR, "Art 67(11)",
                     p.relocation_transfer, ("RelocationAccepted",),
                     ("RelocationTransferred",), confirmed=False,
                     stopped_by=(*ENDS_ALL, "RelocationCancelled")),
        # Detention, reception conditions (issue 11 part 5): RCD Arts 11(3), 17(1), 25(1).
        DeadlineRule("DETENTION_REVIEW", v, "Conclude the judicial review of detention", RCD,
                     "Art 11(3)", days(15), ("DetentionOrdered",), ("DetentionReviewed",),
                     stopped_by=(*ENDS_ALL, "DetentionEnded"),
                     when="detention_review_ex_officio"),
        DeadlineRule("DETENTION_REVIEW_EXCEPTIONAL", v, "Conclude the judicial review of "
                     "detention (exceptional situation)", RCD, "Art 11(3)", days(21),
                     ("DetentionOrdered",), ("DetentionReviewed",),
                     stopped_by=(*ENDS_ALL, "DetentionEnded"),
                     when="detention_review_exceptional"),
        DeadlineRule("DETENTION_REVIEW_ON_REQUEST", v, "Decide the request to review detention",
                     RCD, "Art 11(3)", days(15), ("DetentionReviewRequested",),
                     ("DetentionReviewed",), stopped_by=(*ENDS_ALL, "DetentionEnded")),
        DeadlineRule("DETENTION_MAX_BORDER", v, "End detention with the border procedure", APR,
                     "Art 51(2), Art 54(1); RCD Art 10(4)", weeks(12), ("DetentionOrdered",),
                     ("DetentionEnded",), when="detained_in_border_procedure",
                     start_from="registered_at", confirmed=False),
        DeadlineRule("DETENTION_MAX_TRANSFER", v, "Transfer the detainee or release them", AMMR,
                     "Art 45(3)", p.detention_transfer, ("DetentionOrdered",),
                     ("DetentionEnded",), when="detained_for_transfer", confirmed=False),
        DeadlineRule("DETENTION_MAX_RETURN_BORDER", v, "End detention in the return border "
                     "procedure", RBPR, "Art 4(2), Art 5", weeks(12), ("DetentionOrdered",),
                     ("DetentionEnded",), when="detained_in_return_border_procedure",
                     start_from="right_to_remain_ended_at", confirmed=False),
        DeadlineRule("SPECIAL_RECEPTION_NEEDS", v, "Assess special reception needs", RCD,
                     "Art 25(1)", days(30), ("ApplicationMade",),
                     ("SpecialReceptionNeedsAssessed",)),
        DeadlineRule("LABOUR_MARKET_ACCESS", v, "Give access to the labour market", RCD,
                     "Art 17(1)", months(6), ("ApplicationRegistered",),
                     ("LabourMarketAccessGranted",),
                     stopped_by=(*ENDS_ALL, "DecisionIssued", "ProcedureAssigned"),
                     stopped_when="labour_market_obligation_ends"),
    ]
    by_code = {r.code: r for r in rules}
    rules += [
        _crisis(by_code["REGISTRATION"], weeks(4), "REGISTRATION", "Art 10"),
        _crisis(by_code["TAKE_CHARGE_REQUEST"], months(4), "AMMR_TIME_LIMITS", "Art 12"),
        _crisis(by_code["TAKE_CHARGE_REPLY"], months(2), "AMMR_TIME_LIMITS", "Art 12"),
        _crisis(by_code["TAKE_CHARGE_REPLY_HIT"], months(2), "AMMR_TIME_LIMITS", "Art 12"),
        _crisis(by_code["TAKE_BACK_NOTIFICATION"], months(1), "AMMR_TIME_LIMITS", "Art 12"),
        _crisis(by_code["TAKE_BACK_CONFIRMATION"], months(1), "AMMR_TIME_LIMITS", "Art 12"),
        _crisis(by_code["TRANSFER"], months(12), "AMMR_TIME_LIMITS", "Art 12"),
        _crisis(by_code["BORDER_PROCEDURE"], weeks(18), "BORDER_PROCEDURE", "Art 11(1)"),
        _crisis(by_code["RETURN_BORDER_PROCEDURE"], weeks(18), "RETURN_BORDER_PROCEDURE",
                "Art 6 RBPR"),
        _crisis(by_code["DETENTION_MAX_BORDER"], weeks(18), "BORDER_PROCEDURE", "Art 11(1)"),
        _crisis(by_code["DETENTION_MAX_RETURN_BORDER"], weeks(18), "RETURN_BORDER_PROCEDURE",
                "Art 6 RBPR"),
    ]
    return tuple(rules)


#: The derogations a crisis decision may authorise that change deadlines.
DEROGATIONS = ("REGISTRATION", "AMMR_TIME_LIMITS", "BORDER_PROCEDURE", "RETURN_BORDER_PROCEDURE")

RULES = catalogue()


def version_for(code: str, derogations: frozenset[str],
                rules: tuple[DeadlineRule, ...] = RULES) -> DeadlineRule:
    """The version of obligation `code` that applies under the derogations in force."""
    versions = [r for r in rules if r.code == code]
    for rule in versions:
        if rule.derogation is not None and rule.derogation in derogations:
            return rule
    return next(r for r in versions if r.derogation is None)


#: Periods open to the person, and limits whose lapse has its own consequence, not time limits
#: on the authorities: unmet, they expire and are never breached.
PERSONS_PERIODS = frozenset(r.code for r in RULES if r.kept_by != "AUTHORITY")
KEPT_BY = {r.code: r.kept_by for r in RULES}


def calendar_state(rule: DeadlineRule, member_state: str, other_state: str | None) -> str:
    """The member state whose calendar counts `rule`'s period (Reg. 1182/71 Art 2(1))."""
    return other_state if rule.calendar == "OTHER" and other_state else member_state


def derogations_for(rule: DeadlineRule, derogations_at: Callable[[str, datetime], frozenset[str]],
                    member_state: str, other_state: str | None,
                    moment: datetime) -> frozenset[str]:
    """The derogations that select `rule`'s version: the case's state's, and for obligations
    between two states (AMMR, Crisis Regulation Art 12) the other state's too."""
    found = derogations_at(member_state, moment)
    if rule.between_states and other_state:
        found = found | derogations_at(other_state, moment)
    return found


@dataclass(frozen=True)
class AdmissionDeadlineParameters:
    """URF admission decisions: believed 7 months (ordinary) and 4 months (expedited) from
    registration; the article was not found (pact-rules-procedures.md §6 item 4: UNCONFIRMED)."""

    ordinary: Duration = field(default_factory=lambda: months(7))
    expedited: Duration = field(default_factory=lambda: months(4))


def admission_catalogue(p: AdmissionDeadlineParameters | None = None
                        ) -> tuple[DeadlineRule, ...]:
    """The time limits of an admission file (its own case type: `ledger.resettlement`), counted
    by Reg. 1182/71 in the admitting member state's calendar; `when` is the procedure."""
    p = p or AdmissionDeadlineParameters()
    article = "admission procedure (article not found; unconfirmed)"
    ends = ("AdmissionDiscontinued",)
    return (
        DeadlineRule("ADMISSION_DECISION_ORDINARY", "2024", "Decide on admission (ordinary "
                     "procedure)", URF, article, p.ordinary, ("AdmissionRegistered",),
                     ("AdmissionDecided",), stopped_by=ends, when="ORDINARY", confirmed=False),
        DeadlineRule("ADMISSION_DECISION_EXPEDITED", "2024", "Decide on admission (expedited "
                     "procedure)", URF, article, p.expedited, ("AdmissionRegistered",),
                     ("AdmissionDecided",), stopped_by=ends, when="EXPEDITED", confirmed=False),
    )


ADMISSION_RULES = admission_catalogue()
