"""What a step changed in its case, typed: `CaseChanges` has one field per observed attribute of
the case (`ledger.case.state.OBSERVED_ATTRIBUTES`), each a `<Type>Change` with the value before
and after the step (null: unchanged). The explicit table `ATTRIBUTES` gives each attribute its
GraphQL type, the conversion from its stored value and its description; a test holds it to
the observed attributes, so a new one cannot be forgotten.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Generic, TypeVar

import strawberry

from projections.case_details import decoded_changes
from projections.encoding import parse_time
from schema.cases.procedure_types import (
    MonitoringAllegation,
    ProtectionWithdrawal,
    SafeguardRecord,
    monitoring_allegations,
    protection_withdrawal,
    safeguard_record,
)
from schema.cases.types import (
    AgeAssessment,
    Detention,
    EurodacRecord,
    Reception,
    Relocation,
    Responsibility,
    age_assessment_of,
    detention_of,
    eurodac_of,
    reception_of,
    relocation_of,
    responsibility_of,
)
from schema.enums import CaseStatus, ClosureReason, Procedure, ScreeningOutcome

T = TypeVar("T")


@strawberry.type(description="One attribute of the case before and after the step.")
class Change(Generic[T]):
    before: T | None = strawberry.field(description="Before the step (null: not set).")
    after: T | None = strawberry.field(description="After the step (null: not set).")


@strawberry.type(description="A text attribute of the case before and after the step.")
class StringChange(Change[str]):
    pass


@strawberry.type(description="A yes/no attribute of the case before and after the step.")
class BooleanChange(Change[bool]):
    pass


@strawberry.type(description="A moment of the case (legal time) before and after the step.")
class DateTimeChange(Change[datetime]):
    pass


@strawberry.type(description="The screening checks' results (Screening Regulation Arts 12-15).")
class ScreeningCheckResults:
    health: str | None = strawberry.field(description="Health check (Art 12).")
    vulnerability: str | None = strawberry.field(description="NEEDS or NONE (Art 12(3)).")
    identity: str | None = strawberry.field(description="ESTABLISHED or NOT_ESTABLISHED (Art 14).")
    security: str | None = strawberry.field(description="HIT or CLEAR (Art 15).")


@strawberry.type(description="The representative or legal guardian of an unaccompanied minor "
                             "(Screening Regulation Art 13; APR Art 23).")
class RepresentativeRecord:
    kind: str = strawberry.field(description="PROVISIONAL or PERMANENT.")
    ref: str = strawberry.field(description="The representative's reference.")


@strawberry.type(description="A residence permit (Qualification Regulation Art 24).")
class ResidencePermit:
    ref: str = strawberry.field(description="The permit's reference.")
    valid_until: date = strawberry.field(description="Its validity ends.")


_ATTRIBUTE_DOCS = {
    "status": "Where the case stands.",
    "screening": "Screening: IN_PROGRESS or COMPLETED (Screening Regulation).",
    "screening_outcome": "How screening ended (Screening Regulation Art 17).",
    "application_made_at": "When the application was made (APR Art 26).",
    "registered_at": "When it was registered (APR Art 27).",
    "lodged_at": "When it was lodged (APR Art 28).",
    "procedure": "The examination procedure (APR Arts 35-44).",
    "standing_decision_no": "The decision that stands (its number).",
    "pending_appeal_no": "The appeal pending (its number; APR Art 67).",
    "decision_final": "The standing decision is final (no further remedy).",
    "right_to_remain_ended": "The right to remain ended (APR Art 10).",
    "return_decision_issued": "A return decision was issued (APR Art 37).",
    "security_flag": "A security flag excludes relocation (AMMR Art 67(2)).",
    "closed_reason": "Why the case was closed.",
    "request_to_remain": "PENDING, GRANTED or REFUSED (APR Art 68).",
    "responsibility": "Responsibility for the application (AMMR).",
    "relocation": "Relocation of the person (AMMR Arts 67-68).",
    "eurodac": "The Eurodac record (no biometric data).",
    "screening_checks": "The screening checks (Screening Regulation Arts 12-15).",
    "representative": "The representative of an unaccompanied minor (APR Art 23).",
    "permit": "The residence permit (QR Art 24).",
    "interviews": "Personal interviews held (APR Arts 11-14).",
    "extensions_days": "Days the examination time limit was extended by (APR Art 35).",
    "extensions_months": "Months the examination time limit was extended by (APR Art 35).",
    "subsequent_applications": "Subsequent applications made (APR Art 55).",
    "detention": "The latest detention order (RCD Arts 10-13).",
    "reception": "Reception conditions (RCD).",
    "age_assessment": "The latest age assessment (APR Art 25).",
    "safeguards": "Legal counselling, assistance and interpreters (APR Arts 8(2), 15-19).",
    "allegations": "Allegations to the fundamental-rights monitoring mechanism (Screening "
                   "Art 10).",
    "withdrawal": "The latest reconsideration of protection (QR Arts 14, 19).",
}

#: Every observed attribute of a case: its change type and how a stored value becomes its
#: GraphQL value (None: as stored).
ATTRIBUTES: dict[str, tuple[Any, Callable[[Any], Any] | None]] = {
    "status": (Change[CaseStatus], CaseStatus),
    "screening": (StringChange, None),
    "screening_outcome": (Change[ScreeningOutcome], ScreeningOutcome),
    "application_made_at": (DateTimeChange, parse_time),
    "registered_at": (DateTimeChange, parse_time),
    "lodged_at": (DateTimeChange, parse_time),
    "procedure": (Change[Procedure], Procedure),
    "standing_decision_no": (Change[int], None),
    "pending_appeal_no": (Change[int], None),
    "decision_final": (BooleanChange, None),
    "right_to_remain_ended": (BooleanChange, None),
    "return_decision_issued": (BooleanChange, None),
    "security_flag": (BooleanChange, None),
    "closed_reason": (Change[ClosureReason], ClosureReason),
    "request_to_remain": (StringChange, None),
    "responsibility": (Change[Responsibility], responsibility_of),
    "relocation": (Change[Relocation], relocation_of),
    "eurodac": (Change[EurodacRecord], eurodac_of),
    "screening_checks": (Change[ScreeningCheckResults], lambda c: ScreeningCheckResults(
        health=c.health, vulnerability=c.vulnerability, identity=c.identity,
        security=c.security)),
    "representative": (Change[RepresentativeRecord],
                       lambda r: RepresentativeRecord(kind=r.kind, ref=r.ref)),
    "permit": (Change[ResidencePermit],
               lambda p: ResidencePermit(ref=p.ref, valid_until=p.valid_until)),
    "interviews": (Change[int], None),
    "extensions_days": (Change[int], None),
    "extensions_months": (Change[int], None),
    "subsequent_applications": (Change[int], None),
    "detention": (Change[Detention], detention_of),
    "reception": (Change[Reception], reception_of),
    "age_assessment": (Change[AgeAssessment], age_assessment_of),
    "safeguards": (Change[SafeguardRecord], safeguard_record),
    "allegations": (Change[list[MonitoringAllegation]], monitoring_allegations),
    "withdrawal": (Change[ProtectionWithdrawal], protection_withdrawal),
}


def _changes_type() -> type:
    """`CaseChanges`: one nullable field per entry of `ATTRIBUTES`."""
    annotations = {name: kind | None for name, (kind, _) in ATTRIBUTES.items()}
    namespace: dict[str, Any] = {
        "__module__": __name__, "__annotations__": annotations,
        **{name: strawberry.field(default=None, description=_ATTRIBUTE_DOCS[name])
           for name in ATTRIBUTES}}
    return strawberry.type(type("CaseChanges", (), namespace), description=(
        "What a step changed in its case: each attribute that changed, before and after; "
        "null: unchanged by this step."))


CaseChanges = _changes_type()


def case_changes(stored: str) -> Any:
    """The typed changes of a timeline row's `changes` column."""
    values: dict[str, Any] = {}
    for name, (before, after) in decoded_changes(stored).items():
        kind, convert = ATTRIBUTES[name]
        if convert is not None:
            before = None if before is None else convert(before)
            after = None if after is None else convert(after)
        values[name] = kind(before=before, after=after)
    return CaseChanges(**values)
