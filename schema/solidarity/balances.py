"""Balances of the solidarity ledger as GraphQL types: per member state and for the Union, by
type of measure, each line traceable to its entries (the events that make it)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.types import Info

from ledger.solidarity.balance import Line, OffsetTriggers
from projections.solidarity_queries import AccountBalance, Balances, EntryWindow
from schema.context import Context
from schema.enums import MemberState, SolidarityType
from schema.pagination import After, Before, Connection, Cursor, First, Last, page, window
from schema.scalars import Cents
from schema.solidarity.entry import SolidarityEntry, entry

MAX_ENTRIES = 10_000

#: Cursors of a balance line's `entryPage`: (legal time as stored, log position).
_ENTRIES = Cursor("entry")


@strawberry.type(description="A page of a balance line's entries, with cursors to page forward "
                             "and backward.")
class SolidarityEntryConnection(Connection[SolidarityEntry]):
    @strawberry.field(description="The line's entries over all pages.")
    async def total_count(self) -> int:
        return await self.count()

    @strawberry.field(description="The entries of this page (the edges' nodes).")
    def nodes(self) -> list[SolidarityEntry]:
        return self.page_nodes()


@strawberry.type(description="A figure of a balance line: persons (relocation lines only) and "
                             "euro cents, relocations valued at the cycle's own rate (null until "
                             "the Council implementing act sets it).")
class SolidarityFigure:
    persons: int | None
    cents: Cents | None


@strawberry.type(description="One type of measure: pledged, owed (after deductions; nothing for "
                             "a benefiting member state, Art 60(3)), delivered, outstanding.")
class SolidarityBalanceLine:
    year: int
    member_state: MemberState | None = strawberry.field(description="Null for the Union.")
    type: SolidarityType
    pledged: SolidarityFigure
    obligation: SolidarityFigure
    delivered: SolidarityFigure
    outstanding: SolidarityFigure = strawberry.field(
        description="Obligation less delivered, never below zero.")
    _as_of: strawberry.Private[datetime | None]
    _rate: strawberry.Private[int | None]

    @strawberry.field(description="The events that make up this line, in legal-time order.",
                      deprecation_reason="Read `entryPage` (paged both ways, with "
                                         "`totalCount`): this list stops at `first` (at most "
                                         "10000) without saying whether more follow.")
    async def entries(self, info: Info[Context, None], first: int = 1000) -> list[SolidarityEntry]:
        first = max(1, min(first, MAX_ENTRIES))
        ms = self.member_state.value if self.member_state else None
        rows = await info.context.run(info.context.reads.solidarity.entries, self.year, ms,
                                      self.type.value, self._as_of, first)
        return [entry(row, self._rate) for row in rows]


    @strawberry.field(description=(
        "The events that make up this line, in legal-time order (then log order): its pledges "
        "and deliveries, and the account-wide deductions and benefiting status that change what "
        "is owed (AMMR Arts 60-61). `first` (with `after`) pages forward, `last` (with "
        "`before`) backward; a page holds at most 100."))
    async def entry_page(
        self, info: Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> SolidarityEntryConnection:
        w = window(_ENTRIES, (str, int), first, after, last, before)
        ms = self.member_state.value if self.member_state else None
        ctx, line = info.context, (self.year, ms, self.type.value, self._as_of)
        rows = await ctx.run(ctx.reads.solidarity.entries_page, *line, EntryWindow(
            size=w.size, after=w.after, before=w.before,  # type: ignore[arg-type]
            backward=w.backward))
        rate = self._rate
        edges, page_info = page(rows, w, lambda r: _ENTRIES.encode(r["occurred_at"], r["seq"]),
                                lambda r: entry(r, rate))

        async def count() -> int:
            return int(await ctx.run(ctx.reads.solidarity.entries_count, *line))

        return SolidarityEntryConnection(edges=edges, page_info=page_info, _count=count)


def balance_line(balances: Balances, line: Line, member_state: str | None) -> SolidarityBalanceLine:
    rate = balances.cents_per_relocation

    def figure(units: int) -> SolidarityFigure:
        relocation = line.kind == SolidarityType.RELOCATION.value
        return SolidarityFigure(persons=units if relocation else None,
                                cents=line.cents(units, rate))

    return SolidarityBalanceLine(
        year=balances.year, member_state=MemberState(member_state) if member_state else None,
        type=SolidarityType(line.kind), pledged=figure(line.pledged),
        obligation=figure(line.obligation), delivered=figure(line.delivered),
        outstanding=figure(line.outstanding), _as_of=balances.as_of, _rate=rate)


def _total(lines: list[Line], field: str, rate: int | None) -> int | None:
    """One figure of all lines in euro cents (null while relocations have no rate)."""
    parts = [line.cents(getattr(line, field), rate) for line in lines]
    return None if None in parts else sum(p for p in parts if p is not None)


@strawberry.type(description="A member state's account in the cycle, as of the date asked.")
class SolidarityAccountBalance:
    member_state: MemberState
    fair_share: Decimal | None = strawberry.field(description="Annex I key, 0 to 1.")
    benefiting: bool
    deduction_percent: Decimal | None
    may_offer_offsets: bool = strawberry.field(description="AMMR Art 63(2) conditions met.")
    lines: list[SolidarityBalanceLine]
    obligation_cents: Cents | None
    delivered_cents: Cents | None
    outstanding_cents: Cents | None

    @staticmethod
    def of(balances: Balances, account: AccountBalance) -> SolidarityAccountBalance:
        rate, lines = balances.cents_per_relocation, account.lines
        return SolidarityAccountBalance(
            member_state=MemberState(account.member_state), fair_share=account.fair_share,
            benefiting=account.benefiting, deduction_percent=account.deduction_percent,
            may_offer_offsets=account.may_offer_offsets,
            lines=[balance_line(balances, line, account.member_state) for line in lines],
            obligation_cents=_total(lines, "obligation", rate),
            delivered_cents=_total(lines, "delivered", rate),
            outstanding_cents=_total(lines, "outstanding", rate))


@strawberry.type(description="The Union's totals: every figure is the sum of the accounts'.")
class SolidarityTotals:
    lines: list[SolidarityBalanceLine]
    obligation_cents: Cents | None
    delivered_cents: Cents | None
    outstanding_cents: Cents | None
    pool_relocations: int | None = strawberry.field(description="Council act reference number.")
    pool_financial_cents: Cents | None


@strawberry.type(description="Responsibility offsets (AMMR Art 63) as of the date asked. "
                             "The mandatory threshold is UNCONFIRMED (a parameter).")
class SolidarityOffsets:
    proposed_relocations: int | None
    pledged_relocations: int
    pledge_ratio: Decimal | None = strawberry.field(description="Pledged / proposed, 4 places.")
    requestable_threshold: Decimal
    requestable: bool = strawberry.field(description="Art 63(1) threshold reached.")
    mandatory_threshold: Decimal
    mandatory_threshold_relocations: int | None
    mandatory: bool = strawberry.field(description="Art 63(3): after the second Forum, "
                                                   "pledges below the threshold.")

    @staticmethod
    def of(balances: Balances, t: OffsetTriggers) -> SolidarityOffsets:
        ratio = t.pledge_ratio
        return SolidarityOffsets(
            proposed_relocations=t.proposed_relocations, pledged_relocations=t.pledged_relocations,
            pledge_ratio=(Decimal(ratio.numerator) / Decimal(ratio.denominator)).quantize(
                Decimal("0.0001")) if ratio is not None else None,
            requestable_threshold=balances.thresholds.requestable, requestable=t.requestable,
            mandatory_threshold=balances.thresholds.mandatory,
            mandatory_threshold_relocations=balances.thresholds.mandatory_relocations,
            mandatory=t.mandatory)


@strawberry.type(description="Balances of a cycle as of a date: accounts, Union totals, offsets.")
class SolidarityBalances:
    year: int
    as_of: datetime | None
    cents_per_relocation: Cents | None
    accounts: list[SolidarityAccountBalance]
    totals: SolidarityTotals
    offsets: SolidarityOffsets

    @staticmethod
    def of(balances: Balances, member_state: str | None) -> SolidarityBalances:
        rate, pool = balances.cents_per_relocation, balances.cycle.pool if balances.cycle else None
        return SolidarityBalances(
            year=balances.year, as_of=balances.as_of, cents_per_relocation=rate,
            accounts=[SolidarityAccountBalance.of(balances, a) for a in balances.accounts
                      if member_state in (None, a.member_state)],
            totals=SolidarityTotals(
                lines=[balance_line(balances, line, None) for line in balances.totals],
                obligation_cents=_total(balances.totals, "obligation", rate),
                delivered_cents=_total(balances.totals, "delivered", rate),
                outstanding_cents=_total(balances.totals, "outstanding", rate),
                pool_relocations=pool["relocations"] if pool else None,
                pool_financial_cents=pool["financial_cents"] if pool else None),
            offsets=SolidarityOffsets.of(balances, balances.offsets))
