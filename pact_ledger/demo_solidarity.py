"""Demo data for the solidarity ledger: a cycle shaped like the 2026 Annual Solidarity Pool.

From the reference (../shared/reference/pact-rules.md §5): the annual report of 11 Nov 2025;
Decision (EU) 2025/2323 (EL, CY, ES, IT under migratory pressure; BG, CZ, EE, HR, AT, PL facing a
significant migratory situation); the Commission's proposal of 30,000 relocations and EUR 600
million (42% earmarked); the pool of 21,000 relocations and EUR 420 million, EUR 20,000 per
relocation. APPROXIMATIONS, labelled as such in the records: population and GDP (rounded recent
Eurostat figures), the dates of the Forum and the Council act. SYNTHETIC: every pledge,
deduction and delivery. Relocations and offsets are credited by cases, not here.

Deterministic for a seed; command ids are stable, so seeding again records nothing new; steps
after `now` are left out.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, uuid5

from ledger.command_meta import CommandMeta
from ledger.envelope import Actor
from ledger.errors import LedgerError
from ledger.solidarity import commands as s
from ledger.solidarity.fair_share import apportion, reference_key

if TYPE_CHECKING:
    from pact_ledger.wiring import Container

_NAMESPACE = uuid5(NAMESPACE_URL, "https://pact-ledger.eu/demo/solidarity")
EUR = 100
SOURCE = ("APPROXIMATION for demo use: Eurostat population on 1 January 2024 (thousands) and "
          "GDP at current prices 2024 (EUR million), rounded; not official figures")
#: member state: (population in thousands, GDP in EUR million), approximate (see SOURCE).
FIGURES = {
    "AT": (9_159, 481_000), "BE": (11_832, 614_000), "BG": (6_446, 103_000),
    "CY": (934, 34_000), "CZ": (10_901, 322_000), "DE": (83_445, 4_305_000),
    "DK": (5_961, 395_000), "EE": (1_375, 40_000), "EL": (10_397, 237_000),
    "ES": (48_620, 1_592_000), "FI": (5_604, 279_000), "FR": (68_402, 2_918_000),
    "HR": (3_862, 86_000), "HU": (9_585, 207_000), "IE": (5_271, 563_000),
    "IT": (58_990, 2_192_000), "LT": (2_886, 78_000), "LU": (672, 86_000),
    "LV": (1_872, 41_000), "MT": (563, 22_000), "NL": (17_943, 1_149_000),
    "PL": (36_621, 845_000), "PT": (10_640, 285_000), "RO": (19_064, 352_000),
    "SE": (10_552, 566_000), "SI": (2_124, 67_000), "SK": (5_425, 136_000),
}
UNDER_PRESSURE = ("CY", "EL", "ES", "IT")
SIGNIFICANT = ("AT", "BG", "CZ", "EE", "HR", "PL")
DEDUCTIONS = {ms: 50 if ms == "AT" else 100 for ms in SIGNIFICANT}  # percent granted (SYNTHETIC)
POOL = (21_000, 420_000_000 * EUR, 20_000 * EUR)  # relocations, financial cents, cents/relocation
#: Union-level steps are recorded by EU-level solidarity coordinators
#: (`ledger.authorization.policy`).
COMMISSION = Actor("eu-com-demo", "SOLIDARITY_COORDINATOR", "European Commission", "EU")
COUNCIL = Actor("eu-council-demo", "SOLIDARITY_COORDINATOR", "Council of the EU", "EU")


def _official(ms: str) -> Actor:
    return Actor(f"{ms.lower()}-solidarity-demo", "SOLIDARITY_COORDINATOR", f"{ms} Ministry of the "
                 "Interior", ms)


def _cycle(year: int) -> Iterator[tuple[datetime, Actor, Any]]:
    before = year - 1

    def at(month: int, day: int) -> datetime:
        return datetime(before, month, day, 10, tzinfo=UTC)

    yield at(11, 11), COMMISSION, s.AdoptAnnualReport(
        year, f"European Annual Asylum and Migration Report {before}")
    yield at(11, 11), COMMISSION, s.AdoptMigratoryPressureDecision(
        year, f"Commission Implementing Decision (EU) {before}/2323", UNDER_PRESSURE, (),
        SIGNIFICANT)
    yield at(11, 11), COMMISSION, s.RecordFairShareInputs(year, SOURCE, tuple(
        s.KeyInput(ms, people * 1000, gdp) for ms, (people, gdp) in sorted(FIGURES.items())))
    yield at(11, 11), COMMISSION, s.ProposePool(
        year, f"Commission proposal for the {year} Annual Solidarity Pool", 30_000,
        600_000_000 * EUR, Decimal("42"))
    yield at(11, 25), COUNCIL, s.ConveneForum(year, 1)  # date APPROXIMATE


def _pledges(rng: random.Random, year: int) -> Iterator[tuple[datetime, Actor, Any]]:
    """Each contributing member state pledges about its key share of the pool: as relocations,
    as money (at the pool's rate), or partly as an alternative measure."""
    key = reference_key({ms: f[0] for ms, f in FIGURES.items()},
                        {ms: f[1] for ms, f in FIGURES.items()})
    persons, cents = apportion(POOL[0], key), apportion(POOL[1], key)
    when = datetime(year - 1, 11, 25, 15, tzinfo=UTC)
    for ms in sorted(set(FIGURES) - set(UNDER_PRESSURE)):
        relocate = {"relocate": persons[ms], "mixed": persons[ms] // 2}.get(
            rng.choice(["relocate", "pay", "mixed"]), 0)
        money = cents[ms] + (persons[ms] - relocate) * POOL[2]
        alternative = money // 4 if rng.random() < 0.3 else 0
        for kind, p, c, measure in [("RELOCATION", relocate, 0, None),
                                    ("FINANCIAL", 0, money - alternative, None),
                                    ("ALTERNATIVE", 0, alternative, "Reception staff and "
                                                                    "equipment (demo)")]:
            if p or c:
                yield when, _official(ms), s.MakePledge(year, ms, kind, p, c, measure)
    for ms in UNDER_PRESSURE:
        yield when, _official(ms), s.NotifyBenefitingStatus(year, ms, "LISTED_UNDER_PRESSURE")
    yield datetime(year - 1, 12, 19, 10, tzinfo=UTC), COUNCIL, s.EstablishPool(
        year, f"Council implementing act establishing the {year} pool (reference APPROXIMATE)",
        *POOL)


def _year(rng: random.Random, year: int,
          pledged: dict[str, dict[str, int]]) -> Iterator[tuple[datetime, Actor, Any]]:
    """Deductions early in the year, then quarterly payments and deliveries (some late, some
    missed)."""
    for n, (ms, percent) in enumerate(DEDUCTIONS.items()):
        when = datetime(year, 1, 12 + n, 10, tzinfo=UTC)
        yield when, _official(ms), s.RequestDeduction(
            year, ms, "SIGNIFICANT_MIGRATORY_SITUATION", Decimal(100), "Art 62(2) (demo)")
        yield when + timedelta(days=30), COMMISSION, s.GrantDeduction(
            year, ms, Decimal(percent), f"Commission decision on the deduction for {ms} (demo)")
    for quarter, month in enumerate((3, 6, 9, 12), 1):
        for ms, pledges in sorted(pledged.items()):
            owed = 100 - DEDUCTIONS.get(ms, 0)
            if not owed or rng.random() < 0.15:
                continue
            when = datetime(year, month, 1, 10, tzinfo=UTC) + timedelta(days=rng.randint(0, 27))
            if pledges.get("FINANCIAL"):
                yield when, _official(ms), s.RecordFinancialContribution(
                    year, ms, pledges["FINANCIAL"] * owed // 400, f"{ms}-{year}-Q{quarter}")
            if pledges.get("ALTERNATIVE") and quarter % 2 == 0:
                yield when, _official(ms), s.RecordAlternativeMeasure(
                    year, ms, f"Reception staff and equipment, tranche {quarter // 2} (demo)",
                    pledges["ALTERNATIVE"] * owed // 200)


def solidarity_script(year: int, seed: int,
                      now: datetime) -> Iterator[tuple[Any, CommandMeta]]:
    """The demo's commands in legal order, up to `now`."""
    rng = random.Random(f"pact-ledger-solidarity-demo:{seed}:{year}")
    planned = list(_cycle(year)) + list(_pledges(rng, year))
    pledged: dict[str, dict[str, int]] = {}
    for _, _, command in planned:
        if isinstance(command, s.MakePledge):
            units = command.persons or command.amount_cents
            pledged.setdefault(command.member_state, {})[command.kind] = units
    planned += sorted(_year(rng, year, pledged), key=lambda p: p[0])
    for n, (when, actor, command) in enumerate(planned):
        if when > now:
            continue
        command_id = str(uuid5(_NAMESPACE, f"{seed}/{year}/{n}"))
        yield command, CommandMeta(actor=actor, occurred_at=when, command_id=command_id,
                                   correlation_id=f"solidarity-demo-{year}")


@dataclass(frozen=True)
class SolidarityDemoResult:
    commands: int
    events: int  # newly recorded (a re-run records none)
    replayed: int
    refused: tuple[str, ...]  # a refusal is a bug in the script


def seed_solidarity_demo(container: Container, year: int = 2026, seed: int = 7,
                         now: datetime | None = None) -> SolidarityDemoResult:
    """Record the demo cycle through the ledger, then bring the read models up to date."""
    script = list(solidarity_script(year, seed, now or datetime.now(UTC)))
    events = replayed = 0
    refused: list[str] = []
    for command, meta in script:
        try:
            outcome = container.ledger.handle(command, meta)
        except LedgerError as error:
            refused.append(f"{type(command).__name__} {meta.occurred_at:%Y-%m-%d}: {error}")
            continue
        events += len(outcome.positions)
        replayed += outcome.replayed
    container.runner.catch_up()
    return SolidarityDemoResult(len(script), events, replayed, tuple(refused))
