"""A solidarity cycle brought to a given stage, and a small year of pledges and deliveries,
shared by the solidarity tests (unit, integration and end-to-end)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from ledger.application import Ledger
from ledger.command_meta import CommandMeta
from ledger.envelope import Actor, Step
from ledger.solidarity import commands as s
from ledger.solidarity.crediting import credit_offset, credit_relocation
from ledger.vocabulary import MEMBER_STATES
from tests.support.acting import handle

YEAR = 2026
EUR = 100  # cents
COMMISSION = Actor("eu-sc-01", "SOLIDARITY_COORDINATOR", "European Commission", "EU")
BIG = ("DE", "FR")  # twice the people and four times the GDP of every other member state

#: Inputs of the tests' reference key (not real figures): DE's share is 1/29 + 2/33.
KEY_INPUTS = tuple(
    s.KeyInput(ms, 2_000_000 if ms in BIG else 1_000_000, 40_000 if ms in BIG else 10_000)
    for ms in sorted(MEMBER_STATES))


def on(day: str, hour: int = 10) -> datetime:
    """Legal time: `day` (YYYY-MM-DD) at `hour` UTC."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def meta(day: str | datetime, **kwargs: Any) -> CommandMeta:
    when = day if isinstance(day, datetime) else on(day)
    return CommandMeta(actor=COMMISSION, occurred_at=when, **kwargs)


#: The Union-level steps, in order, with their legal dates, for the cycle of `year`.
def cycle_steps(year: int = YEAR) -> list[tuple[str, Any, str]]:
    y = year - 1
    return [
        ("REPORT", s.AdoptAnnualReport(year, f"COM({y}) 801"), f"{y}-11-11"),
        ("DECISION", s.AdoptMigratoryPressureDecision(
            year, f"Commission Implementing Decision (EU) {y}/2323", ("CY", "EL", "ES", "IT"),
            (), ("AT", "BG", "CZ", "EE", "HR", "PL")), f"{y}-11-11"),
        ("INPUTS", s.RecordFairShareInputs(year, "test figures", KEY_INPUTS), f"{y}-11-11"),
        ("PROPOSAL", s.ProposePool(year, f"COM({y}) 802", 30_000, 600_000_000 * EUR,
                                   Decimal("42")), f"{y}-11-12"),
        ("FORUM", s.ConveneForum(year, 1), f"{y}-11-26"),
        ("POOL", s.EstablishPool(year, f"Council Implementing Decision (EU) {y}/9999", 21_000,
                                 420_000_000 * EUR, 20_000 * EUR), f"{y}-12-15"),
    ]


def cycle_through(ledger: Ledger, stage: str, year: int = YEAR, after: str | None = None) -> None:
    """Record the Union-level steps after `after` (default: from the first) up to and including
    `stage` (REPORT, DECISION, INPUTS, PROPOSAL, FORUM, POOL)."""
    names = [name for name, _, _ in cycle_steps(year)]
    first = names.index(after) + 1 if after else 0
    for _, command, day in cycle_steps(year)[first:names.index(stage) + 1]:
        handle(ledger, command, meta(day))


def pledge(ledger: Ledger, ms: str, kind: str, units: int, day: str,
           measure: str | None = None, year: int = YEAR) -> None:
    persons, cents = (units, 0) if kind == "RELOCATION" else (0, units)
    handle(ledger, s.MakePledge(year, ms, kind, persons, cents, measure), meta(day))


def case_id(name: str) -> UUID:
    return uuid5(UUID(int=0), name)


def step(ledger: Ledger, when: datetime, command_id: str = "case-step") -> Step:
    """The step of a case command that credits an account (what the case side passes)."""
    return Step(occurred_at=when, actor=COMMISSION, command_id=command_id,
                correlation_id=command_id, causation_id=command_id, now=ledger.clock())


def relocate(ledger: Ledger, ms: str, case: str, day: str, benefiting: str = "IT") -> int:
    """Credit a relocation as the case side does; return the number of events saved."""
    when = on(day)
    account = credit_relocation(ledger, relocation_member_state=ms,
                                benefiting_member_state=benefiting, case_id=case_id(case),
                                arrived_at=when, step=step(ledger, when))
    return len(ledger.save(account))


def offset(ledger: Ledger, ms: str, case: str, day: str, mode: str = "VOLUNTARY",
           benefiting: str = "EL") -> int:
    when = on(day)
    account = credit_offset(ledger, taking_member_state=ms, benefiting_member_state=benefiting,
                            case_id=case_id(case), mode=mode, at=when, step=step(ledger, when))
    return len(ledger.save(account))


def small_year(ledger: Ledger) -> None:
    """The 2026 cycle with a few pledges, a full deduction, a benefiting member state, and
    deliveries through the year (figures in the comments are what the balances must show)."""
    cycle_through(ledger, "FORUM")
    pledge(ledger, "DE", "RELOCATION", 3_000, "2025-11-26")
    pledge(ledger, "DE", "FINANCIAL", 20_000_000 * EUR, "2025-11-26")
    pledge(ledger, "FR", "RELOCATION", 2_000, "2025-11-27")
    pledge(ledger, "NL", "FINANCIAL", 10_000_000 * EUR, "2025-11-27")
    pledge(ledger, "AT", "ALTERNATIVE", 5_000_000 * EUR, "2025-11-27", "Reception capacity")
    pledge(ledger, "PL", "RELOCATION", 500, "2025-11-28")
    handle(ledger, s.NotifyBenefitingStatus(YEAR, "IT", "LISTED_UNDER_PRESSURE"),
                  meta("2025-11-28"))
    cycle_through(ledger, "POOL", after="FORUM")
    handle(ledger, s.RequestDeduction(YEAR, "PL", "SIGNIFICANT_MIGRATORY_SITUATION",
                                     Decimal("100"), "Art 62(2) reasons"), meta("2026-01-10"))
    handle(ledger, s.GrantDeduction(YEAR, "PL", Decimal("100"), "C(2026) 100"),
                  meta("2026-02-01"))
    handle(ledger, s.RecordFinancialContribution(YEAR, "NL", 4_000_000 * EUR, "NL-1"),
                  meta("2026-03-01"))
    handle(ledger, s.RecordFinancialContribution(YEAR, "DE", 5_000_000 * EUR, "DE-1"),
                  meta("2026-04-01"))
    handle(ledger, s.RecordAlternativeMeasure(YEAR, "AT", "Reception capacity, Q1",
                                             2_000_000 * EUR), meta("2026-05-01"))
    handle(ledger, s.RecordFinancialContribution(YEAR, "NL", 3_000_000 * EUR, "NL-2"),
                  meta("2026-07-01"))
    relocate(ledger, "DE", "case-1", "2026-02-10")
    relocate(ledger, "DE", "case-2", "2026-06-10")
    offset(ledger, "FR", "case-3", "2026-09-01")
