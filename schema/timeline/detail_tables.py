"""Explicit tables for the typed details of timeline events (`schema.timeline.details`): the
event catalogues the details cover, which stored field holds which vocabulary, and the
descriptions the generated types and fields carry where an event class's docstring or a field's
name says too little (with the article where the field carries a legal meaning).

Events store vocabularies as plain codes (`str`); the GraphQL types give them as the enums the
inputs take (`schema.enums`). A field not named here stays `String`.
"""

from __future__ import annotations

from enum import Enum

from ledger.case.events import CASE_EVENT_TYPES
from ledger.resettlement.events import RESETTLEMENT_EVENT_TYPES
from ledger.solidarity.event_types import SOLIDARITY_EVENT_TYPES
from schema.custody_enums import (
    AgeAssessmentMethod,
    AgeAssessmentResult,
    AllocationKind,
    DetentionGround,
    OrderingAuthority,
    ReductionGround,
    ReductionMeasure,
    ReleaseReason,
    ResidenceGround,
)
from schema.enums import (
    AdmissionProcedure,
    AdmissionType,
    AllegationSource,
    AppealOutcome,
    BenefitBasis,
    ClosureReason,
    DecisionType,
    DeductionGround,
    DiscontinuanceReason,
    ErasureBasisCode,
    EurodacCategory,
    InterpreterRefusalGround,
    InvestigationOutcome,
    LegalAidKind,
    LegalAidRefusalGround,
    MemberState,
    MonitoredRight,
    OffsetMode,
    Procedure,
    ProtectionStatus,
    Referral,
    ReferringBody,
    RefusalGround,
    ResponsibilityCause,
    ScreeningOutcome,
    ScreeningTrigger,
    SolidarityType,
    WithdrawalGround,
)

#: Every event catalogue whose events a `TimelineEvent` can show (case timelines, solidarity
#: ledgers, admission files), in the order their detail types are generated.
CATALOGUES: tuple[dict[str, type], ...] = (CASE_EVENT_TYPES, SOLIDARITY_EVENT_TYPES,
                                            RESETTLEMENT_EVENT_TYPES)

#: (event type, field) -> the vocabulary the stored code belongs to (lists: each element).
VOCABULARY_FIELDS: dict[tuple[str, str], type[Enum]] = {
    ("CaseOpened", "member_state"): MemberState,
    ("ScreeningStarted", "trigger"): ScreeningTrigger,
    ("ScreeningCompleted", "outcome"): ScreeningOutcome,
    ("BiometricsCaptured", "category"): EurodacCategory,
    ("EurodacTransmitted", "category"): EurodacCategory,
    ("EurodacHitReceived", "category"): EurodacCategory,
    ("EurodacHitReceived", "origin_member_state"): MemberState,
    ("TakeChargeRequested", "requested_member_state"): MemberState,
    ("TakeBackNotified", "notified_member_state"): MemberState,
    ("TransferDecisionIssued", "to_member_state"): MemberState,
    ("ArrivedByTransfer", "from_member_state"): MemberState,
    ("ResponsibilityShifted", "cause"): ResponsibilityCause,
    ("ProcedureAssigned", "procedure"): Procedure,
    ("DecisionIssued", "decision_type"): DecisionType,
    ("AppealDecided", "outcome"): AppealOutcome,
    ("AppealDecided", "substituted_decision_type"): DecisionType,
    ("CaseClosed", "reason"): ClosureReason,
    ("RelocationSelected", "relocation_member_state"): MemberState,
    ("PersonalDataErased", "basis"): ErasureBasisCode,
    ("DetentionOrdered", "ground"): DetentionGround,
    ("DetentionOrdered", "ordered_by"): OrderingAuthority,
    ("DetentionEnded", "reason"): ReleaseReason,
    ("ReceptionAllocated", "kind"): AllocationKind,
    ("ReceptionAllocated", "residence_ground"): ResidenceGround,
    ("MaterialConditionsReduced", "measure"): ReductionMeasure,
    ("MaterialConditionsReduced", "ground"): ReductionGround,
    ("AgeAssessmentInitiated", "method"): AgeAssessmentMethod,
    ("AgeAssessed", "result"): AgeAssessmentResult,
    ("LegalAidRequested", "kind"): LegalAidKind,
    ("LegalAidGranted", "kind"): LegalAidKind,
    ("LegalAidRefused", "kind"): LegalAidKind,
    ("LegalAidRefused", "refusal_ground"): LegalAidRefusalGround,
    ("LegalAidRefusalChallenged", "kind"): LegalAidKind,
    ("InterpreterDecided", "refusal_ground"): InterpreterRefusalGround,
    ("MonitoringAllegationReceived", "source"): AllegationSource,
    ("MonitoringAllegationReceived", "concerns"): MonitoredRight,
    ("MonitoringInvestigationClosed", "outcome"): InvestigationOutcome,
    ("MonitoringInvestigationClosed", "referral"): Referral,
    ("WithdrawalProcedureStarted", "ground"): WithdrawalGround,
    ("ProtectionWithdrawn", "ground"): WithdrawalGround,
    ("MigratoryPressureDecisionAdopted", "under_pressure"): MemberState,
    ("MigratoryPressureDecisionAdopted", "at_risk"): MemberState,
    ("MigratoryPressureDecisionAdopted", "significant_situation"): MemberState,
    ("AccountOpened", "member_state"): MemberState,
    ("PledgeMade", "kind"): SolidarityType,
    ("DeductionRequested", "ground"): DeductionGround,
    ("BenefitingStatusNotified", "basis"): BenefitBasis,
    ("RelocationCredited", "benefiting_member_state"): MemberState,
    ("OffsetCredited", "benefiting_member_state"): MemberState,
    ("OffsetCredited", "mode"): OffsetMode,
    ("PlanContributionRecorded", "member_state"): MemberState,
    ("AdmissionRegistered", "member_state"): MemberState,
    ("AdmissionRegistered", "admission_type"): AdmissionType,
    ("AdmissionRegistered", "procedure"): AdmissionProcedure,
    ("AdmissionRegistered", "referred_by"): ReferringBody,
    ("AdmissionAssessed", "refusal_grounds"): RefusalGround,
    ("AdmissionAssessed", "earlier_refusal_ground"): RefusalGround,
    ("AdmissionDecided", "refusal_grounds"): RefusalGround,
    ("AdmittedPersonArrived", "protection_status"): ProtectionStatus,
    ("AdmissionDiscontinued", "reason"): DiscontinuanceReason,
}

#: Descriptions of event classes whose docstring does not say what they record.
EVENT_DOCS: dict[str, str] = {
    "ApplicationMade": "An application for international protection was made (APR Art 26).",
    "ApplicationLodged": "The application was lodged (APR Art 28).",
    "TakeChargeRefused": "The requested member state refused to take charge (AMMR Art 40).",
    "RequestToRemainDecided": "A court decided the request to remain pending the appeal "
                              "(APR Art 68).",
    "AppealDecided": "The court or tribunal decided the appeal (APR Art 67); a substitution "
                     "gives the decision that replaces the one appealed.",
    "ReturnDecisionIssued": "A return decision was issued (APR Art 37; Return Directive "
                            "2008/115/EC Art 6).",
    "Returned": "The person returned (Return Directive 2008/115/EC).",
    "Absconded": "The person absconded.",
    "CaseClosed": "The case was closed; nothing more can be recorded on it.",
    "RelocationAccepted": "The relocation member state accepted the person (AMMR Art 67(9)).",
    "InterpreterRequested": "An interpreter was requested (APR Art 8(2)).",
    "MonitoringInvestigationTriggered": "The monitoring mechanism triggered an investigation "
                                        "(Screening Regulation Art 10(2)(b)).",
    "MonitoringInvestigationProgressed": "An investigation of the monitoring mechanism "
                                         "progressed (Screening Regulation Art 10(2)(b)).",
    "DeductionRequested": "The member state requested a full or partial deduction from its "
                          "pledges (AMMR Arts 60-61).",
    "FinancialContributionPaid": "A financial contribution was paid (AMMR Art 64).",
    "AlternativeMeasureDelivered": "An alternative solidarity measure was delivered (AMMR "
                                   "Art 56(2)(c)).",
}

#: Descriptions of stored fields by name (the names many events share); a field not named
#: here is described by its name.
FIELD_DOCS: dict[str, str] = {
    "member_state": "The member state.",
    "national_reference": "The member state's own reference of the case.",
    "nationality": "Nationality, ISO 3166-1 alpha-2 (XX: unknown or stateless).",
    "unaccompanied_minor": "Declared an unaccompanied minor when the case opened (APR Art 23).",
    "person_id": "Groups the cases of one person (subject access, erasure).",
    "family_name": "Family name (personal data: null for roles that may not see it, and once "
                   "erased; each read is in the access log).",
    "given_names": "Given names (personal data: null for roles that may not see them, and "
                   "once erased; each read is in the access log).",
    "date_of_birth": "Date of birth (personal data: null for roles that may not see it, and "
                     "once erased; each read is in the access log).",
    "personal_data": "Where the case's personal data stand now (held, or erased: when and "
                     "why).",
    "reason": "The reason given (free text; where sealed as personal data, null for roles "
              "that may not see it and once erased).",
    "trigger": "Why screening applies (Screening Regulation Art 5).",
    "held_over_72h": "Screening started more than 72 hours after apprehension (Screening "
                     "Regulation Art 8(2)).",
    "outcome": "The outcome recorded.",
    "category": "The Eurodac category (Eurodac Regulation (EU) 2024/1358).",
    "retention_until": "End of the Eurodac retention period (Eurodac Art 29).",
    "criterion": "The AMMR criterion relied on, e.g. AMMR Art 33(1).",
    "hit_based": "The request rests on a Eurodac hit (AMMR Art 39(2)).",
    "effective_at": "When the deemed acceptance took effect (AMMR Arts 40(1), 41(2)).",
    "procedure": "The examination procedure (APR Arts 35-44).",
    "grounds": "Grounds for the procedure, e.g. APR Art 42(1)(j).",
    "recognition_rate": "EU-wide recognition rate of the nationality seen at assignment "
                        "(APR Art 42(1)(j)).",
    "border_mandatory": "The recognition rate made the border procedure mandatory (APR "
                        "Art 45(1)).",
    "decision_no": "Number of the decision in its case (from 1).",
    "decision_type": "What was decided (APR Arts 35-41).",
    "ground": "The legal ground given.",
    "notified_at": "When the applicant was notified; appeal periods run from it (APR Art 67).",
    "return_exception": "Why no return decision accompanies a rejection (Return Directive "
                        "Art 6(4)).",
    "appeal_no": "Number of the appeal in its case (from 1).",
    "appeal_body": "The court or tribunal seized.",
    "suspensive": "The appeal has automatic suspensive effect (APR Art 68).",
    "substituted_decision_type": "The decision the court substituted, if it did (APR Art 67).",
    "granted": "Granted (true) or refused (false).",
    "voluntary_departure_days": "Period for voluntary departure in days (Return Directive "
                                "Art 7).",
    "joint_with_decision_no": "The decision this return decision was issued with (APR Art 37).",
    "days": "Number of days.",
    "months": "Number of calendar months (Reg. 1182/71).",
    "interview_ref": "Reference of the interview's report or recording (APR Art 14).",
    "interpreter": "An interpreter took part (APR Art 13).",
    "basis": "The basis relied on.",
    "key_id": "The id of the destroyed data key (crypto-shredding).",
    "erased_fields": "The personal data fields erased.",
    "case_id": "The case this step concerns.",
    "year": "The solidarity cycle's year (AMMR Art 57).",
    "kind": "The kind recorded.",
    "persons": "Number of persons.",
    "percent": "A percentage.",
    "share": "Fair share by the Annex I key, 0 to 1 (AMMR Art 66).",
    "under_pressure": "Member states under migratory pressure (AMMR Art 11).",
    "at_risk": "Member states at risk of migratory pressure (AMMR Art 11).",
    "significant_situation": "Member states facing a significant migratory situation (AMMR "
                             "Art 11).",
    "population": "Population by member state (AMMR Art 66, Annex I).",
    "gdp_eur_millions": "GDP in EUR million (AMMR Art 66, Annex I).",
    "indicative_relocations": "Indicative relocations by member state (AMMR Art 12).",
    "indicative_cents": "Indicative financial contributions by member state (AMMR Art 12).",
    "pledges": "Each member state's pledges as made at the Forum (AMMR Art 57).",
    "earmark_percent": "Share earmarked for member states under pressure (AMMR Art 12).",
    "sar_share_percent": "Share for search-and-rescue pressure (AMMR Art 57(2)).",
    "refusal_grounds": "Grounds of URF Art 6(1) found or relied on; empty: none.",
    "protection_status": "The status granted on arrival (URF).",
    "lump_sum_cents": "The AMIF lump sum (URF Art 14).",
    "counts_toward_solidarity": "Whether the arrival counts toward AMMR solidarity (a "
                                "parameter, as it stood when recorded).",
    "age_at_capture": "The person's age when the biometric data were taken (Eurodac "
                      "Regulation (EU) 2024/1358).",
    "allegation_no": "Number of the allegation in its case (from 1).",
    "amount_cents": "The amount in euro cents.",
    "annulled": "The court annulled the transfer decision (AMMR Art 43).",
    "biometrics_due": "Biometric data are still to be taken (Eurodac).",
    "body": "The body that investigates (Screening Regulation Art 10(2)(b)).",
    "by_court": "Decided by a court.",
    "cents_per_relocation": "The EUR value of one relocation for the cycle, in euro cents (AMMR "
                            "Art 57).",
    "council_act": "The Council implementing act.",
    "country_of_residence": "Country of residence, ISO 3166-1 alpha-2.",
    "court": "The court seized (AMMR Art 43).",
    "databases": "The databases checked (Screening Regulation Art 15).",
    "decision_ref": "Reference of the decision.",
    "destination": "Country of return, ISO 3166-1 alpha-2.",
    "earlier_refusal_on": "Date of an earlier refusal of admission (URF Art 6(1)(f): within "
                          "the previous 3 years).",
    "emergency_admission": "Persons for emergency admission (URF Art 8).",
    "humanitarian_admission": "Persons for humanitarian admission (URF Art 8).",
    "resettlement": "Persons for resettlement (URF Art 8).",
    "established": "Identity was established (Screening Regulation Art 14).",
    "exceptional_situation": "Ordered in an exceptional situation, as the order states.",
    "financial_cents": "Financial contributions in euro cents (AMMR Arts 12, 57).",
    "form_ref": "Reference of the screening form (Screening Regulation Art 17).",
    "hit": "A database checked gave a hit (Screening Regulation Art 15).",
    "hit_ref": "Reference of the Eurodac hit.",
    "incomplete_checks": "Checks not completed when screening ended (Screening Regulation "
                         "Art 17).",
    "inputs_ref": "The population and GDP figures the share was computed from (the cycle's "
                  "`FairShareInputsRecorded`).",
    "interpreter_ref": "Reference of the interpreter provided.",
    "language": "The language used.",
    "lawful": "The court found the detention lawful (RCD Art 11(3)).",
    "location": "Where screening takes place.",
    "measure": "The measure.",
    "meeting": "1: the Forum for pledging (AMMR Art 13(2)); 2: when relocation pledges fall "
               "short (Art 13(4)).",
    "method": "How it was done.",
    "minor_exception": "Detained as an unaccompanied minor because it protects them (RCD "
                       "Art 13(2)(b)).",
    "needs": "The special needs found.",
    "new_elements": "The subsequent application presents new elements (APR Art 55).",
    "option": "The option under which the transfer is suspended by law (AMMR Art 43(3)).",
    "order_ref": "The detention order's national reference.",
    "payment_ref": "Reference of the payment.",
    "period_start": "First year of the plan's two-year period (URF Art 8).",
    "period_end": "Last year of the plan's two-year period (URF Art 8).",
    "permit_ref": "Reference of the residence permit (QR Art 24).",
    "valid_until": "Last day the permit is valid (QR Art 24).",
    "place": "The place.",
    "plan_period_start": "First year of the Union plan the admission counts toward (URF Art 8).",
    "proposal_ref": "Reference of the Commission's proposal (AMMR Art 12).",
    "provided": "An interpreter was provided (APR Art 8(2)).",
    "provider": "Who provides the legal aid.",
    "reasons": "The reasons given for the request (AMMR Arts 61-62).",
    "reference": "The reference.",
    "referral_ref": "Reference of the referral.",
    "relocations": "Number of relocations (persons).",
    "report_ref": "Reference of the annual report (AMMR Art 9).",
    "representative_ref": "The representative's reference.",
    "result": "The result of the check.",
    "scope": "What the allegation concerns.",
    "solidarity_basis": "Why the arrival counts (or not) toward AMMR solidarity: the "
                        "parameter's basis as it stood.",
    "source": "Where the figures come from (e.g. Eurostat).",
    "status_type": "The protection status reconsidered (refugee status or subsidiary "
                   "protection).",
    "substantiated": "The allegation is substantiated.",
    "suspended": "The court suspended the transfer (AMMR Art 43(3)).",
    "suspension_requested": "Suspension of the transfer was requested (AMMR Art 43(3)).",
    "topics": "What the person was informed of.",
    "unaccompanied": "The person is unaccompanied.",
    "value_cents": "The measure's value in euro cents.",
    "vulnerable": "The person is vulnerable (the lump sum differs: URF Art 14).",
}
