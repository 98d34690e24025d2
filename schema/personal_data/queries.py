"""Subject access over GraphQL (issue 12): `subjectAccess(personId)` returns everything the
ledger holds about one person as one JSON document (`projections.subject_access`), written to
the access log first. (Erasure on request is the generated mutation `erasePersonalData`.)"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.scalars import JSON
from strawberry.types import Info

from ledger.validation import Problems
from projections.personal_data import PRESENT
from projections.subject_access import FORMAT, SubjectCase
from schema.access_log.queries import AccessLogEntry, access_entry
from schema.cases.types import Case, PersonalDataStatus, case_from_row
from schema.context import Context
from schema.enums import ErasureBasisCode, enum_or_none
from schema.envelope import Actor
from schema.input_checks import raise_if_invalid, text, uuid_text
from schema.timeline.types import TimelineEvent, timeline_event
from schema.times import offset_times


@strawberry.type(description="A case's personal data as a subject-access report gives them "
                             "(GDPR Art 15): opened while held; once erased, when and why.")
class SubjectPersonalData:
    status: PersonalDataStatus = strawberry.field(description=(
        "PRESENT; ERASED (the key was destroyed); NONE (none recorded); UNAVAILABLE (the key "
        "is gone but the erasure is not recorded yet)."))
    person_id: strawberry.ID | None = strawberry.field(description="The person's id.")
    family_name: str | None = strawberry.field(description="Family name, while held.")
    given_names: str | None = strawberry.field(description="Given names, while held.")
    date_of_birth: date | None = strawberry.field(description="Date of birth, while held.")
    erased_at: datetime | None = strawberry.field(description="When they were erased.")
    erasure_reason: ErasureBasisCode | None = strawberry.field(description=(
        "The erasure basis: RETENTION_ENDED, NATURALISATION or DATA_SUBJECT_REQUEST."))
    erasure_article: str | None = strawberry.field(description="The article of that basis.")


@strawberry.type(description="One case of the person in a subject-access report.")
class SubjectAccessCase:
    case: Case = strawberry.field(description="The case as it stands.")
    personal_data: SubjectPersonalData = strawberry.field(
        description="The person's data held in this case, opened, or erased: when and why.")
    events: list[TimelineEvent] = strawberry.field(description=(
        "Every event of the case, in order, with the personal data in them opened (or marked "
        "erased); reading them logs nothing more than the report itself. Complete, not paged: "
        "the report is the copy GDPR Art 15(3) gives (`caseEvents` pages them)."))
    access_log: list[AccessLogEntry] = strawberry.field(
        description="Every read of the case's personal data (the access log), newest first; "
                    "complete, not paged (GDPR Art 15(3); `accessLog` pages them).")


@strawberry.type(description="Everything the ledger holds about one person (GDPR Art 15), typed.")
class SubjectAccessReport:
    format: str = strawberry.field(description="The report's format and version.")
    person_id: strawberry.ID = strawberry.field(description="The person it is about.")
    produced_at: datetime = strawberry.field(description="When it was produced.")
    produced_by: Actor = strawberry.field(description="Who produced it.")
    cases: list[SubjectAccessCase] = strawberry.field(
        description="The person's cases in the reader's member-state scope.")


def _subject_case(case: SubjectCase) -> SubjectAccessCase:
    view, details = case.view, case.view.details if case.view else None
    shown = details if view is not None and view.status == PRESENT else None
    marker = view.marker() if view else {"status": "UNAVAILABLE", "person_id": None,
                                         "erasure_basis": None, "erasure_article": None}
    return SubjectAccessCase(
        case=case_from_row(case.row),
        personal_data=SubjectPersonalData(
            status=PersonalDataStatus(marker["status"]),
            person_id=strawberry.ID(view.person_id) if view and view.person_id else None,
            family_name=shown.family_name if shown else None,
            given_names=shown.given_names if shown else None,
            date_of_birth=shown.date_of_birth if shown else None,
            erased_at=view.erased_at if view else None,
            erasure_reason=enum_or_none(ErasureBasisCode, marker["erasure_basis"]),
            erasure_article=marker["erasure_article"]),
        events=[replace(timeline_event(row), _payload=payload, _opened=True)
                for row, payload in zip(case.events, case.payloads, strict=True)],
        access_log=[access_entry(r) for r in case.access_log])


@strawberry.type
class PersonalDataQuery:
    @strawberry.field(description="Everything the ledger holds about one person (GDPR Art 15): "
                                  "their cases, every event with the personal data opened or "
                                  "marked erased, and who read them (the access log); a JSON "
                                  "document, times with an offset. Data "
                                  "protection officers only, in their member-state scope; "
                                  "written to the access log first. Null: no such person here.",
                      deprecation_reason="Read `subjectAccessReport` (the same, typed).")
    async def subject_access(self, info: Info[Context, None],
                             person_id: strawberry.ID) -> JSON | None:
        person = _person(person_id)
        ctx = info.context
        document: Any = await ctx.run(ctx.subject_access.export, person, "subjectAccess")
        return offset_times(document)  # type: ignore[no-any-return]

    @strawberry.field(description="Everything the ledger holds about one person (GDPR Art 15), "
                                  "typed: their cases, every event with the personal data "
                                  "opened or marked erased, and who read them (the access "
                                  "log). Data protection officers only, in their member-state "
                                  "scope; written to the access log first. Null: no such "
                                  "person here.")
    async def subject_access_report(
        self, info: Info[Context, None],
        person_id: Annotated[strawberry.ID, strawberry.argument(
            description="The person (`Case.personalData.personId`).")],
    ) -> SubjectAccessReport | None:
        person = _person(person_id)
        ctx = info.context
        record = await ctx.run(ctx.subject_access.gather, person, "subjectAccessReport")
        if record is None:
            return None
        actor = record.produced_by
        return SubjectAccessReport(
            format=FORMAT, person_id=strawberry.ID(record.person_id),
            produced_at=record.produced_at,
            produced_by=Actor(id=actor.id, role=actor.role, authority=actor.authority,
                              member_state=actor.member_state),
            cases=[_subject_case(c) for c in record.cases])


def _person(person_id: strawberry.ID) -> str:
    p = Problems()
    text(p, "personId", str(person_id))
    person = uuid_text(p, "personId", person_id)
    raise_if_invalid(p)
    if person is None:
        raise GraphQLError("personId is required", extensions={"code": "INVALID_INPUT"})
    return person
