"""What a caller asks the ledger to record, one dataclass per step.

Commands are plain data. Fields typed `Annotated[str, SomeEnum]` take that vocabulary's values;
`Doc` attaches the sentence an API shows for a field. The GraphQL schema is generated from these
classes (`schema.commands`), so a step's fields are declared once. Each class's docstring says
what the step records and under which article.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from ledger.envelope import Actor, LegalBasis
from ledger.solidarity.vocabulary import OffsetMode
from ledger.vocabulary import (
    AppealOutcome,
    ClosureReason,
    DecisionType,
    EurodacCategory,
    MemberState,
    Procedure,
    ResponsibilityCause,
    ScreeningOutcome,
    ScreeningTrigger,
)


@dataclass(frozen=True)
class Doc:
    """A field's description, for generated APIs."""

    text: str


@dataclass(frozen=True)
class CommandMeta:
    """What every command carries besides its own fields.

    `command_id` makes a retried command idempotent: sent again, it records nothing new.
    """

    actor: Actor
    occurred_at: datetime
    command_id: str | None = None
    correlation_id: str | None = None
    causation_id: str | None = None
    legal_basis: tuple[LegalBasis, ...] = ()
    evidence_refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    nationality: Annotated[str, Doc("ISO 3166-1 alpha-2 code; XX if unknown or stateless.")]
    date_of_birth: date | None = None
    unaccompanied_minor: bool = False
    family_name: str | None = None
    given_names: str | None = None


MemberStateCode = Annotated[str, MemberState]


# --- screening ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class StartScreening:
    """Screening starts and opens the case (Screening Regulation Arts 5, 7)."""

    member_state: MemberStateCode
    national_reference: str
    person: Person
    trigger: Annotated[str, ScreeningTrigger]
    location: str
    held_over_72h: Annotated[bool, Doc("Held at the border over 72 h: 4-day limit, Art 8(3).")] \
        = False


@dataclass(frozen=True)
class RecordHealthCheck:
    """The preliminary health check (Screening Regulation Art 12(1)-(2))."""

    case_id: UUID
    result: Annotated[str, Doc("E.g. NO_NEEDS, NEEDS_CARE, EMERGENCY_CARE_GIVEN.")]


@dataclass(frozen=True)
class RecordVulnerabilityCheck:
    """The preliminary vulnerability check and special needs found (Art 12(3))."""

    case_id: UUID
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordIdentityCheck:
    """Identity verification, incl. biometrics (Screening Regulation Art 14)."""

    case_id: UUID
    method: str
    established: bool


@dataclass(frozen=True)
class RecordSecurityCheck:
    """The security check against databases (Art 15); a hit sets the security flag."""

    case_id: UUID
    hit: bool
    databases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProvideInformation:
    """Information given to the person: topics and language (Screening Art 11, APR Art 8)."""

    case_id: UUID
    topics: tuple[str, ...]
    language: str


@dataclass(frozen=True)
class AssignRepresentative:
    """A representative for an unaccompanied minor (Screening Art 13, AMMR Art 23)."""

    case_id: UUID
    kind: Annotated[str, Doc("PROVISIONAL or PERMANENT.")]
    representative_ref: str


@dataclass(frozen=True)
class CompleteScreening:
    """The screening form and the referral (Screening Regulation Arts 17-18)."""

    case_id: UUID
    outcome: Annotated[str, ScreeningOutcome]
    form_ref: str
    incomplete_checks: tuple[str, ...] = ()


# --- Eurodac -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CaptureBiometrics:
    """Biometric data captured (Eurodac Arts 15, 22-24; only from age 6). No data are stored."""

    case_id: UUID
    category: Annotated[str, EurodacCategory]
    age: Annotated[int | None, Doc("Estimated age, when no date of birth is recorded.")] = None


@dataclass(frozen=True)
class TransmitToEurodac:
    """Data sent to Eurodac; retention runs from here (Eurodac Arts 15(1), 29)."""

    case_id: UUID
    reference: str


@dataclass(frozen=True)
class RecordEurodacHit:
    """A hit against data recorded by another member state (Eurodac Art 27)."""

    case_id: UUID
    category: Annotated[str, EurodacCategory]
    origin_member_state: MemberStateCode
    hit_ref: str


@dataclass(frozen=True)
class RecordSecurityFlag:
    """A security flag (Eurodac Art 17, AMMR Art 16(4)): excludes relocation."""

    case_id: UUID
    reason: str


@dataclass(frozen=True)
class MarkInEurodac:
    """Eurodac data marked after protection is granted (Eurodac Art 31)."""

    case_id: UUID


@dataclass(frozen=True)
class UnmarkInEurodac:
    """Eurodac data unmarked when protection is withdrawn (Eurodac Art 31)."""

    case_id: UUID
    reason: str


# --- access ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MakeApplication:
    """An application is made (APR Art 26); opens the case if none exists for
    (memberState, nationalReference), and then `person` is required."""

    member_state: MemberStateCode
    national_reference: str
    place: str
    person: Person | None = None


@dataclass(frozen=True)
class RegisterApplication:
    """The application is registered (APR Art 27)."""

    case_id: UUID


@dataclass(frozen=True)
class LodgeApplication:
    """The application is lodged (APR Art 28)."""

    case_id: UUID


@dataclass(frozen=True)
class MakeSubsequentApplication:
    """A further application after a final decision (APR Art 55)."""

    case_id: UUID
    new_elements: bool


# --- responsibility ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RequestTakeCharge:
    """A take charge request to another member state (AMMR Art 39)."""

    case_id: UUID
    requested_member_state: MemberStateCode
    criterion: Annotated[str, Doc("The criterion relied on, e.g. 'AMMR Art 33(1)'.")]
    hit_based: bool = False


@dataclass(frozen=True)
class ReplyToTakeCharge:
    """The requested member state accepts or refuses (AMMR Art 40)."""

    case_id: UUID
    accepted: bool
    reason: str = ""


@dataclass(frozen=True)
class DeemTakeChargeAccepted:
    """No reply within the time limit: the request counts as accepted (AMMR Art 40)."""

    case_id: UUID


@dataclass(frozen=True)
class NotifyTakeBack:
    """A take back notification to the member state of an earlier application (AMMR Art 41)."""

    case_id: UUID
    notified_member_state: MemberStateCode
    hit_ref: str


@dataclass(frozen=True)
class ReplyToTakeBack:
    """The notified member state confirms or contests (AMMR Art 41(2))."""

    case_id: UUID
    confirmed: bool
    reason: str = ""


@dataclass(frozen=True)
class DeemTakeBackConfirmed:
    """No reply within two weeks: the notification counts as confirmed (AMMR Art 41(2))."""

    case_id: UUID


@dataclass(frozen=True)
class IssueTransferDecision:
    """The applicant is notified of the transfer decision (AMMR Art 42)."""

    case_id: UUID


@dataclass(frozen=True)
class ExecuteTransfer:
    """The transfer to the responsible member state (AMMR Art 46)."""

    case_id: UUID


@dataclass(frozen=True)
class LodgeTransferAppeal:
    """An appeal or review against the transfer decision before a court (AMMR Art 43(1)-(2)),
    with or without a request to suspend the transfer (Art 43(3))."""

    case_id: UUID
    court: str
    suspension_requested: Annotated[bool, Doc(
        "The person asks the court to suspend the transfer (Art 43(3)).")] = False


@dataclass(frozen=True)
class DecideTransferSuspension:
    """The court decides the request to suspend the transfer (AMMR Art 43(3))."""

    case_id: UUID
    suspended: bool


@dataclass(frozen=True)
class DecideTransferAppeal:
    """The final decision on the appeal against the transfer decision (AMMR Art 43); where the
    transfer was suspended, the transfer time limit runs again from it (Art 46(1))."""

    case_id: UUID
    annulled: Annotated[bool, Doc("The transfer decision is annulled.")]


@dataclass(frozen=True)
class EstablishResponsibility:
    """This member state is responsible (AMMR Arts 16, 16(4), 35)."""

    case_id: UUID
    basis: str


@dataclass(frozen=True)
class ShiftResponsibility:
    """Responsibility moves to this member state (AMMR Art 37(1)); as a solidarity offset
    (Art 63) it credits this member state's solidarity account once for the case."""

    case_id: UUID
    cause: Annotated[str, ResponsibilityCause]
    offset_mode: Annotated[str | None, OffsetMode, Doc(
        "With cause SOLIDARITY_OFFSET: REQUESTED, VOLUNTARY or MANDATORY (Art 63(1)-(3)).")] = None


# --- examination -------------------------------------------------------------------------------
@dataclass(frozen=True)
class AssignProcedure:
    """An examination procedure is assigned (APR Arts 35-44); the EU-wide recognition rate of
    the nationality is recorded with it and may make the border procedure mandatory."""

    case_id: UUID
    procedure: Annotated[str, Procedure]
    grounds: Annotated[tuple[str, ...], Doc("E.g. 'APR Art 42(1)(j)'.")] = ()


@dataclass(frozen=True)
class RecordInterview:
    """A personal interview (APR Arts 11-14)."""

    case_id: UUID
    interview_ref: str
    language: str
    interpreter: bool = False


@dataclass(frozen=True)
class ExtendExamination:
    """The examination time limit is extended (APR Art 35(2), (5)) by calendar months and/or
    days (Reg. 1182/71: months are calendar months)."""

    case_id: UUID
    reason: str
    days: int = 0
    months: int = 0


@dataclass(frozen=True)
class IssueDecision:
    """A first-instance decision (APR Art 35). A rejection needs `withReturnDecision` (the return
    decision issued with it, Art 37) or a `returnException`."""

    case_id: UUID
    decision_type: Annotated[str, DecisionType]
    ground: Annotated[str, Doc("The legal ground the decision rests on.")]
    notified_at: Annotated[datetime | None, Doc("When the applicant was notified.")] = None
    with_return_decision: bool = False
    voluntary_departure_days: int | None = None
    return_exception: Annotated[str | None, Doc(
        "Why no return decision accompanies a rejection (Return Directive Art 6(4)).")] = None


@dataclass(frozen=True)
class NotifyDecision:
    """The standing decision is notified to the applicant (the appeal period starts)."""

    case_id: UUID


# --- remedies ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class LodgeAppeal:
    """An appeal against the standing decision (APR Art 67); its suspensive effect follows from
    Art 68."""

    case_id: UUID
    appeal_body: str


@dataclass(frozen=True)
class LodgeRequestToRemain:
    """A request to remain during an appeal without automatic suspensive effect (APR Art 68)."""

    case_id: UUID


@dataclass(frozen=True)
class DecideRequestToRemain:
    """The court decides the request to remain (APR Art 68(5))."""

    case_id: UUID
    granted: bool


@dataclass(frozen=True)
class DecideAppeal:
    """The pending appeal is decided (APR Art 67)."""

    case_id: UUID
    outcome: Annotated[str, AppealOutcome]
    substituted_decision_type: Annotated[str | None, DecisionType] = None


@dataclass(frozen=True)
class DeclareDecisionFinal:
    """The standing decision is final: the appeal period passed or remedies are exhausted."""

    case_id: UUID


# --- after the decision ------------------------------------------------------------------------
@dataclass(frozen=True)
class EndRightToRemain:
    """The applicant no longer has a right to remain (APR Art 68)."""

    case_id: UUID
    reason: str


@dataclass(frozen=True)
class AuthoriseEntry:
    """The border procedure's period ran out: entry is authorised (APR Art 51(2))."""

    case_id: UUID


@dataclass(frozen=True)
class IssueReturnDecision:
    """A return decision (APR Art 37; Return Directive Art 6 after a referral to return)."""

    case_id: UUID
    voluntary_departure_days: int | None = None


@dataclass(frozen=True)
class StartReturnBorderProcedure:
    """The return border procedure starts (Regulation (EU) 2024/1349 Art 4)."""

    case_id: UUID


@dataclass(frozen=True)
class GrantVoluntaryDeparture:
    """A period for voluntary departure (Return Directive Art 7; RBPR Art 4(3))."""

    case_id: UUID
    days: int


@dataclass(frozen=True)
class RecordReturn:
    """The person has returned (Return Directive Art 8)."""

    case_id: UUID
    destination: Annotated[str, Doc("Country of return, ISO 3166-1 alpha-2.")]


@dataclass(frozen=True)
class RecordAbsconding:
    """The person absconded."""

    case_id: UUID


@dataclass(frozen=True)
class IssueResidencePermit:
    """A residence permit for a beneficiary of protection (Qualification Regulation Art 24)."""

    case_id: UUID
    permit_ref: str
    valid_until: date


@dataclass(frozen=True)
class CloseCase:
    """The case is closed; nothing more can be recorded on it."""

    case_id: UUID
    reason: Annotated[str, ClosureReason]


# --- relocation --------------------------------------------------------------------------------
@dataclass(frozen=True)
class SelectForRelocation:
    """The person is identified for relocation to another member state (AMMR Art 67)."""

    case_id: UUID
    relocation_member_state: MemberStateCode


@dataclass(frozen=True)
class AcceptRelocation:
    """The relocation member state confirms (AMMR Art 67(8))."""

    case_id: UUID


@dataclass(frozen=True)
class TransferForRelocation:
    """The relocation transfer (AMMR Art 67(11))."""

    case_id: UUID


@dataclass(frozen=True)
class RecordRelocationArrival:
    """Safe arrival in the relocation member state (AMMR Art 68(1)); credits its solidarity
    account once for this case."""

    case_id: UUID


@dataclass(frozen=True)
class RecordRelocationNoShow:
    """The person did not appear for relocation (AMMR Art 68(1))."""

    case_id: UUID


@dataclass(frozen=True)
class CancelRelocation:
    """The relocation is withdrawn or refused before transfer."""

    case_id: UUID
    reason: str


#: Every case command, in the order an API lists them.
CASE_COMMANDS: tuple[type, ...] = tuple(
    obj for obj in list(globals().values())
    if isinstance(obj, type) and obj.__module__ == __name__
    and obj not in (Doc, CommandMeta, Person)
)

#: Any of `CASE_COMMANDS` (a union of 50-odd classes would say no more to a reader).
CaseCommand = Any
