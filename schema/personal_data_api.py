"""Erasure on request and subject access over GraphQL (issue 12).

`erasePersonalData` records the erasure (with its legal basis) and destroys the case's data
key, through the same `Ledger.handle` as every step: a data protection officer only, in its
member-state scope. `subjectAccess(personId)` returns everything the ledger holds about one
person as one JSON document (`projections.subject_access`), written to the access log first.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import strawberry
from graphql import GraphQLError
from strawberry.scalars import JSON
from strawberry.types import Info

from ledger.commands import CommandMeta
from ledger.personal_data.bases import ERASURE_BASES, ErasureBasisCode
from ledger.personal_data.commands import ErasePersonalData
from ledger.validation import Problems
from schema.context import Context
from schema.input_checks import raise_if_invalid, text, uuid_text
from schema.mutation import record
from schema.results import CommandResult

ErasureBasisEnum = strawberry.enum(
    ErasureBasisCode, name="ErasureBasis",
    description="Legal basis of an erasure: " + "; ".join(
        f"{b.code}: {b.act} {b.article}{'' if b.confirmed else ' (unconfirmed)'}"
        for b in ERASURE_BASES.values()))


@strawberry.input(description="Erase a case's personal data (crypto-shredding: its key is "
                              "destroyed; the legal trail stays).")
class ErasePersonalDataInput:
    case_id: strawberry.ID
    basis: ErasureBasisEnum  # type: ignore[valid-type]
    command_id: str | None = strawberry.field(
        default=None, description="Idempotency key; default: one per case, so an erasure is "
                                  "never recorded twice.")


@strawberry.type
class PersonalDataMutation:
    @strawberry.mutation(description="Erase a case's personal data on request, on a basis the "
                                     "law allows (Eurodac Art 29(4) naturalisation, GDPR Art "
                                     "17). Data protection officers only. Legal time: now.")
    async def erase_personal_data(self, info: Info[Context, None],
                                  input: ErasePersonalDataInput) -> CommandResult:
        ctx = info.context
        basis = ErasureBasisCode(input.basis).value
        try:
            case_id = UUID(str(input.case_id))
        except ValueError:
            case_id = None
        meta = CommandMeta(actor=ctx.actor, occurred_at=datetime.now(UTC),
                           command_id=input.command_id or f"erase-personal-data:{case_id}")
        return await record(info, ErasePersonalData(case_id, basis),  # type: ignore[arg-type]
                            meta, bad_case_id=case_id is None)


@strawberry.type
class PersonalDataQuery:
    @strawberry.field(description="Everything the ledger holds about one person (GDPR Art 15): "
                                  "their cases, every event with the personal data opened or "
                                  "marked erased, and who read them (the access log). Data "
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
        return document  # type: ignore[no-any-return]
