"""One entry of a balance line: the event, its legal time, what it does and how much."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from projections.db import Row
from projections.encoding import loads, parse_time
from schema.enums import BalanceEffect, MemberState, OffsetMode, SolidarityType
from schema.envelope import LegalBasis
from schema.scalars import Cents


@strawberry.type(description="One event that makes up a balance line.")
class SolidarityEntry:
    position: int = strawberry.field(description="Position in the ledger's global order.")
    event: str
    member_state: MemberState
    occurred_at: datetime = strawberry.field(description="Legal time: what `asOf` compares.")
    recorded_at: datetime
    effect: BalanceEffect
    persons: int | None
    amount: Cents | None = strawberry.field(
        description="Euro cents, relocations at the cycle's rate; null for deductions and "
                    "benefiting status (see `percent`), and for relocations before the rate.")
    percent: Decimal | None = strawberry.field(description="The deduction granted, if one.")
    case_id: strawberry.ID | None = strawberry.field(description="The case relocated or offset.")
    offset_mode: OffsetMode | None
    legal_basis: list[LegalBasis]
    command_id: str


def entry(row: Row, rate: int | None) -> SolidarityEntry:
    payload, persons = loads(row["payload"]), row["persons"] or None
    relocation = row["line"] == SolidarityType.RELOCATION.value
    amount = (persons * rate if persons and rate else None) if relocation else row["cents"] or None
    return SolidarityEntry(
        position=row["seq"], event=row["event_type"], member_state=MemberState(row["member_state"]),
        occurred_at=parse_time(row["occurred_at"]),  # type: ignore[arg-type]
        recorded_at=parse_time(row["recorded_at"]),  # type: ignore[arg-type]
        effect=BalanceEffect(row["effect"]), persons=persons if relocation else None,
        amount=amount, percent=Decimal(payload["percent"]) if "percent" in payload else None,
        case_id=strawberry.ID(row["linked_case_id"]) if row["linked_case_id"] else None,
        offset_mode=OffsetMode(payload["mode"]) if "mode" in payload else None,
        legal_basis=[LegalBasis(**b) for b in loads(row["legal_basis"])],
        command_id=row["command_id"],
    )
