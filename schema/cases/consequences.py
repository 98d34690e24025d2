"""The law's consequences of expired limits on a case (`ledger.consequences`), derived when read
from the case's deadlines, the crisis periods and the moment of the query."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from ledger.case.responsibility.values import Responsibility
from ledger.consequences import Consequence, consequences, responsibility_by_law
from ledger.crisis.regime import derogations_in
from projections.db import Row
from projections.encoding import loads, parse_time
from schema.context import Context
from schema.deadlines.types import deadline_value
from schema.enums import MemberState, enum_or_none


@strawberry.type(description="A consequence the law attaches to an expired limit, in force by "
                             "law from `since` whether or not a step records it (AMMR Arts "
                             "37(1), 39(1), 40, 41(2), 46).")
class LegalConsequence:
    kind: str = strawberry.field(description="RESPONSIBLE_AS_STATE_OF_REGISTRATION, "
                                             "DEEMED_ACCEPTED, DEEMED_CONFIRMED or "
                                             "RESPONSIBILITY_SHIFTED.")
    article: str
    since: datetime
    cause_rule: str = strawberry.field(description="The deadline whose expiry caused it.")
    cause_due_at: datetime
    responsible_member_state: MemberState | None
    confirmed: bool = strawberry.field(description="False: rests on a rule our sources do not "
                                                   "confirm (a parameter).")
    summary: str


@strawberry.type(description="Responsibility as the law has it now: the recorded state, or the "
                             "consequence of an expired limit that overtook it.")
class ResponsibilityByLaw:
    state: str
    responsible_member_state: MemberState | None
    derived: bool = strawberry.field(description="True: no step records it yet; it follows "
                                                 "from `cause`.")
    cause: LegalConsequence | None


def _type(c: Consequence) -> LegalConsequence:
    return LegalConsequence(kind=c.kind, article=c.article, since=c.since, cause_rule=c.cause,
                            cause_due_at=c.cause_due,
                            responsible_member_state=enum_or_none(MemberState, c.responsible),
                            confirmed=c.confirmed, summary=c.summary)


def _lookup(rows: Sequence[Row]) -> Any:
    periods: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        periods.setdefault(row["member_state"], []).append({
            "starts_at": parse_time(row["starts_at"]), "until": parse_time(row["until_at"]),
            "ended_at": parse_time(row["ended_at"]), "derogations": loads(row["derogations"])})
    return lambda member_state, moment: derogations_in(periods.get(member_state, []), moment)


async def _derive(root: Any, info: Info[Context, None]) -> tuple[Responsibility,
                                                                 list[Consequence]]:
    ctx = info.context
    reads = ctx.reads.deadlines
    now = reads.now()
    rows = await ctx.run(reads.for_case, str(root.case_id))
    periods = await ctx.run(reads.crisis_periods)
    responsibility = root._state().responsibility
    found = consequences([deadline_value(r) for r in rows], root.member_state.value,
                         responsibility.other, now, _lookup(periods))
    return responsibility, found


async def case_consequences(root: Any, info: Info[Context, None]) -> list[LegalConsequence]:
    """The resolver of `Case.legalConsequences`."""
    _, found = await _derive(root, info)
    return [_type(c) for c in found]


async def case_responsibility_by_law(root: Any,
                                     info: Info[Context, None]) -> ResponsibilityByLaw:
    """The resolver of `Case.responsibilityByLaw`."""
    responsibility, found = await _derive(root, info)
    recorded = responsibility.state
    state, cause = responsibility_by_law(recorded, found)
    if cause is None:
        here = root.member_state.value if state == "RESPONSIBLE_HERE" else responsibility.other
        return ResponsibilityByLaw(state=state,
                                   responsible_member_state=enum_or_none(MemberState, here),
                                   derived=False, cause=None)
    return ResponsibilityByLaw(state=state,
                               responsible_member_state=enum_or_none(MemberState,
                                                                     cause.responsible),
                               derived=True, cause=_type(cause))
