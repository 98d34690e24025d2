"""What a caller asks the resettlement ledger to record (URF (EU) 2024/1350): the Union plan
and its contributions, and the steps of one admission file. An admission file is named by the
member state and its own `reference` (no names or dates of birth are held)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from ledger.command_meta import Doc, MemberStateCode
from ledger.resettlement.vocabulary import (
    AdmissionProcedure,
    AdmissionType,
    DiscontinuanceReason,
    ProtectionStatus,
    ReferringBody,
    RefusalGround,
)

AdmittingState = Annotated[MemberStateCode, Doc(
    "The member state that admits (its file, its calendar, its contribution).")]
PeriodStart = Annotated[int, Doc("First year of the plan's two-year period (Art 8(1)).")]
Reference = Annotated[str, Doc("The member state's reference of the admission file "
                               "(Art 6(1)(c)); with the member state it names the file.")]
Persons = Annotated[int, Doc("Persons the member state contributes to admit (Art 1(4): "
                             "voluntary).")]


@dataclass(frozen=True)
class AdoptUnionPlan:
    """The Council implementing act adopting the two-year Union Resettlement and Humanitarian
    Admission Plan, in the year before its period (URF Art 8(1)-(3))."""

    period_start: PeriodStart
    council_act: Annotated[str, Doc("Reference of the Council implementing act.")]
    resettlement: Annotated[int, Doc("Persons to be resettled over the period (Art 8(3)).")]
    humanitarian_admission: Annotated[int, Doc("Persons to be admitted on humanitarian "
                                               "grounds (Art 8(3)).")]
    emergency_admission: Annotated[int, Doc("Persons for emergency admission (Art 8(3)).")]


@dataclass(frozen=True)
class RecordPlanContribution:
    """A member state's contribution to the Union plan, by admission type (URF Art 8(3));
    contributions are voluntary (Art 1(4)). A later record replaces the earlier one."""

    period_start: PeriodStart
    member_state: AdmittingState
    resettlement: Persons = 0
    humanitarian_admission: Persons = 0
    emergency_admission: Persons = 0


@dataclass(frozen=True)
class RegisterAdmission:
    """A person referred for admission (by UNHCR, the EUAA or another body) is identified and
    registered under the Union plan in force (URF Art 8; the procedure's article is not in our
    sources). The decision's time limit runs from here: ordinary or expedited procedure."""

    member_state: AdmittingState
    reference: Reference
    admission_type: Annotated[str, AdmissionType, Doc("Resettlement, humanitarian or "
                                                      "emergency admission (Art 8(3)).")]
    procedure: Annotated[str, AdmissionProcedure, Doc(
        "ORDINARY or EXPEDITED: sets the decision's time limit (7 or 4 months, unconfirmed).")]
    plan_period_start: Annotated[int, Doc("The Union plan the admission implements, by the "
                                          "first year of its period.")]
    referred_by: Annotated[str, ReferringBody, Doc("Who referred the person.")]
    referral_ref: Annotated[str, Doc("The referring body's reference (e.g. UNHCR's "
                                     "resettlement registration form).")]
    nationality: Annotated[str, Doc("ISO 3166-1 alpha-2; XX if unknown or stateless.")]
    country_of_residence: Annotated[str, Doc("The third country the person is admitted from "
                                             "(ISO 3166-1 alpha-2).")]
    vulnerable: Annotated[bool, Doc(
        "A vulnerable group under AMIF Art 19 as amended by URF Art 14 (women and children at "
        "risk, unaccompanied minors, medical or protection needs).")] = False
    persons: Annotated[int, Doc("Persons covered by this admission file.")] = 1


@dataclass(frozen=True)
class AssessAdmission:
    """The member state assesses the admission file against the mandatory grounds for refusal
    (URF Art 6(1)(a)-(e)); ground (f) is found by the ledger from an earlier refusal by a member
    state under (c) or (d) within the previous three years."""

    member_state: AdmittingState
    reference: Reference
    refusal_grounds: Annotated[tuple[str, ...], Doc(
        "Grounds of Art 6(1) found (RefusalGround values); empty: none.")] = ()
    earlier_refusal_on: Annotated[date | None, Doc(
        "Date a member state earlier refused the person's admission, if any (Art 6(1)(f)).")] = None
    earlier_refusal_ground: Annotated[str | None, RefusalGround, Doc(
        "The ground of that earlier refusal.")] = None


@dataclass(frozen=True)
class RecordAdmissionConsent:
    """The person consents to be admitted: a step of the URF admission procedure whose article
    our sources do not name (article not found: pact-rules-procedures.md §6 item 4,
    unconfirmed)."""

    member_state: AdmittingState
    reference: Reference


@dataclass(frozen=True)
class DecideAdmission:
    """The member state grants or refuses admission. No one has a right to be admitted and no
    member state an obligation to admit (URF Art 1(2)-(4)); a mandatory ground found in the
    assessment forbids a grant (Art 6(1))."""

    member_state: AdmittingState
    reference: Reference
    granted: Annotated[bool, Doc("True: admission granted; false: refused.")]


@dataclass(frozen=True)
class RecordAdmissionArrival:
    """The admitted person arrives (is transferred) in the member state and receives the status
    it grants; the AMIF lump sum follows (URF Art 14 amending AMIF Art 19)."""

    member_state: AdmittingState
    reference: Reference
    protection_status: Annotated[str, ProtectionStatus, Doc(
        "The status granted on arrival; which a type allows is an unconfirmed parameter.")]


@dataclass(frozen=True)
class DiscontinueAdmission:
    """The procedure stops before the arrival (Eurodac Art 29 keeps discontinued admissions
    for 3 years)."""

    member_state: AdmittingState
    reference: Reference
    reason: Annotated[str, DiscontinuanceReason, Doc("Why the procedure stopped.")]


RESETTLEMENT_COMMANDS: tuple[type, ...] = (
    AdoptUnionPlan, RecordPlanContribution, RegisterAdmission, AssessAdmission,
    RecordAdmissionConsent, DecideAdmission, RecordAdmissionArrival, DiscontinueAdmission)
