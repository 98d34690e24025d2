"""Subject access over GraphQL (issue 12): `subjectAccess(personId)` returns everything the
ledger holds about one person as one JSON document (`projections.subject_access`), written to
the access log first. (Erasure on request is the generated mutation `erasePersonalData`.)"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.scalars import JSON
from strawberry.types import Info

from ledger.validation import Problems
from schema.context import Context
from schema.input_checks import raise_if_invalid, text, uuid_text
from schema.times import offset_times


@strawberry.type
class PersonalDataQuery:
    @strawberry.field(description="Everything the ledger holds about one person (GDPR Art 15): "
                                  "their cases, every event with the personal data opened or "
                                  "marked erased, and who read them (the access log); a JSON "
                                  "document, times with an offset. Data "
                                  "protection officers only, in their member-state scope; "
                                  "written to the access log first. Null: no such person here.")
    async def subject_access(self, info: Info[Context, None],
                             person_id: strawberry.ID) -> JSON | None:
        p = Problems()
        text(p, "personId", str(person_id))
        person = uuid_text(p, "personId", person_id)
        raise_if_invalid(p)
        if person is None:
            raise GraphQLError("personId is required", extensions={"code": "INVALID_INPUT"})
        ctx = info.context
        document: Any = await ctx.run(ctx.subject_access.export, person, "subjectAccess")
        return offset_times(document)  # type: ignore[no-any-return]
