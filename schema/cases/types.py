"""The case as GraphQL types. They are built eagerly from read-model rows, so that almost every
field is a plain attribute (strawberry's cheapest path); only nested lists parse their JSON when
asked for."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from ledger.case import values
from ledger.case.age_assessment.values import AgeAssessmentMethod, AgeAssessmentResult
from ledger.case.detention.values import (
    GROUNDS,
    DetentionGround,
    OrderingAuthority,
    ReleaseReason,
)
from ledger.case.reception.values import AllocationKind, ReductionGround, ResidenceGround
from ledger.case.state import CaseState
from projections.case_details import (
    appeals_from_json,
    decisions_from_json,
    set_details_from_json,
)
from projections.encoding import parse_time
from projections.tables import CaseRow
from schema.cases.consequences import (
    LegalConsequence,
    ResponsibilityByLaw,
    case_consequences,
    case_responsibility_by_law,
)
from schema.cases.procedure_types import (
    MonitoringAllegation,
    ProtectionWithdrawal,
    SafeguardRecord,
    monitoring_allegations,
    protection_withdrawal,
    safeguard_record,
)
from schema.context import Context
from schema.deadlines.queries import case_deadlines
from schema.deadlines.types import Deadline
from schema.enums import (
    AppealOutcome,
    CaseStatus,
    ClosureReason,
    DecisionType,
    ErasureBasisCode,
    EurodacCategory,
    MemberState,
    Procedure,
    ScreeningOutcome,
    ScreeningTrigger,
    enum_or_none,
)
from schema.execution import NEEDS_INFO, short_path
from schema.global_ids import CASE, DECISION, Node, global_id
from schema.pagination import Connection
from schema.personal import NOT_AHEAD, path_of, selected


@strawberry.type(description="A decision on the application, by the authority or a court "
                             "(APR Arts 35-41; a court's substitution, APR Art 67).")
class Decision(Node):
    decision_no: int = strawberry.field(description="Number of the decision in its case (from 1).")
    type: DecisionType = strawberry.field(description="What was decided (APR Arts 35-41).")
    ground: str = strawberry.field(description="The ground given for the decision.")
    decided_at: datetime = strawberry.field(description="Legal time of the decision.")
    notified_at: datetime | None = strawberry.field(description=(
        "When the applicant was notified; appeal periods run from it (APR Art 67)."))
    by_court: bool = strawberry.field(description="Substituted by a court on appeal.")


@strawberry.type(description="An appeal against a decision (APR Arts 67-68).")
class Appeal:
    appeal_no: int
    decision_no: int
    appeal_body: str
    suspensive: bool
    outcome: AppealOutcome | None


@strawberry.type(description="Personal data of the applicant: null once erased (see "
                              "`Case.personalData` for when and why).")
class Person:
    family_name: str | None
    given_names: str | None
    date_of_birth: date | None
    unaccompanied_minor: bool
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="Groups the cases of one person (subject access, erasure).")


@strawberry.enum(description="Where a case's personal data stand.")
class PersonalDataStatus(Enum):
    PRESENT = "PRESENT"
    ERASED = "ERASED"
    NONE = "NONE"
    UNAVAILABLE = "UNAVAILABLE"


@strawberry.type(description="Whether a case's personal data are held or erased, when and why "
                              "(no personal data: readable by every role that reads the case).")
class PersonalDataState:
    status: PersonalDataStatus = strawberry.field(description=(
        "PRESENT; ERASED (the key was destroyed: crypto-shredding); NONE (none recorded); "
        "UNAVAILABLE (the key is gone but the erasure is not recorded yet)."))
    person_id: strawberry.ID | None
    erased_at: datetime | None
    erasure_reason: ErasureBasisCode | None = strawberry.field(description=(
        "The erasure basis: RETENTION_ENDED, NATURALISATION or DATA_SUBJECT_REQUEST."))
    erasure_article: str | None


def decisions_of(case_id: str, column: str) -> list[Decision]:
    """The decisions of a case's `decisions` column, in order."""
    return [_decision(case_id, d) for d in decisions_from_json(column)]


def _decision(case_id: str, d: values.Decision) -> Decision:
    return Decision(
        id=global_id(DECISION, case_id, d.decision_no),
        decision_no=d.decision_no,
        type=DecisionType(d.decision_type),
        ground=d.ground,
        decided_at=d.occurred_at,
        notified_at=d.notified_at,
        by_court=d.by_court,
    )


@strawberry.type(description="An appeal against a transfer decision (AMMR Art 43).")
class TransferAppeal:
    court: str
    lodged_at: datetime
    suspension: str | None = strawberry.field(
        description="REQUESTED, GRANTED or REFUSED (Art 43(3)); null if not asked.")
    decided_at: datetime | None
    annulled: bool | None


@strawberry.type(description="Who is responsible for examining the application (AMMR).")
class Responsibility:
    state: str = strawberry.field(description=(
        "UNDETERMINED, TAKE_CHARGE_REQUESTED, TAKE_BACK_NOTIFIED, TRANSFER_PENDING, "
        "RESPONSIBLE_HERE or TRANSFERRED."))
    other_member_state: MemberState | None = strawberry.field(
        description="The member state requested, notified or accepting.")
    basis: str | None
    transfer_decision_issued: bool
    transfer_appeal: TransferAppeal | None = strawberry.field(
        description="The latest appeal against the transfer decision (AMMR Art 43).")
    transfer_limit_from: datetime | None = strawberry.field(
        description="Set when the transfer time limit runs again from the final decision on an "
                    "appeal whose transfer was suspended (AMMR Art 46(1)).")
    arrived_from: MemberState | None = strawberry.field(
        default=None, description="The member state that transferred the person here under the "
                                  "AMMR (a border procedure then runs 16 weeks, APR Art 51(2)).")


@strawberry.type(description="Relocation of the person (AMMR Arts 67-68).")
class Relocation:
    state: str = strawberry.field(description=(
        "SELECTED, ACCEPTED, TRANSFERRED, ARRIVED, NO_SHOW or CANCELLED."))
    member_state: MemberState | None


@strawberry.type(description="The latest detention order (RCD Arts 10-13; AMMR Art 44; RBPR "
                                         "Art 5); its time limits are among the case's deadlines.")
class Detention:
    ground: DetentionGround = strawberry.field(description="The legal ground of the order.")
    ground_article: str = strawberry.field(description="The article the ground rests on.")
    ordered_by: OrderingAuthority = strawberry.field(
        description="Who ordered it; an administrative order is reviewed by a court "
                    "(RCD Art 11(3)).")
    order_ref: str = strawberry.field(description="The order's national reference.")
    started_at: datetime = strawberry.field(description="When detention began (legal time).")
    detained: bool = strawberry.field(description="Whether the person is detained now.")
    minor_exception: bool = strawberry.field(
        description="Detained as an unaccompanied minor because it protects them (RCD Art "
                    "13(2)(b)).")
    review_requested_at: datetime | None = strawberry.field(
        description="When a judicial review was requested (RCD Art 11(3)).")
    reviewed_at: datetime | None = strawberry.field(
        description="When the judicial review concluded (RCD Art 11(3)).")
    found_lawful: bool | None = strawberry.field(
        description="The review's finding; null until a review concluded (RCD Art 11(3)).")
    ended_at: datetime | None = strawberry.field(description="When the person was released.")
    release_reason: ReleaseReason | None = strawberry.field(description="Why detention ended.")


@strawberry.type(description="Reception conditions (RCD (EU) 2024/1346).")
class Reception:
    allocation: AllocationKind | None = strawberry.field(
        description="The kind of allocation (RCD Arts 7-9).")
    place: str | None = strawberry.field(description="The place or area allocated.")
    residence_ground: ResidenceGround | None = strawberry.field(
        description="The ground for a specific residence (RCD Art 9(1)).")
    special_needs_assessed_at: datetime | None = strawberry.field(
        description="RCD Art 25(1): within 30 days of the making of the application.")
    special_needs: list[str] = strawberry.field(
        description="Special reception needs found by the assessment (RCD Art 25).")
    material_conditions: str = strawberry.field(
        description="FULL, REDUCED or WITHDRAWN (RCD Art 23, unconfirmed).")
    reduction_ground: ReductionGround | None = strawberry.field(
        description="The ground of the latest reduction or withdrawal (RCD Art 23).")
    labour_market_access_at: datetime | None = strawberry.field(
        description="RCD Art 17(1): due within 6 months of registration (the "
                    "LABOUR_MARKET_ACCESS deadline).")


@strawberry.type(description="The latest age assessment (APR Art 25). Its result decides "
                             "`unaccompaniedMinor` for every rule that depends on minority.")
class AgeAssessment:
    method: AgeAssessmentMethod = strawberry.field(
        description="Multidisciplinary first; medical only as a last resort (APR Art 25).")
    initiated_at: datetime = strawberry.field(description="When the assessment began.")
    unaccompanied: bool = strawberry.field(
        description="Whether the person is unaccompanied (with a minority finding: an "
                    "unaccompanied minor).")
    result: AgeAssessmentResult | None = strawberry.field(
        description="MINOR, ADULT or BENEFIT_OF_DOUBT; null while it runs.")
    concluded_at: datetime | None = strawberry.field(description="When the result was recorded.")


@strawberry.type(description="What the ledger knows of the Eurodac record (no biometric data).")
class EurodacRecord:
    category: EurodacCategory | None
    reference: str | None
    transmitted: bool
    retention_until: date | None
    marked: bool


@strawberry.type(description="Screening checks (Screening Regulation Arts 12-15).")
class ScreeningChecks:
    health: str | None
    vulnerability: str | None
    identity: str | None
    security: str | None
    vulnerabilities: list[str]
    representative: str | None


@strawberry.type(description="A case: one person's procedure in one member state, as it stands.")
class Case(Node):
    case_id: strawberry.ID = strawberry.field(description=(
        "The case's own id (a UUID), as mutations' `caseId` gives it; every `caseId` argument "
        "accepts it or the global `id`."))
    member_state: MemberState = strawberry.field(description="The member state handling the case.")
    national_reference: str
    nationality: str
    status: CaseStatus
    procedure: Procedure | None
    screening_trigger: ScreeningTrigger | None
    screening_outcome: ScreeningOutcome | None
    unaccompanied_minor: bool
    opened_at: datetime
    application_made_at: datetime | None
    registered_at: datetime | None
    lodged_at: datetime | None
    last_decision_type: DecisionType | None = strawberry.field(
        description="Type of the decision that stands (or the latest one)."
    )
    last_decision_at: datetime | None
    appeal_pending: bool
    return_decision_issued: bool
    closed_reason: ClosureReason | None
    updated_at: datetime = strawberry.field(description="Legal time of the latest step.")
    last_recorded_at: datetime
    version: int = strawberry.field(description="Number of events in the case's stream.")
    security_flag: bool = strawberry.field(description="Excludes relocation (AMMR Art 67(2)).")
    decision_final: bool
    right_to_remain_ended: bool
    responsibility_state: str
    relocation_state: str | None
    deadlines: list[Deadline] = strawberry.field(
        resolver=case_deadlines, description="The case's deadlines, in the order they opened.")
    legal_consequences: list[LegalConsequence] = strawberry.field(
        resolver=case_consequences, description="Consequences the law attaches to expired "
                                                "limits, in force now (derived when read).")
    responsibility_by_law: ResponsibilityByLaw = strawberry.field(
        resolver=case_responsibility_by_law,
        description="Responsibility as the law has it now (AMMR Arts 37(1), 39(1), 40, 41(2)).")
    _details: strawberry.Private[str]
    _decisions: strawberry.Private[str]
    _appeals: strawberry.Private[str]
    #: `person` opened with the page that read this case (its access logged then, at this
    #: case's one `person` path: `schema.cases.queries`), answered without a trip of its own.
    _person_opened: strawberry.Private[Any] = None

    @strawberry.field(description="Every decision in order, including courts' substitutions.")
    def decisions(self) -> list[Decision]:
        return decisions_of(str(self.case_id), self._decisions)

    @strawberry.field(description="Every appeal in order.")
    def appeals(self) -> list[Appeal]:
        return [
            Appeal(
                appeal_no=a.appeal_no,
                decision_no=a.decision_no,
                appeal_body=a.appeal_body,
                suspensive=a.suspensive,
                outcome=AppealOutcome(a.outcome) if a.outcome else None,
            )
            for a in appeals_from_json(self._appeals)
        ]

    @strawberry.field(description="Personal data (names, date of birth). Null for roles that "
                                  "may not see personal data (auditors, solidarity "
                                  "coordinators, administrators); every read is recorded in the "
                                  "access log with the fields selected.")
    @short_path(lambda case: case._person_opened if case._person_opened is not None
                else NEEDS_INFO)
    def person(self, info: Info[Context, None]) -> Person | None:
        # Synchronous when the page opened it ahead (`schema.personal.person_ahead`: one
        # worker-thread trip for the page's rows, personal data and access-log rows), and
        # answered without an info when the page kept it on the case; else the gate's
        # coroutine, awaited by the executor.
        if self._person_opened is not None:
            return self._person_opened  # type: ignore[no-any-return]
        personal = info.context.personal
        if not personal.allowed:
            return None
        case_id, via = str(self.case_id), path_of(info)
        fields = tuple(sorted(set(selected(info))))
        view = personal.opened_ahead(case_id, fields, via)
        if view is not NOT_AHEAD:
            return self._person(view)
        return self._person_later(personal, case_id, fields, via)  # type: ignore[return-value]

    async def _person_later(self, personal: Any, case_id: str, fields: tuple[str, ...],
                            via: str) -> Person | None:
        allowed, view = await personal.person(case_id, fields, via, self.member_state.value)
        return self._person(view) if allowed else None

    def _person(self, view: Any) -> Person:
        details = view.details if view is not None else None
        return Person(
            family_name=details.family_name if details else None,
            given_names=details.given_names if details else None,
            date_of_birth=details.date_of_birth if details else None,
            unaccompanied_minor=self.unaccompanied_minor,
            person_id=strawberry.ID(view.person_id) if view and view.person_id else None)

    @strawberry.field(description="Whether the personal data are held or erased, and when and "
                                  "why; as they stand now, also in `caseAsOf`.")
    async def personal_data(self, info: Info[Context, None]) -> PersonalDataState:
        view = await info.context.personal.view(str(self.case_id))
        if view is None:
            return PersonalDataState(status=PersonalDataStatus.UNAVAILABLE, person_id=None,
                                     erased_at=None, erasure_reason=None, erasure_article=None)
        marker = view.marker()
        return PersonalDataState(
            status=PersonalDataStatus(view.status),
            person_id=strawberry.ID(view.person_id) if view.person_id else None,
            erased_at=view.erased_at,
            erasure_reason=enum_or_none(ErasureBasisCode, marker["erasure_basis"]),
            erasure_article=marker["erasure_article"])

    def _state(self) -> CaseState:
        """The case's sub-states as typed values, decoded from the `details` column when a
        field asks for them (as the lists are)."""
        state = CaseState()
        set_details_from_json(state, self._details)
        return state

    @strawberry.field
    def responsibility(self) -> Responsibility:
        return responsibility_of(self._state().responsibility)

    @strawberry.field
    def relocation(self) -> Relocation | None:
        return relocation_of(self._state().relocation)

    @strawberry.field(description="The latest detention order, if any (RCD Arts 10-13).")
    def detention(self) -> Detention | None:
        return detention_of(self._state().detention)

    @strawberry.field(description="Reception conditions, once any was recorded (RCD).")
    def reception(self) -> Reception | None:
        return reception_of(self._state().reception)

    @strawberry.field(description="The latest age assessment, if any (APR Art 25).")
    def age_assessment(self) -> AgeAssessment | None:
        return age_assessment_of(self._state().age_assessment)

    @strawberry.field
    def eurodac(self) -> EurodacRecord:
        return eurodac_of(self._state().eurodac)

    @strawberry.field
    def screening_checks(self) -> ScreeningChecks:
        s = self._state()
        checks, rep = s.screening_checks, s.representative
        return ScreeningChecks(health=checks.health, vulnerability=checks.vulnerability,
                               identity=checks.identity, security=checks.security,
                               vulnerabilities=s.vulnerabilities,
                               representative=rep.ref if rep else None)

    @strawberry.field(description="Number of personal interviews held (APR Arts 11-14).")
    def interviews(self) -> int:
        return self._state().interviews

    @strawberry.field(description="Residence permit reference, once issued (QR Art 24).")
    def residence_permit(self) -> str | None:
        permit = self._state().permit
        return permit.ref if permit else None

    @strawberry.field(description="PENDING, GRANTED or REFUSED (APR Art 68).")
    def request_to_remain(self) -> str | None:
        return self._state().request_to_remain

    @strawberry.field(description="Legal counselling, assistance and interpreters (APR Arts "
                                  "8(2), 15-19).")
    def safeguards(self) -> SafeguardRecord:
        return safeguard_record(self._state().safeguards)

    @strawberry.field(description="Allegations to the independent fundamental-rights monitoring "
                                  "mechanism about this case (Screening Art 10; APR Art 43(4)).")
    def monitoring_allegations(self) -> list[MonitoringAllegation]:
        return monitoring_allegations(self._state().allegations)

    @strawberry.field(description="The latest reconsideration of protection (QR Arts 14, 19; "
                                  "APR Art 66); a withdrawal unmarks Eurodac (Eurodac Art 31).")
    def protection_withdrawal(self) -> ProtectionWithdrawal | None:
        return protection_withdrawal(self._state().withdrawal)

    @strawberry.field(description="Set when the recognition rate made the border procedure "
                                  "mandatory at assignment (APR Art 45(1)).")
    def border_procedure_mandatory(self) -> bool:
        return bool(self._state().border_mandatory)


# The case's sub-states (typed values of `ledger.case`) as their GraphQL types: for `Case` and
# for the typed changes of a timeline step (`schema.timeline.changes`).
def responsibility_of(r: Any) -> Responsibility:
    a = r.transfer_appeal
    appeal = None if a is None else TransferAppeal(
        court=a.court, lodged_at=a.lodged_at, suspension=a.suspension,
        decided_at=a.decided_at, annulled=a.annulled)
    return Responsibility(state=r.state, other_member_state=enum_or_none(MemberState, r.other),
                          basis=r.basis, transfer_decision_issued=r.transfer_decision,
                          transfer_appeal=appeal, transfer_limit_from=r.limit_from,
                          arrived_from=enum_or_none(MemberState, r.arrived_from))


def relocation_of(r: Any) -> Relocation | None:
    return Relocation(state=r.state, member_state=enum_or_none(MemberState, r.member_state)
                      ) if r else None


def detention_of(d: Any) -> Detention | None:
    if d is None:
        return None
    ground = GROUNDS[d.ground]
    return Detention(ground=DetentionGround(d.ground),
                     ground_article=f"{ground.act} {ground.article}",
                     ordered_by=OrderingAuthority(d.ordered_by), order_ref=d.order_ref,
                     started_at=d.started_at, detained=d.current,
                     minor_exception=d.minor_exception,
                     review_requested_at=d.review_requested_at, reviewed_at=d.reviewed_at,
                     found_lawful=d.found_lawful, ended_at=d.ended_at,
                     release_reason=enum_or_none(ReleaseReason, d.release_reason))


def reception_of(r: Any) -> Reception | None:
    if r is None:
        return None
    return Reception(allocation=enum_or_none(AllocationKind, r.allocation), place=r.place,
                     residence_ground=enum_or_none(ResidenceGround, r.residence_ground),
                     special_needs_assessed_at=r.needs_assessed_at,
                     special_needs=list(r.special_needs),
                     material_conditions=r.material_conditions,
                     reduction_ground=enum_or_none(ReductionGround, r.reduction_ground),
                     labour_market_access_at=r.labour_market_access_at)


def age_assessment_of(a: Any) -> AgeAssessment | None:
    if a is None:
        return None
    return AgeAssessment(method=AgeAssessmentMethod(a.method), initiated_at=a.initiated_at,
                         unaccompanied=a.unaccompanied,
                         result=enum_or_none(AgeAssessmentResult, a.result),
                         concluded_at=a.concluded_at)


def eurodac_of(e: Any) -> EurodacRecord:
    return EurodacRecord(category=enum_or_none(EurodacCategory, e.category),
                         reference=e.reference,
                         transmitted=e.transmitted, retention_until=e.retention_until,
                         marked=bool(e.marked))


def case_from_row(row: CaseRow) -> Case:
    """A case-list row as a `Case`, made as the dataclass's `__init__` would make it without its
    keyword call, enums by a lookup of their value (the class call scans). Every time is
    decoded here, not when first read: a row that cannot be read fails now, so a page leaves
    it out (`schema.pagination.page`) instead of failing a field half-way."""
    case = _new(Case)
    case.__dict__.update(
        id=global_id(CASE, row["case_id"]),
        case_id=row["case_id"],  # (strawberry.ID is `str` at run time)
        member_state=_enum(MemberState, row["member_state"]),
        national_reference=row["national_reference"],
        nationality=row["nationality"],
        status=_enum(CaseStatus, row["status"]),
        procedure=_opt_enum(Procedure, row["procedure"]),
        screening_trigger=_opt_enum(ScreeningTrigger, row["screening_trigger"]),
        screening_outcome=_opt_enum(ScreeningOutcome, row["screening_outcome"]),
        unaccompanied_minor=bool(row["unaccompanied_minor"]),
        opened_at=parse_time(row["opened_at"]),
        application_made_at=parse_time(row["application_made_at"]),
        registered_at=parse_time(row["registered_at"]),
        lodged_at=parse_time(row["lodged_at"]),
        last_decision_type=_opt_enum(DecisionType, row["last_decision_type"]),
        last_decision_at=parse_time(row["last_decision_at"]),
        appeal_pending=row["pending_appeal_no"] is not None,
        return_decision_issued=bool(row["return_decision_issued"]),
        closed_reason=_opt_enum(ClosureReason, row["closed_reason"]),
        updated_at=parse_time(row["last_occurred_at"]),
        last_recorded_at=parse_time(row["last_recorded_at"]),
        version=row["version"],
        security_flag=bool(row["security_flag"]),
        decision_final=bool(row["decision_final"]),
        right_to_remain_ended=bool(row["right_to_remain_ended"]),
        responsibility_state=row["responsibility_state"],
        relocation_state=row["relocation_state"],
        _details=row["details"],
        _decisions=row["decisions"],
        _appeals=row["appeals"],
        _person_opened=None,
    )
    return case


_new = object.__new__


def _enum(kind: Any, value: Any) -> Any:
    """`kind(value)`: a lookup of the value first (the class call costs ~1 us)."""
    member = kind._value2member_map_.get(value)
    return kind(value) if member is None else member


def _opt_enum(kind: Any, value: str | None) -> Any:
    """`kind(value)` if `value` else None, by a lookup of the value first."""
    if not value:
        return None
    member = kind._value2member_map_.get(value)
    return kind(value) if member is None else member


@strawberry.type(description="A page of cases, newest first, with keyset cursors.")
class CaseConnection(Connection[Case]):
    @strawberry.field(description="Cases matching the filter, over all pages.")
    async def total_count(self) -> int:
        return await self.count()

    @strawberry.field(description="The cases of this page (the edges' nodes).")
    def nodes(self) -> list[Case]:
        return self.page_nodes()
