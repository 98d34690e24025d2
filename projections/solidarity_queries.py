"""Read queries of the solidarity ledger: a cycle, the balances as of any date, and the rows
(events) that make up a balance line.

"As of" is legal time: a row counts when its `occurred_at` is at or before the date, whenever it
was recorded. Sums are done by the database; the law applied to them by
`ledger.solidarity.balance`, the same for every query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from ledger.solidarity.balance import (
    Line,
    OffsetTriggers,
    account_lines,
    may_offer_offsets,
    offset_triggers,
    summed,
)
from ledger.solidarity.events import DEDUCTED, DELIVERED, EXEMPTED, PLEDGED
from ledger.solidarity.parameters import DEFAULT_OFFSET_THRESHOLDS, OffsetThresholds
from ledger.solidarity.vocabulary import SolidarityType
from projections.db import ReadDatabase, Row
from projections.encoding import loads, time_text
from projections.solidarity_cycle import CycleView

_STATUS_EVENTS = ("FairShareComputed", "DeductionGranted", "BenefitingStatusNotified")


@dataclass(frozen=True)
class AccountBalance:
    member_state: str
    fair_share: Decimal | None
    benefiting: bool
    deduction_percent: Decimal | None
    lines: list[Line]
    may_offer_offsets: bool


@dataclass(frozen=True)
class Balances:
    year: int
    as_of: datetime | None
    cycle: CycleView | None
    accounts: list[AccountBalance]
    totals: list[Line]  # the Union's: pledged and delivered summed by the database directly
    offsets: OffsetTriggers
    thresholds: OffsetThresholds

    @property
    def cents_per_relocation(self) -> int | None:
        return self.cycle.cents_per_relocation if self.cycle else None


class SolidarityQueries:
    def __init__(self, db: ReadDatabase,
                 thresholds: OffsetThresholds = DEFAULT_OFFSET_THRESHOLDS) -> None:
        self.db = db
        self.thresholds = thresholds

    def cycle(self, year: int, as_of: datetime | None = None,
              upto: int | None = None) -> CycleView | None:
        where, params = _where(year, as_of, upto)
        return CycleView.fold(self.db.fetchall(
            f"SELECT * FROM solidarity_events WHERE {where} AND member_state IS NULL "
            "ORDER BY version", params))

    def balances(self, year: int, as_of: datetime | None = None) -> Balances:
        # Every read stops at the same log position, so that the figures agree with each other
        # while new rows arrive (rows are only ever added).
        row = self.db.fetchone("SELECT MAX(seq) AS upto FROM solidarity_events")
        upto = int(row["upto"]) if row and row["upto"] is not None else 0
        cycle = self.cycle(year, as_of, upto)
        where, params = _where(year, as_of, upto)
        sums, status = self._sums(where, params, True), self._status(where, params)
        lines = {ms: account_lines(sums.get(ms, {}), status.get(ms, {}).get(DEDUCTED),
                                   EXEMPTED in status.get(ms, {}))
                 for ms in sorted(set(sums) | set(status))}
        union = self._sums(where, params, False).get(None, {})
        totals = [Line(t.kind, union.get((t.kind, PLEDGED), 0), t.obligation,
                       union.get((t.kind, DELIVERED), 0), t.outstanding)
                  for t in summed(list(lines.values()))]
        proposal, pool = (cycle.proposal, cycle.pool) if cycle else (None, None)
        triggers = offset_triggers(
            _relocation(totals).pledged, proposal["relocations"] if proposal else None,
            pool is not None, cycle is not None and 2 in cycle.forums, self.thresholds)
        accounts = []
        for ms, account in lines.items():
            mine = status.get(ms, {})
            offers = may_offer_offsets(_relocation(account).pledged, mine.get("share"),
                                       pool["relocations"] if pool else None, triggers,
                                       self.thresholds)
            accounts.append(AccountBalance(ms, mine.get("share"), EXEMPTED in mine,
                                           mine.get(DEDUCTED), account, offers))
        return Balances(year, as_of, cycle, accounts, totals, triggers, self.thresholds)

    def entries(self, year: int, member_state: str | None, kind: str,
                as_of: datetime | None = None, limit: int = 1000) -> list[Row]:
        """The rows of a balance line in legal-time order: its pledges and deliveries, and the
        account-wide deductions and benefiting status that change what is owed."""
        where, params = _where(year, as_of)
        if member_state is not None:
            where += " AND member_state = ?"
            params.append(member_state)
        return self.db.fetchall(
            f"SELECT * FROM solidarity_events WHERE {where} "
            "AND (line = ? OR effect IN (?, ?)) ORDER BY occurred_at, seq LIMIT ?",
            (*params, kind, DEDUCTED, EXEMPTED, limit))

    def entries_page(self, year: int, member_state: str | None, kind: str,
                     as_of: datetime | None, page: EntryWindow) -> list[Row]:
        """`page.size + 1` rows of a balance line in legal-time order (`occurred_at`, `seq`)
        after and before the given keys; nearest `before` first when `page.backward`."""
        where, params = self._line(year, member_state, kind, as_of)
        for key, op in ((page.after, ">"), (page.before, "<")):
            if key is not None:
                where += f" AND (occurred_at {op} ? OR (occurred_at = ? AND seq {op} ?))"
                params += [key[0], key[0], key[1]]
        order = "DESC" if page.backward else "ASC"
        return self.db.fetchall(
            f"SELECT * FROM solidarity_events WHERE {where} "
            f"ORDER BY occurred_at {order}, seq {order} LIMIT ?", (*params, page.size + 1))

    def entries_count(self, year: int, member_state: str | None, kind: str,
                      as_of: datetime | None) -> int:
        """How many rows the balance line has (over all pages)."""
        where, params = self._line(year, member_state, kind, as_of)
        row = self.db.fetchone(f"SELECT COUNT(*) AS n FROM solidarity_events WHERE {where}",
                               params)
        return int(row["n"]) if row else 0

    @staticmethod
    def _line(year: int, member_state: str | None, kind: str,
              as_of: datetime | None) -> tuple[str, list[Any]]:
        where, params = _where(year, as_of)
        if member_state is not None:
            where += " AND member_state = ?"
            params.append(member_state)
        return where + " AND (line = ? OR effect IN (?, ?))", [*params, kind, DEDUCTED, EXEMPTED]

    def events_at(self, positions: tuple[int, ...]) -> list[Row]:
        """The rows of the given log positions (a command's own events)."""
        if not positions:
            return []
        marks = ", ".join("?" for _ in positions)
        return self.db.fetchall(
            f"SELECT * FROM solidarity_events WHERE seq IN ({marks}) ORDER BY seq", positions)

    def _sums(self, where: str, params: list[Any],
              per_member_state: bool) -> dict[Any, dict[tuple[str, str], int]]:
        """Pledged and delivered units by member state (or for the Union, under None), line and
        effect. The Union's are summed by the database directly, so that tests can hold them
        against the sum of the accounts."""
        owner, group = ("member_state", "member_state, ") if per_member_state else ("NULL", "")
        sums: dict[Any, dict[tuple[str, str], int]] = {}
        for row in self.db.fetchall(
                f"SELECT {owner} AS owner, line, effect, SUM(persons) AS persons, "
                f"SUM(cents) AS cents FROM solidarity_events WHERE {where} AND effect IN (?, ?) "
                f"GROUP BY {group}line, effect", (*params, PLEDGED, DELIVERED)):
            sums.setdefault(row["owner"], {})[(row["line"], row["effect"])] = _units(row)
        return sums

    def _status(self, where: str, params: list[Any]) -> dict[str, dict[str, Any]]:
        """Per member state, as of the date: fair share, deduction granted, benefiting."""
        status: dict[str, dict[str, Any]] = {}
        for row in self.db.fetchall(
                "SELECT member_state, event_type, payload FROM solidarity_events "
                f"WHERE {where} AND event_type IN (?, ?, ?) ORDER BY occurred_at, seq",
                (*params, *_STATUS_EVENTS)):
            payload, mine = loads(row["payload"]), status.setdefault(row["member_state"], {})
            if row["event_type"] == "FairShareComputed":
                mine["share"] = Decimal(payload["share"])
            elif row["event_type"] == "DeductionGranted":
                mine[DEDUCTED] = Decimal(payload["percent"])
            else:
                mine[EXEMPTED] = True
        return status


@dataclass(frozen=True)
class EntryWindow:
    """A page of a balance line's entries: keys are (`occurred_at` text, `seq`)."""

    size: int
    after: tuple[str, int] | None = None
    before: tuple[str, int] | None = None
    backward: bool = False


def _where(year: int, as_of: datetime | None,
           upto: int | None = None) -> tuple[str, list[Any]]:
    """Rows of the year, legally occurred by `as_of`, recorded up to log position `upto`."""
    clauses: list[str] = ["year = ?"]
    params: list[Any] = [year]
    if as_of is not None:
        clauses.append("occurred_at <= ?")
        params.append(time_text(as_of))
    if upto is not None:
        clauses.append("seq <= ?")
        params.append(upto)
    return " AND ".join(clauses), params


def _relocation(lines: list[Line]) -> Line:
    return next(line for line in lines if line.kind == SolidarityType.RELOCATION.value)


def _units(row: Row) -> int:
    """Persons on the relocation line, euro cents on the others (SUM is numeric on PostgreSQL)."""
    value = row["persons"] if row["line"] == SolidarityType.RELOCATION.value else row["cents"]
    return int(value or 0)
