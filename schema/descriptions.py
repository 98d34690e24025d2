"""The descriptions the schema's elements do not carry where they are declared, as explicit
tables: enum values (the ledger's vocabularies, with their articles), output fields and
arguments by coordinate (`Type.field`, `Type.field(argument:)`), and the fields of the inputs
generated from commands. A generated input field takes its command field's `Doc` first; what has
none is described here, by coordinate or else by the field's name (`INPUT_FIELDS`: the names many
commands share). `describe` fills only what is missing, and refuses a table entry that names no
element of the schema (a renamed field must not leave a stale description behind).
`tests/unit/test_schema_descriptions.py` walks the schema and names every element still without
one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
)

#: EU member states by the EU's own codes (Greece is EL).
_STATES = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "CY": "Cyprus", "CZ": "Czechia",
    "DE": "Germany", "DK": "Denmark", "EE": "Estonia", "EL": "Greece", "ES": "Spain",
    "FI": "Finland",
    "FR": "France", "HR": "Croatia", "HU": "Hungary", "IE": "Ireland", "IT": "Italy",
    "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "MT": "Malta", "NL": "Netherlands",
    "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SE": "Sweden", "SI": "Slovenia",
    "SK": "Slovakia",
}

#: Every enum value's meaning, per GraphQL enum.
ENUM_VALUES: dict[str, dict[str, str]] = {
    "MemberState": _STATES,
    "CaseStatus": {
        "SCREENING": "Screening runs (Screening Regulation Arts 5, 7).",
        "REFERRED_TO_RETURN": "Screening referred the person to return (Screening Reg. Art 18).",
        "APPLICATION_MADE": "An application for international protection was made (APR Art 26).",
        "REGISTERED": "The application was registered (APR Art 27).",
        "LODGED": "The application was lodged (APR Art 28).",
        "UNDER_EXAMINATION": "A procedure was assigned and the examination runs.",
        "TRANSFER_PENDING": "A transfer to the responsible member state is pending (AMMR "
                            "Arts 42-46).",
        "DECIDED": "A first-instance decision was issued (APR Art 35).",
        "APPEAL_PENDING": "An appeal against the decision is pending (APR Art 67).",
        "PROTECTED": "International protection was granted (Qualification Regulation).",
        "NO_RIGHT_TO_REMAIN": "The right to remain ended (APR Art 10); return may follow.",
        "TRANSFERRED": "The person was transferred to the responsible member state (AMMR Art 46).",
        "RELOCATED": "The person was relocated to another member state (AMMR Arts 67-68).",
        "RETURNED": "The person returned (Return Directive 2008/115/EC).",
        "ABSCONDED": "The person absconded.",
        "CLOSED": "The case is closed; nothing more can be recorded on it.",
        "PROTECTION_WITHDRAWN": "International protection was withdrawn (QR Arts 14, 19).",
    },
    "Procedure": {
        "ADMISSIBILITY": "Admissibility examination (APR Art 38).",
        "ACCELERATED": "Accelerated examination procedure (APR Art 42).",
        "BORDER": "Asylum border procedure (APR Arts 43-54).",
        "REGULAR": "Regular examination procedure (APR Art 35(4)).",
    },
    "DecisionType": {
        "REFUGEE_STATUS": "Refugee status granted (Qualification Regulation (EU) 2024/1347).",
        "SUBSIDIARY_PROTECTION": "Subsidiary protection granted (Qualification Regulation); "
                                 "appealable for refugee status (APR Art 67(1)).",
        "INADMISSIBLE": "Application inadmissible (APR Art 38).",
        "UNFOUNDED": "Application unfounded (APR Art 39).",
        "MANIFESTLY_UNFOUNDED": "Application manifestly unfounded (APR Art 39).",
        "IMPLICITLY_WITHDRAWN": "Application implicitly withdrawn (APR Art 41).",
        "EXPLICITLY_WITHDRAWN": "Application explicitly withdrawn (APR Art 40).",
    },
    "ScreeningTrigger": {
        "IRREGULAR_CROSSING": "Apprehended crossing an external border irregularly "
                              "(Screening Regulation Art 5(1)(a)).",
        "SEARCH_AND_RESCUE": "Disembarked after a search and rescue operation (Art 5(1)(b)).",
        "BORDER_CROSSING_POINT_APPLICATION": "Applied at an external border crossing point "
                                             "without meeting entry conditions (Art 5(2)).",
        "WITHIN_TERRITORY": "Found within the territory, not checked at an external border "
                            "(Art 7).",
    },
    "ScreeningOutcome": {
        "REFER_TO_REGISTRATION": "Referred to the asylum procedure (Screening Regulation "
                                 "Art 18(1)).",
        "REFER_TO_RETURN": "Referred to the return procedure (Art 18(1)).",
        "REFER_TO_RELOCATION": "Referred to relocation (Art 18(1), AMMR Art 67).",
    },
    "AppealOutcome": {
        "UPHELD": "The contested decision stands; the appeal is dismissed (APR Art 67).",
        "OVERTURNED": "The court substitutes its own decision (APR Art 67).",
        "REMITTED": "Annulled and sent back for a new examination (APR Art 67).",
    },
    "ClosureReason": {
        "PROTECTION_GRANTED": "Protection was granted and the procedure is complete.",
        "RETURNED": "The person returned.",
        "TRANSFERRED": "The person was transferred to the responsible member state (AMMR Art 46).",
        "WITHDRAWN": "The application was withdrawn (APR Arts 40-41).",
        "ABSCONDED": "The person absconded.",
        "DECEASED": "The person died.",
        "OTHER": "Another reason, given in the step's evidence.",
    },
    "EurodacCategory": {
        "APPLICANT": "Applicant for international protection (Eurodac Regulation "
                     "(EU) 2024/1358 Art 15).",
        "RESETTLEMENT": "Registered for resettlement (Eurodac Arts 18-20).",
        "IRREGULAR_CROSSING": "Apprehended crossing an external border irregularly (Art 22).",
        "ILLEGALLY_STAYING": "Found staying illegally (Art 23).",
        "SEARCH_AND_RESCUE": "Disembarked after search and rescue (Art 24).",
        "TEMPORARY_PROTECTION": "Beneficiary of temporary protection (Art 26).",
    },
    "ResponsibilityCause": {
        "TRANSFER_TIME_LIMIT_EXPIRED": "The transfer was not carried out in time (AMMR "
                                       "Art 37(1), Art 46).",
        "RESIDENCE_DOCUMENT_ISSUED": "This member state issued a residence document (AMMR "
                                     "Art 37(1)).",
        "DISCRETIONARY_CLAUSE": "This member state chose to examine the application (AMMR "
                                "Art 35).",
        "MINOR_BEST_INTERESTS": "Not transferring an unaccompanied minor in the child's best "
                                "interests (AMMR Art 37(1)).",
        "SOLIDARITY_OFFSET": "Responsibility taken as a solidarity offset instead of a "
                             "relocation (AMMR Art 63).",
    },
    "CrisisKind": {
        "MASS_ARRIVALS": "Mass arrivals of third-country nationals (Crisis Regulation "
                         "(EU) 2024/1359 Art 1).",
        "INSTRUMENTALISATION": "Instrumentalisation of migrants (Crisis Regulation Art 1).",
        "FORCE_MAJEURE": "Force majeure (Crisis Regulation Art 1).",
    },
    "DeadlineStatus": {
        "RUNNING": "Not yet met, not stopped, not yet due.",
        "MET": "Met on or before the due moment.",
        "MET_LATE": "Met, but after the due moment: a breach.",
        "BREACHED": "Not met, not stopped, and due: a breach.",
        "EXPIRED": "A period open to the person ran out unused (no one's breach).",
        "STOPPED": "The case left the path this deadline belongs to before it was met.",
    },
    "SolidarityType": {
        "RELOCATION": "Relocation, counted in persons (AMMR Art 56(2)(a)).",
        "FINANCIAL": "Financial contribution, in euro cents (AMMR Art 56(2)(b)).",
        "ALTERNATIVE": "Alternative solidarity measure, valued in euro cents (AMMR "
                       "Art 56(2)(c)).",
    },
    "SolidarityCycleStage": {
        "REPORT_ADOPTED": "The annual report was adopted (AMMR Art 9).",
        "SITUATION_DECIDED": "The migratory pressure decision was adopted (AMMR Art 11).",
        "POOL_PROPOSED": "The Commission proposed the solidarity pool (AMMR Art 12).",
        "FORUM_CONVENED": "The solidarity forum met (AMMR Art 13).",
        "POOL_ESTABLISHED": "The Council established the pool (AMMR Art 57).",
        "CLOSED": "The cycle is closed; nothing more can be recorded on it.",
    },
    "OffsetMode": {
        "REQUESTED": "The benefiting member state asked for it (AMMR Art 63(1)).",
        "VOLUNTARY": "The contributing member state offered it (AMMR Art 63(2)).",
        "MANDATORY": "Relocation pledges stayed below the threshold (AMMR Art 63(3)).",
    },
    "DeductionGround": {
        "MIGRATORY_PRESSURE": "The contributing member state is under migratory pressure "
                              "(AMMR Art 61).",
        "SIGNIFICANT_MIGRATORY_SITUATION": "It faces a significant migratory situation "
                                           "(AMMR Art 62).",
    },
    "BenefitBasis": {
        "LISTED_UNDER_PRESSURE": "Named under migratory pressure in the Art 11 decision "
                                 "(AMMR Art 58).",
        "NEED_NOTIFIED": "Notified its need and found under pressure (AMMR Art 59(4)).",
    },
    "SolidarityEffect": {
        "PLEDGED": "Adds to what is owed on its line.",
        "DELIVERED": "Counts against what is owed on its line.",
        "DEDUCTED": "A deduction granted (AMMR Arts 61-62) reduces every line.",
        "EXEMPTED": "Benefiting (AMMR Arts 58-59): nothing is owed (Art 60(3)).",
    },
    "ErasureBasis": {
        "RETENTION_ENDED": "The retention period ended.",
        "NATURALISATION": "The person acquired the citizenship of a member state.",
        "DATA_SUBJECT_REQUEST": "The person asked for erasure (GDPR Art 17).",
    },
    "PersonalDataStatus": {
        "PRESENT": "Held (sealed with the case's key).",
        "ERASED": "Erased: the key was destroyed (crypto-shredding).",
        "NONE": "No personal data were recorded.",
        "UNAVAILABLE": "The key is gone but the erasure is not recorded yet.",
    },
    "TimeBasis": {
        "OCCURRED": "Legal time: what had happened by then.",
        "RECORDED": "Recording time: what the ledger knew by then.",
    },
    # Detention, reception, age assessment (issue 11 part 5): articles as in their `values.py`.
    "DetentionGround": {
        "IDENTITY": "To determine or verify identity or nationality (RCD Art 10(4)(a)).",
        "ELEMENTS_OF_CLAIM": "To determine the elements of the claim that could not be obtained "
                             "otherwise, in particular where there is a risk of absconding "
                             "(RCD Art 10(4)(b)).",
        "COMPLIANCE": "To ensure compliance with legal obligations (RCD Art 10(4)(c), letter "
                      "unconfirmed).",
        "BORDER_PROCEDURE": "In the border procedure (APR Art 54(1); RCD Art 10(4), letter "
                            "unconfirmed); capped by the border period.",
        "NATIONAL_SECURITY": "Protection of national security or public order (RCD Art 10(4), "
                             "letter unconfirmed).",
        "TRANSFER_ABSCONDING": "To secure a transfer where there is a significant risk of "
                               "absconding (AMMR Art 44).",
        "TRANSFER_SECURITY": "To secure a transfer on grounds of national security or public "
                             "order (AMMR Art 44).",
        "RETURN_BORDER_PROCEDURE": "In the return border procedure (RBPR Art 5, unconfirmed; "
                                   "capped by Art 4(2)).",
    },
    "DetentionOrderedBy": {
        "ADMINISTRATIVE": "An administrative authority; a court reviews it speedily "
                          "(RCD Art 11(3)).",
        "JUDICIAL": "A judicial authority.",
    },
    "DetentionReleaseReason": {
        "GROUND_CEASED": "The ground no longer applies (RCD Art 11(1)).",
        "ALTERNATIVE_MEASURE": "A less coercive alternative replaced it (RCD Art 10(2)).",
        "MAXIMUM_DURATION": "The maximum duration was reached.",
        "UNLAWFUL": "A court found the detention unlawful (RCD Art 11(3)).",
        "FOUND_MINOR": "An age assessment found an unaccompanied minor (RCD Art 13(2)).",
        "HEALTH_RISK": "Detention put the person's health at risk (RCD Art 13(1)).",
    },
    "ReceptionAllocationKind": {
        "ACCOMMODATION": "Accommodation in kind (RCD Art 7, number unconfirmed; Art 20).",
        "GEOGRAPHICAL_AREA": "A geographical area within which to move freely (RCD Art 8).",
        "SPECIFIC_RESIDENCE": "A specific place of residence (RCD Art 9(1)).",
    },
    "ResidenceGround": {
        "PUBLIC_ORDER": "For reasons of public order (RCD Art 9(1)).",
        "RISK_OF_ABSCONDING": "Where there is a risk of absconding (RCD Art 9(1)).",
    },
    "ReductionMeasure": {
        "REDUCE": "Material reception conditions are reduced (RCD Art 23, unconfirmed).",
        "WITHDRAW": "Material reception conditions are withdrawn (RCD Art 23, unconfirmed).",
    },
    "ReceptionReductionGround": {
        "ABANDONED_RESIDENCE": "Abandoned the assigned residence (RCD Art 23, unconfirmed).",
        "ABSCONDING": "Absconded (RCD Art 23, unconfirmed).",
        "NON_COOPERATION": "Did not comply with reporting or cooperation duties (RCD Art 23, "
                           "unconfirmed).",
        "SUBSEQUENT_APPLICATION": "Made a subsequent application (RCD Art 23, unconfirmed).",
        "CONCEALED_RESOURCES": "Concealed financial resources (RCD Art 23, unconfirmed).",
        "HOUSE_RULES_BREACH": "Seriously breached the rules of the accommodation centre "
                              "(RCD Art 23, unconfirmed).",
        "VIOLENT_BEHAVIOUR": "Seriously violent behaviour (RCD Art 23, unconfirmed).",
        "OUTSIDE_STATE_OF_PRESENCE": "Not in the member state where they are required to be: "
                                     "no conditions there (RCD Art 21, number unconfirmed).",
    },
    "AgeAssessmentMethod": {
        "MULTIDISCIPLINARY": "A multidisciplinary assessment, always first (APR Art 25).",
        "MEDICAL": "A medical examination, only as a last resort (APR Art 25).",
    },
    "AgeAssessmentResult": {
        "MINOR": "The person is a minor (APR Art 25).",
        "ADULT": "The person is an adult (APR Art 25).",
        "BENEFIT_OF_DOUBT": "Inconclusive, or a range that includes under 18: presumed a minor "
                            "(APR Art 25).",
    },
    # Safeguards, monitoring, withdrawal (issue 11 part 5): articles as in their `values.py`.
    "LegalAidKind": {
        "COUNSELLING": "Free legal counselling in the administrative procedure (APR Art 16).",
        "ASSISTANCE": "Free legal assistance and representation on appeal (APR Art 17).",
    },
    "LegalAidRefusalGround": {
        "SUFFICIENT_MEANS": "The applicant has sufficient resources (APR Art 17(2)).",
        "NO_SUFFICIENT_PROSPECT": "The appeal has no tangible prospect of success "
                                  "(APR Art 17(2)); may be brought before a court (Art 17(3)).",
        "ABUSE": "The application or appeal is abusive (APR Art 17(2)).",
        "FURTHER_INSTANCE": "A second or further level of appeal (APR Art 17(2)).",
        "ALREADY_REPRESENTED": "Already assisted or represented by a legal adviser "
                               "(APR Art 17(2)).",
    },
    "InterpreterRefusalGround": {
        "LANGUAGE_UNDERSTOOD": "The procedure is in a language the applicant understands "
                               "(APR Art 8(2), unconfirmed).",
        "COMMUNICATION_OTHERWISE_ENSURED": "Communication is ensured otherwise (APR Art 8(2), "
                                           "unconfirmed).",
    },
    "AllegationSource": {
        "APPLICANT": "The person concerned.",
        "NGO": "A non-governmental organisation.",
        "OMBUDSPERSON": "A national ombudsperson or human-rights institution.",
        "STAFF": "Staff of the authorities.",
        "MONITOR": "The monitoring mechanism on its own motion.",
        "OTHER": "Anyone else.",
    },
    "MonitoredRight": {
        "ACCESS_TO_ASYLUM": "Access to the asylum procedure (Screening Art 10(2)(a)).",
        "NON_REFOULEMENT": "The principle of non-refoulement (Screening Art 10(2)(a)).",
        "BEST_INTERESTS_OF_THE_CHILD": "The best interests of the child (Screening Art "
                                       "10(2)(a)).",
        "DETENTION": "The rules on detention (Screening Art 10(2)(a)).",
        "OTHER_FUNDAMENTAL_RIGHT": "Another fundamental right (Charter).",
    },
    "InvestigationOutcome": {
        "FAILURE_ESTABLISHED": "A failure to respect fundamental rights was established.",
        "NOT_ESTABLISHED": "No failure was established.",
        "INCONCLUSIVE": "The investigation could not conclude.",
    },
    "Referral": {
        "NONE": "Not referred.",
        "CIVIL": "Referred for civil proceedings (Screening Art 10(1)).",
        "CRIMINAL": "Referred for criminal proceedings (Screening Art 10(1)).",
    },
    "WithdrawalGround": {
        "CESSATION_REAVAILMENT": "Voluntarily re-availed of the protection of the country of "
                                 "nationality (QR Art 11(1)(a)).",
        "CESSATION_NATIONALITY_REACQUIRED": "Voluntarily re-acquired a lost nationality "
                                            "(QR Art 11(1)(b)).",
        "CESSATION_NEW_NATIONALITY": "Acquired a new nationality and its protection "
                                     "(QR Art 11(1)(c)).",
        "CESSATION_REESTABLISHED": "Voluntarily re-established in the country left "
                                   "(QR Art 11(1)(d)).",
        "CESSATION_CIRCUMSTANCES": "The circumstances of recognition ceased to exist "
                                   "(QR Art 11(1)(e)-(f); Art 16).",
        "EXCLUSION": "Should have been or is excluded (QR Arts 14(1)(b), 19(1)(b)).",
        "MISREPRESENTATION": "Misrepresentation or omission of facts decisive for the grant "
                             "(QR Arts 14(1)(c), 19(1)(c)).",
        "DANGER_TO_SECURITY": "A danger to the security of the member state (QR Art 14(1)(d)).",
        "SERIOUS_CRIME": "Convicted of a particularly serious crime, a danger to the community "
                         "(QR Art 14(1)(e)).",
    },
    # Resettlement and humanitarian admission (URF (EU) 2024/1350): `ledger/resettlement/`.
    "AdmissionType": {
        "RESETTLEMENT": "Resettlement of a third-country national in need of protection "
                        "(URF Art 2).",
        "HUMANITARIAN_ADMISSION": "Humanitarian admission (URF Art 2).",
        "EMERGENCY_ADMISSION": "Emergency admission, a form of humanitarian admission for urgent "
                               "cases (URF Art 2).",
    },
    "AdmissionProcedure": {
        "ORDINARY": "The ordinary admission procedure (article not in our sources).",
        "EXPEDITED": "The expedited admission procedure (article not in our sources).",
    },
    "ReferringBody": {
        "UNHCR": "Referred by the UN High Commissioner for Refugees.",
        "EUAA": "Referred by the European Union Agency for Asylum.",
        "OTHER": "Referred by another relevant international body.",
    },
    "AdmissionStatus": {
        "REGISTERED": "The file was registered.",
        "ASSESSED": "Eligibility and the refusal grounds were assessed (URF Arts 5-6).",
        "CONSENTED": "The person consented to admission.",
        "ADMISSION_GRANTED": "Admission was granted.",
        "ADMISSION_REFUSED": "Admission was refused (URF Art 6).",
        "ARRIVED": "The person arrived and was granted a status.",
        "DISCONTINUED": "The procedure stopped before a decision or an arrival.",
    },
    "RefusalGround": {
        "EQUIVALENT_NATIONALITY_RIGHTS": "Has the rights and obligations of a national of the "
                                         "country of residence (URF Art 6(1)(a)).",
        "SERIOUS_CRIME": "Serious reasons to consider a serious crime (URF Art 6(1)(b)).",
        "DANGER_TO_COMMUNITY": "A danger to the community, public policy, security or health "
                               "(URF Art 6(1)(c)).",
        "ENTRY_REFUSAL_ALERT": "An alert for refusal of entry (SIS) (URF Art 6(1)(d)).",
        "PROTECTED_IN_MEMBER_STATE": "Already granted protection by a member state "
                                     "(URF Art 6(1)(e)).",
        "REFUSED_IN_PREVIOUS_YEARS": "Refused admission by a member state under (c) or (d) "
                                     "within the previous years (URF Art 6(1)(f)).",
    },
    "ProtectionStatus": {
        "REFUGEE": "Refugee status (Qualification Regulation).",
        "SUBSIDIARY_PROTECTION": "Subsidiary protection status (Qualification Regulation).",
        "NATIONAL_HUMANITARIAN_STATUS": "A national humanitarian status (humanitarian "
                                        "admission).",
    },
    "DiscontinuanceReason": {
        "CONSENT_WITHDRAWN": "The person withdrew consent.",
        "NOT_REACHABLE": "The person could not be reached.",
        "NO_LONGER_IN_NEED": "The person is no longer in need of admission.",
    },
}

_CASE_ARG = "The case: its id (`caseId`) or its global id (`id`)."
_FIRST = "Page size from the start (or from `after`); at most 100, default 20."
_AFTER = "A cursor (`endCursor`): the page starts after it."
_YEAR = "The solidarity cycle's year (AMMR Art 57: one cycle a year)."
_AS_OF = "Legal time: only what legally occurred at or before it counts (default: all)."

#: Output fields and arguments by coordinate.
FIELDS: dict[str, str] = {
    # the roots
    "Query": "What can be read: cases and their events, deadlines, the solidarity cycle, "
             "integrity proofs, statistics and the access log; each read is scoped by the "
             "token's role and member state.",
    "Mutation": "The steps that can be recorded, one mutation per command; each answers with a "
                "`CommandResult` (refusals are results, not errors).",
    # Resettlement and humanitarian admission (URF (EU) 2024/1350).
    "Query.admission(id:)": "The admission file's id.",
    "Query.admissions(filter:)": "Narrows the list; none: every file in the token's scope.",
    "Query.admissions(first:)": _FIRST,
    "Query.admissions(after:)": _AFTER,
    "Query.unionResettlementPlan(periodStart:)": "The first year of the plan's two-year period "
                                                 "(URF Art 8).",
    "Admission.id": "The admission file's id (its stream in the ledger).",
    "Admission.version": "How many steps the file has.",
    "Admission.memberState": "The admitting member state.",
    "Admission.reference": "The member state's own reference of the file.",
    "Admission.admissionType": "Resettlement, humanitarian or emergency admission (URF Art 2).",
    "Admission.procedure": "Ordinary or expedited procedure.",
    "Admission.planPeriodStart": "The Union plan the admission counts under (URF Art 8).",
    "Admission.referredBy": "Who referred the person.",
    "Admission.referralRef": "The referring body's reference.",
    "Admission.nationality": "Nationality (ISO 3166 alpha-2).",
    "Admission.countryOfResidence": "The third country the person is admitted from "
                                    "(ISO 3166 alpha-2).",
    "Admission.vulnerable": "A vulnerable person or group (a higher lump sum under AMIF).",
    "Admission.persons": "How many persons the file covers.",
    "Admission.status": "Where the file stands.",
    "Admission.registeredAt": "When the file was registered.",
    "Admission.assessedAt": "When eligibility and refusal grounds were assessed.",
    "Admission.consentedAt": "When the person consented.",
    "Admission.decidedAt": "When admission was decided.",
    "Admission.granted": "Whether admission was granted; null until decided.",
    "Admission.arrivedAt": "When the person arrived in the member state.",
    "Admission.protectionStatus": "The status granted on arrival.",
    "Admission.solidarityBasis": "The setting under which the arrival was (not) counted toward "
                                 "solidarity, as it stood then.",
    "Admission.discontinuedAt": "When the procedure was discontinued.",
    "Admission.discontinuanceReason": "Why it was discontinued.",
    "Admission.decisionDeadline": "The time limit for the admission decision.",
    "AdmissionDeadline.code": "The rule's code in the deadline catalogue.",
    "AdmissionDeadline.version": "The catalogue version the deadline was computed under.",
    "AdmissionDeadline.act": "The legal act.",
    "AdmissionDeadline.article": "The article.",
    "AdmissionDeadline.dueAt": "The due moment (end of the period's last day, Reg 1182/71).",
    "AdmissionDeadline.status": "RUNNING, MET, MET_LATE, BREACHED or STOPPED.",
    "UnionResettlementPlan.periodStart": "The first year of the plan's two-year period.",
    "UnionResettlementPlan.periodEnd": "The last year of the period.",
    "UnionResettlementPlan.councilAct": "The Council implementing act adopting the plan "
                                        "(URF Art 8).",
    "UnionResettlementPlan.adoptedAt": "When the plan was adopted.",
    "UnionResettlementPlan.resettlement": "Persons to be resettled under the plan.",
    "UnionResettlementPlan.humanitarianAdmission": "Persons to be admitted on humanitarian "
                                                   "grounds.",
    "UnionResettlementPlan.emergencyAdmission": "Of which emergency admissions.",
    "UnionResettlementPlan.total": "The plan's total admissions.",
    "UnionResettlementPlan.contributions": "Each member state's contribution against its "
                                           "arrivals.",
    "PlanContribution.memberState": "The contributing member state.",
    "PlanContribution.admissionType": "The kind of admission contributed.",
    "PlanContribution.pledged": "Persons the member state contributed to the plan.",
    "PlanContribution.arrived": "Persons admitted under it who arrived.",
    "Query.case(id:)": _CASE_ARG,
    "Query.cases(filter:)": "Narrows the list; none: every case in the token's scope.",
    "Query.caseAsOf(caseId:)": _CASE_ARG,
    "Query.caseAsOf(at:)": "The moment, with an offset (give `at` or `version`).",
    "Query.caseAsOf(basis:)": "Which time `at` is measured on.",
    "Query.caseAsOf(version:)": "A version of the case's stream (give `at` or `version`).",
    "Query.decisionTrail(caseId:)": _CASE_ARG,
    "Query.decisionsUnderAppeal(appealBody:)": "Only appeals before this body.",
    "Query.decisionsUnderAppeal(memberState:)": "Only cases of this member state.",
    "Query.recognitionRates(year:)": "One reference year; none: all years.",
    "Query.recognitionRates(nationality:)": "One nationality (ISO alpha-2); none: all.",
    "Query.borderCapacity(year:)": "The year assignments are counted in; none: this year.",
    "Query.borderCapacity(memberState:)": "One member state; none: all in scope.",
    "Query.deadlines(filter:)": "Narrows the list; none: every deadline in scope.",
    "Query.deadlines(first:)": _FIRST,
    "Query.deadlines(after:)": _AFTER,
    "Query.caseDeadlines(caseId:)": _CASE_ARG,
    "Query.crisisPeriods(memberState:)": "One member state; none: all in scope.",
    "Query.solidarityCycle(year:)": _YEAR,
    "Query.solidarityBalances(year:)": _YEAR,
    "Query.solidarityBalances(memberState:)": "One member state's account; none: all.",
    "Query.solidarityBalance(year:)": _YEAR,
    "Query.solidarityBalance(memberState:)": "The member state whose line is read.",
    "Query.solidarityBalance(type:)": "The type of solidarity measure of the line.",
    "Query.verifyCase(caseId:)": _CASE_ARG,
    "Query.verifyLedger(savedDigest:)": "A digest saved earlier, to check that the ledger "
                                        "still extends it; none: the log alone is checked.",
    "Query.inclusionProof(position:)": "Log position of the event.",
    "Query.inclusionProof(treeSize:)": "Number of events of the tree (default: all).",
    "Query.consistencyProof(fromSize:)": "Size of the saved digest's tree.",
    "Query.consistencyProof(toSize:)": "Size of the later tree (default: now).",
    "Query.accessLog(caseId:)": "Only reads of this case (its id or global id).",
    "Query.accessLog(subject:)": "Only reads by this token subject.",
    "Query.accessLog(from:)": "Only reads at or after this moment.",
    "Query.accessLog(to:)": "Only reads at or before this moment.",
    "Query.accessLog(first:)": _FIRST,
    "Query.accessLog(after:)": _AFTER,
    "Query.subjectAccess(personId:)": "The person (`Case.personalData.personId`).",
    # refusals and results
    "CommandError.message": "What was refused and why, for people.",
    "RuleViolation.message": "What was refused and why, for people.",
    "InvalidInput.message": "What was refused and why, for people.",
    "InvalidInput.fields": "Every field at fault, with its problem.",
    "FieldError": "One input field at fault.",
    "FieldError.field": "The field's path in the input, e.g. `person.nationality`.",
    "FieldError.message": "What is wrong with it.",
    "CaseNotFound": "No such case, or one outside the principal's member state (the two are "
                    "not told apart). Nothing was recorded.",
    "CaseNotFound.message": "What was refused and why, for people.",
    "CaseNotFound.caseId": "The case id sent.",
    "CaseAlreadyExists.message": "What was refused and why, for people.",
    "CaseAlreadyExists.nationalReference": "The national reference of the existing case.",
    "ConcurrentChange.message": "What was refused and why, for people.",
    "Forbidden.message": "What was refused and why, for people.",
    "NotRecorded.message": "What failed, for people.",
    "OutcomeUnknown.message": "What failed, for people.",
    "OutcomeUnknown.commandId": "The command id to send the same command again with.",
    "CommandResult": "What a mutation answers: the step recorded, or why it was not (switch on "
                     "`__typename`).",
    "CommandSucceeded.version": "The aggregate's version after the step (events in its "
                                "stream).",
    "CommandSucceeded.case": "The case after the step (null for a step on another aggregate, "
                             "or when it could not be read back).",
    # the case
    "Case.nationalReference": "The member state's own reference of the case.",
    "Case.nationality": "ISO 3166-1 alpha-2 code; XX if unknown or stateless.",
    "Case.status": "Where the case stands, derived from its events.",
    "Case.procedure": "The examination procedure assigned; null before.",
    "Case.screeningTrigger": "Why the person was screened (Screening Regulation Arts 5, 7).",
    "Case.screeningOutcome": "Where screening referred the person (Screening Reg. Art 18).",
    "Case.unaccompaniedMinor": "An unaccompanied minor.",
    "Case.openedAt": "Legal time of the case's first step.",
    "Case.applicationMadeAt": "When the application was made (APR Art 26).",
    "Case.registeredAt": "When it was registered (APR Art 27).",
    "Case.lodgedAt": "When it was lodged (APR Art 28); the examination period runs from it.",
    "Case.lastDecisionAt": "Legal time of that decision.",
    "Case.appealPending": "An appeal is pending (APR Art 67).",
    "Case.returnDecisionIssued": "A return decision was issued (APR Art 37).",
    "Case.closedReason": "Why the case was closed; null while open.",
    "Case.lastRecordedAt": "When the ledger recorded the latest step.",
    "Case.decisionFinal": "The decision that stands is final (no further remedy).",
    "Case.rightToRemainEnded": "The right to remain ended (APR Art 10).",
    "Case.responsibilityState": "Where the responsibility procedure stands (see "
                                "`responsibility.state`).",
    "Case.relocationState": "Where a relocation stands (see `relocation.state`); null if none.",
    "Case.responsibility": "Who is responsible for the application (AMMR), as recorded.",
    "Case.relocation": "The relocation of the person (AMMR Arts 67-68); null if none.",
    "Case.eurodac": "What the ledger knows of the Eurodac record (no biometric data).",
    "Case.screeningChecks": "The screening checks (Screening Regulation Arts 12-15).",
    "Appeal.appealNo": "Number of the appeal in its case (from 1).",
    "Appeal.decisionNo": "The decision appealed against.",
    "Appeal.appealBody": "The court or tribunal seized.",
    "Appeal.suspensive": "Automatic suspensive effect (APR Art 68).",
    "Appeal.outcome": "How it was disposed of (APR Art 67); null while pending.",
    "Person.familyName": "Family name; null once erased.",
    "Person.givenNames": "Given names; null once erased.",
    "Person.dateOfBirth": "Date of birth; null once erased or if unknown.",
    "Person.unaccompaniedMinor": "An unaccompanied minor.",
    "PersonalDataState.personId": "Groups the cases of one person (subject access, erasure).",
    "PersonalDataState.erasedAt": "When the personal data were erased; null if held.",
    "PersonalDataState.erasureArticle": "The provision the erasure rests on.",
    "Responsibility.basis": "The provision responsibility rests on (AMMR Arts 16, 35).",
    "Responsibility.transferDecisionIssued": "A transfer decision was issued (AMMR Art 42).",
    "TransferAppeal.court": "The court seized.",
    "TransferAppeal.lodgedAt": "Legal time the appeal was lodged.",
    "TransferAppeal.decidedAt": "Legal time of the ruling; null while pending.",
    "TransferAppeal.annulled": "The transfer decision was annulled; null while pending.",
    "Relocation.memberState": "The member state of relocation.",
    "EurodacRecord.category": "Eurodac data category (Regulation (EU) 2024/1358).",
    "EurodacRecord.reference": "Reference of the Eurodac transmission.",
    "EurodacRecord.transmitted": "The data were transmitted to Eurodac.",
    "EurodacRecord.retentionUntil": "Until when Eurodac keeps the data (Eurodac Art 29).",
    "EurodacRecord.marked": "The record is marked (Eurodac Art 16(3)).",
    "ScreeningChecks.health": "Result of the preliminary health check (Art 12).",
    "ScreeningChecks.vulnerability": "Result of the vulnerability check (Art 12).",
    "ScreeningChecks.identity": "Result of the identity check (Art 14).",
    "ScreeningChecks.security": "Result of the security check (Art 15).",
    "ScreeningChecks.vulnerabilities": "Special needs found (Art 12).",
    "ScreeningChecks.representative": "Reference of the representative assigned to an "
                                      "unaccompanied minor.",
    "CaseFilter.memberState": "Only cases of this member state.",
    "CaseFilter.status": "Only cases with this status.",
    "CaseFilter.procedure": "Only cases in this procedure.",
    "PendingAppeal.case": "The case, as it stands now.",
    "PendingAppeal.appealNo": "Number of the pending appeal in its case.",
    "PendingAppeal.appealBody": "The court or tribunal seized.",
    "PendingAppeal.lodgedAt": "Legal time the appeal was lodged.",
    "PendingAppeal.suspensive": "Automatic suspensive effect (APR Art 68).",
    "PendingAppeal.decisionNo": "The decision appealed against.",
    # events and envelope
    "TimelineEvent.caseId": "The case (for a solidarity entry: the cycle or account).",
    "TimelineEvent.type": "The event type, e.g. DecisionIssued.",
    "TimelineEvent.actor": "The principal who recorded the step.",
    "TimelineEvent.legalBasis": "The provisions the step was recorded under.",
    "TimelineEvent.commandId": "The command the event was recorded by.",
    "TimelineEvent.correlationId": "Groups the steps of one conversation or operation.",
    "TimelineEvent.causationId": "The message that caused this step.",
    "TimelineEvent.evidenceRefs": "References to documents, recordings, reports.",
    "Actor.id": "The principal's id (the token's subject).",
    "Actor.role": "The principal's role, e.g. CASE_WORKER.",
    "Actor.authority": "The authority the principal acts for.",
    "Actor.memberState": "The principal's member state code, or EU for Union-level roles.",
    "LegalBasis.act": "The act, e.g. APR (EU) 2024/1348.",
    "LegalBasis.article": "The article, e.g. Art 27(1).",
    "Rule": "A rule the ledger enforces, with the provision that lays it down.",
    "Rule.code": "Stable rule code, as `RuleViolation.rule` gives it.",
    "Rule.article": "The provision that lays the rule down.",
    "Rule.summary": "What the rule says.",
    # deadlines
    "Deadline.title": "What must be done.",
    "Deadline.act": "The act that sets the deadline.",
    "Deadline.article": "The provision that sets the deadline.",
    "Deadline.startedAt": "When the period started.",
    "Deadline.dueAt": "When it falls due.",
    "Deadline.extendedDays": "Days it was extended by.",
    "Deadline.extendedMonths": "Calendar months it was extended by.",
    "Deadline.status": "Where it stands at the moment of the query.",
    "DeadlineCounting.timeZone": "The calendar's time zone (IANA name).",
    "DeadlineCounting.amount": "The period's length, in `unit`.",
    "DeadlineCounting.unit": "HOURS, DAYS, WEEKS, MONTHS or YEARS.",
    "DeadlineCounting.firstDay": "First day counted (Reg. 1182/71 Art 3(1)).",
    "DeadlineCounting.skippedDays": "Public holidays and weekends the end moved past "
                                    "(Art 3(4)).",
    "DeadlineCounting.extendedDays": "Days the period was extended by.",
    "DeadlineCounting.extendedMonths": "Calendar months the period was extended by.",
    "DeadlineCounting.articles": "The provisions of Reg. 1182/71 the count applied.",
    "DeadlineCounting.explanation": "The count in words.",
    "SkippedDay.day": "The day skipped.",
    "DeadlineFilter.memberState": "Only deadlines of cases of this member state.",
    "DeadlineFilter.caseId": "Only this case's deadlines (its id or global id).",
    "LegalConsequence.article": "The provision that attaches the consequence.",
    "LegalConsequence.since": "Since when it is in force.",
    "LegalConsequence.causeDueAt": "When the deadline that caused it fell due.",
    "LegalConsequence.responsibleMemberState": "The member state responsible as a result.",
    "LegalConsequence.summary": "The consequence in words.",
    "ResponsibilityByLaw.state": "Where responsibility stands by law.",
    "ResponsibilityByLaw.responsibleMemberState": "The member state responsible by law.",
    "ResponsibilityByLaw.cause": "The consequence it follows from, if derived.",
    "CrisisPeriod.periodNo": "Number of the period in its member state.",
    "CrisisPeriod.kind": "Kind of situation (Crisis Regulation Art 1).",
    "CrisisPeriod.startsAt": "When it starts.",
    "CrisisPeriod.endedAt": "When it was ended early; null if not.",
    "CrisisPeriod.derogations": "The derogations it authorises (Crisis Regulation Arts 4-5).",
    "CrisisPeriod.decisionRef": "Reference of the implementing decision that authorises it.",
    "CrisisPeriod.extensionRef": "Reference of the decision that extended it, if any.",
    # statistics
    "RecognitionRate.nationality": "ISO 3166-1 alpha-2 code.",
    "RecognitionRate.euSource": "Where the EU rate comes from.",
    "RecognitionRate.grants": "Decisions among them granting protection.",
    "RecognitionSource": "A published source of recognition rates.",
    "RecognitionSource.source": "The publisher and dataset, e.g. Eurostat migr_asydcfsta.",
    "RecognitionSource.referenceYear": "The year the figures cover.",
    "RecognitionSource.version": "Version of the loaded file.",
    "RecognitionSource.note": "What to know about the figures.",
    "BorderCapacity.assignedThisYear": "Applications assigned to the border procedure this "
                                       "year (APR Art 47).",
    "BorderCapacity.capacityReached": "Adequate capacity reached; null until configured.",
    # solidarity
    "SolidarityCycle.year": "The year of the cycle.",
    "SolidarityCycle.stage": "Where the cycle stands (AMMR Arts 9-13, 57).",
    "SolidarityCycle.version": "Number of events in the cycle's stream.",
    "SolidarityCycle.annualReportRef": "Reference of the annual report (AMMR Art 9).",
    "SolidarityCycle.annualReportAdoptedAt": "When the report was adopted.",
    "SolidarityCycle.decision": "The migratory pressure decision (AMMR Art 11).",
    "SolidarityCycle.fairShareInputs": "The population and GDP figures of the fair-share "
                                       "key (AMMR Art 66, Annex I).",
    "SolidarityCycle.proposal": "The Commission's proposal for the pool (AMMR Art 12).",
    "SolidarityCycle.forums": "Meetings of the solidarity forum (AMMR Art 13).",
    "SolidarityCycle.pool": "The pool the Council established (AMMR Art 57).",
    "SolidarityCycle.closedAt": "When the cycle was closed; null while open.",
    "PressureDecision.ref": "Reference of the implementing decision.",
    "PressureDecision.adoptedAt": "When it was adopted.",
    "PressureDecision.underPressure": "Member states under migratory pressure (AMMR "
                                      "Art 11).",
    "PressureDecision.atRisk": "Member states at risk of migratory pressure (AMMR "
                               "Art 11).",
    "PressureDecision.significantSituation": "Member states facing a significant migratory "
                                             "situation (AMMR Art 11).",
    "FairShareInputs.source": "Where the figures come from (Eurostat).",
    "FairShareInputs.recordedAt": "When they were recorded.",
    "FairShareInputs.inputs": "Each member state's figures.",
    "FairShareFigures.memberState": "The member state.",
    "FairShareFigures.population": "Its population.",
    "FairShareFigures.gdpEurMillions": "Its GDP in EUR million.",
    "PoolProposal.ref": "Reference of the proposal.",
    "PoolProposal.proposedAt": "When it was proposed.",
    "PoolProposal.relocations": "Relocations proposed for the Union (AMMR Art 12(2)).",
    "PoolProposal.financialCents": "Financial contributions proposed, in euro cents.",
    "PoolProposal.indicativeShares": "Each member state's indicative share (AMMR Art 12).",
    "IndicativeShare.memberState": "The member state.",
    "IndicativeShare.relocations": "Its indicative share of relocations.",
    "IndicativeShare.financialCents": "Its indicative share of contributions, in euro cents.",
    "ForumMeeting.meeting": "Which meeting: the first or the second (AMMR Art 13).",
    "ForumMeeting.convenedAt": "When it met.",
    "EstablishedPool.councilAct": "Reference of the Council implementing act (AMMR Art 57).",
    "EstablishedPool.establishedAt": "When the pool was established.",
    "EstablishedPool.relocations": "Relocations in the pool.",
    "EstablishedPool.financialCents": "Financial contributions in the pool, in euro cents.",
    "EstablishedPool.pledges": "Each member state's pledges.",
    "PoolPledge.memberState": "The pledging member state.",
    "PoolPledge.relocations": "Relocations pledged.",
    "PoolPledge.financialCents": "Financial contributions pledged, in euro cents.",
    "PoolPledge.alternativeCents": "Alternative measures pledged, valued in euro cents.",
    "SolidarityBalances.year": "The cycle's year.",
    "SolidarityBalances.asOf": "The legal time the balances are read at; null: now.",
    "SolidarityBalances.centsPerRelocation": "The value of one relocation in euro cents.",
    "SolidarityBalances.accounts": "Each member state's account.",
    "SolidarityBalances.totals": "The Union's totals against the pool.",
    "SolidarityBalances.offsets": "Where the offset triggers stand (AMMR Art 63).",
    "SolidarityAccountBalance.memberState": "The member state.",
    "SolidarityAccountBalance.benefiting": "A benefiting member state (AMMR Arts 58-59).",
    "SolidarityAccountBalance.deductionPercent": "The deduction granted, in percent (AMMR "
                                                 "Arts 61-62).",
    "SolidarityAccountBalance.lines": "One line per type of measure.",
    "SolidarityAccountBalance.obligationCents": "What it owes over all lines, in euro cents.",
    "SolidarityAccountBalance.deliveredCents": "What it delivered, in euro cents.",
    "SolidarityAccountBalance.outstandingCents": "What remains owed, in euro cents.",
    "SolidarityBalanceLine.year": "The cycle's year.",
    "SolidarityBalanceLine.type": "The type of solidarity measure.",
    "SolidarityBalanceLine.pledged": "What was pledged.",
    "SolidarityBalanceLine.obligation": "What is owed after deductions.",
    "SolidarityBalanceLine.delivered": "What was delivered.",
    "SolidarityBalanceLine.entries(first:)": "At most this many entries, oldest first.",
    "SolidarityFigure.persons": "In persons (relocations).",
    "SolidarityFigure.cents": "In euro cents.",
    "SolidarityEntry.event": "The event type.",
    "SolidarityEntry.memberState": "The member state whose account it touches.",
    "SolidarityEntry.recordedAt": "When the ledger recorded it.",
    "SolidarityEntry.effect": "What it does to the balance line.",
    "SolidarityEntry.persons": "Persons, for relocations.",
    "SolidarityEntry.offsetMode": "For an offset: the paragraph of AMMR Art 63 it falls under.",
    "SolidarityEntry.legalBasis": "The provisions it was recorded under.",
    "SolidarityEntry.commandId": "The command it was recorded by.",
    "SolidarityTotals.lines": "The Union's total per type of measure.",
    "SolidarityTotals.obligationCents": "What is owed in all, in euro cents.",
    "SolidarityTotals.deliveredCents": "What was delivered in all, in euro cents.",
    "SolidarityTotals.outstandingCents": "What remains owed in all, in euro cents.",
    "SolidarityTotals.poolFinancialCents": "The pool's financial contributions, in euro cents.",
    "SolidarityOffsets.proposedRelocations": "Relocations the Commission proposed.",
    "SolidarityOffsets.pledgedRelocations": "Relocations pledged.",
    "SolidarityOffsets.requestableThreshold": "The share of the proposal below which offsets "
                                              "may be requested (AMMR Art 63(1)).",
    "SolidarityOffsets.mandatoryThreshold": "The share below which offsets become mandatory "
                                            "(AMMR Art 63(3)).",
    "SolidarityOffsets.mandatoryThresholdRelocations": "That threshold in relocations.",
    # integrity and access log
    "LedgerDigest.computedAt": "When the digest was computed.",
    "VerificationResult": "The outcome of recomputing stored events against their chain and "
                          "the hash table.",
    "VerificationResult.valid": "No problem was found.",
    "VerificationResult.eventsChecked": "Events recomputed.",
    "VerificationResult.firstProblem": "The first problem found, if any.",
    "VerificationResult.problemCount": "Problems found.",
    "IntegrityProblem.stream": "The stream (aggregate id) of the event, if known.",
    "IntegrityProblem.version": "The event's version in its stream, if known.",
    "IntegrityProblem.detail": "What was found, for people.",
    "SavedDigestInput": "A digest saved earlier (`ledgerDigest`).",
    "SavedDigestInput.size": "Its number of events.",
    "SavedDigestInput.rootHash": "Its root hash (hex).",
    "InclusionProof.leafIndex": "The event's index among the tree's leaves (from 0).",
    "InclusionProof.treeSize": "Number of events of the tree.",
    "InclusionProof.rootHash": "The tree's root hash (hex, RFC 6962).",
    "InclusionProof.path": "The audit path (hex hashes, RFC 6962 2.1.1).",
    "ConsistencyProof.fromSize": "Size of the earlier tree.",
    "ConsistencyProof.toSize": "Size of the later tree.",
    "ConsistencyProof.fromRoot": "Root hash of the earlier tree (hex).",
    "ConsistencyProof.toRoot": "Root hash of the later tree (hex).",
    "ConsistencyProof.path": "The consistency proof (hex hashes, RFC 6962 2.1.2).",
    "AccessLogConnection.edges": "The page's entries with their cursors.",
    "AccessLogEdge": "One entry of the access log and its cursor.",
    "AccessLogEntry.id": "The entry's number in the log.",
    "AccessLogEntry.at": "When the personal data were read.",
    "AccessLogEntry.role": "The reader's role.",
    "AccessLogEntry.authority": "The authority the reader acts for.",
    "AccessLogEntry.caseId": "The case whose personal data were read.",
    "LegalBasisInput": "A provision: an act and an article.",
    "LegalBasisInput.act": "The act, e.g. APR (EU) 2024/1348.",
    "LegalBasisInput.article": "The article, e.g. Art 27(1).",
}

#: Fields of generated inputs without a `Doc` on their command, by the field's name.
INPUT_FIELDS: dict[str, str] = {
    "caseId": _CASE_ARG,
    "memberState": "The member state the step is recorded for.",
    "nationalReference": "The member state's own reference of the case.",
    "person": "The applicant's personal data (sealed before anything is recorded).",
    "reason": "Why, in words (free text: sealed where it may hold personal data).",
    "decisionRef": "Reference of the decision or act.",
    "voluntaryDepartureDays": "Period for voluntary departure in days (Return Directive "
                              "2008/115/EC Art 7).",
    "relocations": "A number of relocations (persons).",
    "financialCents": "Financial contributions, in euro cents.",
    "percent": "A percentage of the member state's fair share.",
    "outcome": "The outcome of the step.",
    "measure": "The alternative solidarity measure, in words (AMMR Art 56(2)(c)).",
    "language": "The language, as an ISO 639 code.",
    "kind": "The kind of the step's subject.",
    "hitRef": "Reference of the Eurodac hit (Eurodac Art 27).",
    "days": "A number of days.",
    "months": "A number of calendar months (Reg. 1182/71).",
    "category": "Eurodac data category (Regulation (EU) 2024/1358).",
    "basis": "The provision the step rests on.",
    "amountCents": "An amount in euro cents.",
}

#: Fields of generated inputs by coordinate: where the name alone says too little.
INPUT_COORDINATES: dict[str, str] = {
    "AdmissionFilter.status": "Only files in this status.",
    "AdmissionFilter.planPeriodStart": "Only files under this plan.",
    "StartScreeningInput.trigger": "Why the person is screened (Screening Regulation Arts 5, 7).",
    "StartScreeningInput.location": "Where the screening takes place.",
    "MakeApplicationInput.place": "Where the application was made (APR Art 26).",
    "PersonInput.dateOfBirth": "Date of birth, if known (sealed).",
    "PersonInput.unaccompaniedMinor": "An unaccompanied minor.",
    "PersonInput.familyName": "Family name (sealed).",
    "PersonInput.givenNames": "Given names (sealed).",
    "RecordVulnerabilityCheckInput.needs": "Special needs found (Screening Regulation Art 12).",
    "RecordIdentityCheckInput.method": "How identity was checked (Screening Regulation Art 14).",
    "RecordIdentityCheckInput.established": "Identity was established.",
    "RecordSecurityCheckInput.hit": "A database returned a hit (Screening Regulation Art 15): "
                                    "sets the security flag.",
    "RecordSecurityCheckInput.databases": "The databases queried.",
    "ProvideInformationInput.topics": "The topics the person was informed of (Screening "
                                      "Regulation Art 11, APR Art 8).",
    "AssignRepresentativeInput.representativeRef": "Reference of the representative of an "
                                                   "unaccompanied minor.",
    "CompleteScreeningInput.outcome": "Where the person is referred (Screening Regulation "
                                      "Art 18).",
    "CompleteScreeningInput.formRef": "Reference of the screening form (Art 17).",
    "CompleteScreeningInput.incompleteChecks": "Checks not completed in time (Art 17).",
    "CaptureBiometricsInput.category": "Eurodac data category the data are taken for.",
    "TransmitToEurodacInput.reference": "Reference of the transmission.",
    "RecordEurodacHitInput.originMemberState": "The member state that recorded the matching "
                                               "data.",
    "UnmarkInEurodacInput.reason": "Why the mark is removed.",
    "MakeSubsequentApplicationInput.newElements": "New elements were presented (APR Art 55).",
    "RequestTakeChargeInput.requestedMemberState": "The member state requested to take charge "
                                                   "(AMMR Art 39).",
    "RequestTakeChargeInput.hitBased": "The request rests on a Eurodac hit (shorter limit).",
    "ReplyToTakeChargeInput.accepted": "The request was accepted (AMMR Art 40).",
    "NotifyTakeBackInput.notifiedMemberState": "The member state notified (AMMR Art 41).",
    "ReplyToTakeBackInput.confirmed": "Receipt was confirmed (AMMR Art 41).",
    "LodgeTransferAppealInput.court": "The court seized (AMMR Art 43).",
    "DecideTransferSuspensionInput.suspended": "The transfer is suspended pending the appeal "
                                               "(AMMR Art 43(3)).",
    "ShiftResponsibilityInput.cause": "Why responsibility moves here (AMMR Art 37(1)).",
    "AssignProcedureInput.procedure": "The examination procedure.",
    "RecordInterviewInput.interviewRef": "Reference of the report or recording (APR Art 14).",
    "RecordInterviewInput.interpreter": "An interpreter took part.",
    "IssueDecisionInput.decisionType": "What is decided (APR Arts 35-41).",
    "IssueDecisionInput.withReturnDecision": "A return decision is issued with a rejection "
                                             "(APR Art 37).",
    "LodgeAppealInput.appealBody": "The court or tribunal seized (APR Art 67).",
    "DecideRequestToRemainInput.granted": "The person may remain pending the appeal "
                                          "(APR Art 68).",
    "DecideAppealInput.outcome": "How the appeal is disposed of (APR Art 67).",
    "DecideAppealInput.substitutedDecisionType": "With OVERTURNED: the decision the court "
                                                 "substitutes.",
    "GrantVoluntaryDepartureInput.days": "Period for voluntary departure in days (Return "
                                         "Directive Art 7).",
    "IssueResidencePermitInput.permitRef": "Reference of the permit.",
    "IssueResidencePermitInput.validUntil": "Last day of validity (Qualification Regulation "
                                            "Art 24).",
    "CloseCaseInput.reason": "Why the case is closed.",
    "SelectForRelocationInput.relocationMemberState": "The member state of relocation.",
    "DeclareCrisisInput.kind": "Kind of situation (Crisis Regulation Art 1).",
    "DeclareCrisisInput.startsAt": "When the period starts.",
    "ExtendCrisisInput.until": "The new scheduled end.",
    "AdoptAnnualReportInput.reportRef": "Reference of the annual report (AMMR Art 9).",
    "AdoptMigratoryPressureDecisionInput.underPressure": "Member states under migratory "
                                                         "pressure (AMMR Art 11).",
    "AdoptMigratoryPressureDecisionInput.atRisk": "Member states at risk of migratory "
                                                  "pressure (AMMR Art 11).",
    "AdoptMigratoryPressureDecisionInput.significantSituation": "Member states facing a "
                                                                "significant migratory "
                                                                "situation (AMMR Art 11).",
    "FairShareFiguresInput.memberState": "The member state.",
    "FairShareFiguresInput.population": "Its population.",
    "FairShareFiguresInput.gdpEurMillions": "Its GDP in EUR million.",
    "ProposeSolidarityPoolInput.proposalRef": "Reference of the proposal (AMMR Art 12).",
    "ProposeSolidarityPoolInput.earmarkPercent": "Share earmarked, in percent.",
    "EstablishSolidarityPoolInput.councilAct": "Reference of the Council implementing act "
                                               "(AMMR Art 57).",
    "EstablishSolidarityPoolInput.centsPerRelocation": "The value of one relocation, in euro "
                                                       "cents.",
    "EstablishSolidarityPoolInput.sarSharePercent": "Share reserved for search and rescue "
                                                    "disembarkations, in percent.",
    "MakeSolidarityPledgeInput.kind": "The type of solidarity measure pledged (AMMR "
                                      "Art 56(2)).",
    "MakeSolidarityPledgeInput.persons": "Relocations pledged (for RELOCATION).",
    "RequestSolidarityDeductionInput.ground": "Why a deduction is requested (AMMR Arts 61-62).",
    "RequestSolidarityDeductionInput.reasons": "The reasons given.",
    "NotifyBenefitingStatusInput.basis": "How the member state benefits (AMMR Arts 58-59).",
    "RecordFinancialContributionInput.paymentRef": "Reference of the payment.",
    "RecordAlternativeMeasureInput.valueCents": "The measure's value, in euro cents.",
}


def _described(kind: object, name: str, table: Mapping[str, str], used: set[str]) -> None:
    """Give `kind` (a type, field, argument or enum value) the description `table` holds for
    `name`, if it has none."""
    if name in table:
        used.add(name)
        if not getattr(kind, "description", None):
            kind.description = table[name]  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Tables:
    """The tables `describe` reads (the schema's are this module's; a test passes its own)."""

    fields: Mapping[str, str]
    input_coordinates: Mapping[str, str]
    input_fields: Mapping[str, str]
    enum_values: Mapping[str, Mapping[str, str]]


TABLES = Tables(FIELDS, INPUT_COORDINATES, INPUT_FIELDS, ENUM_VALUES)


def describe(schema: GraphQLSchema, tables: Tables = TABLES) -> None:
    """Fill the descriptions the declarations leave out, from `tables`; an entry that names no
    element of `schema` is an error."""
    used: set[str] = set()
    used_values: set[tuple[str, str]] = set()
    for name, kind in schema.type_map.items():
        if name.startswith("__"):
            continue
        _described(kind, name, tables.fields, used)
        if isinstance(kind, (GraphQLObjectType, GraphQLInterfaceType)):
            for field_name, field in kind.fields.items():
                _described(field, f"{name}.{field_name}", tables.fields, used)
                for arg_name, arg in field.args.items():
                    _described(arg, f"{name}.{field_name}({arg_name}:)", tables.fields, used)
        elif isinstance(kind, GraphQLInputObjectType):
            for field_name, field in kind.fields.items():
                coordinate = f"{name}.{field_name}"
                _described(field, coordinate, tables.fields, used)
                _described(field, coordinate, tables.input_coordinates, used)
                if not field.description and field_name in tables.input_fields:
                    field.description = tables.input_fields[field_name]
        elif isinstance(kind, GraphQLEnumType):
            for value_name, value in kind.values.items():
                text = tables.enum_values.get(name, {}).get(value_name)
                if text is not None:
                    used_values.add((name, value_name))
                    value.description = value.description or text
    stale = ({*tables.fields, *tables.input_coordinates} - used) | {
        f"{t}.{v}" for t, values in tables.enum_values.items() for v in values
        if (t, v) not in used_values}
    if stale:
        raise ValueError("descriptions for elements the schema does not have: "
                         + ", ".join(sorted(stale)))
