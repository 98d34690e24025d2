"""Recording the demo through the ledger: `seed_demo`, `is_empty`, `DemoResult`.

The cases are recorded as if the ledger had been in use all along: while each command is
handled, the ledger's clock reads the moment the script enters it, so each event's recording
time (`recorded_at`) is that moment, and only the steps the script enters late are marked as
recorded late. Then the solidarity cycle of the year (`pact_ledger.demo_solidarity`) is recorded at
the present time, and the resettlement plan and admission files (`pact_ledger.demo.resettlement`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ledger.bulk_import import BulkImport, Item
from pact_ledger.demo.resettlement import seed_resettlement_demo
from pact_ledger.demo.script import demo_entries
from pact_ledger.demo_solidarity import seed_solidarity_demo
from pact_ledger.import_frozen import frozen_batches
from pact_ledger.import_store import batch_store
from pact_ledger.import_vault import BatchedKeyVault

if TYPE_CHECKING:
    from pact_ledger.wiring import Container

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DemoResult:
    cases: int
    commands: int  # the solidarity demo's included
    events: int  # newly recorded (a re-run records none)
    replayed: int  # commands an earlier run had already recorded
    refused: int  # a refusal is a bug in the generator
    errors: tuple[str, ...]  # the first few refusals
    projected: int  # events the read models caught up with
    solidarity: Any = None  # what the solidarity demo returned; None when it was skipped
    resettlement: Any = None  # what the resettlement demo returned


def seed_solidarity(container: Container, seed: int, year: int,
                    now: datetime | None = None) -> Any:
    """The solidarity cycle of `year` (`pact_ledger.demo_solidarity`)."""
    return seed_solidarity_demo(container, year=year, seed=seed, now=now)


def seed_resettlement(container: Container, now: datetime) -> Any:
    """The resettlement plan and admission files (`pact_ledger.demo.resettlement`)."""
    return seed_resettlement_demo(container, now)


def seed_demo(
    container: Container,
    cases: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
) -> DemoResult:
    """Record the demo through the ledger, then bring the read models up to date.

    `progress(commands done, commands in all)` is called every 250 commands and at the end.
    """
    now = now or datetime.now(UTC)
    script = list(demo_entries(cases, seed, now))
    events = replayed = refused = 0
    errors: list[str] = []
    events += _load_sample_recognition_rates(container,
                                             script[0][2].occurred_at if script else now)
    # The same path as `pact-ledger import` (`ledger.bulk_import`), with the items in memory:
    # each recorded while the ledger's clock reads the moment the script enters it.
    items = (Item(n, command, meta, entered=entered)
             for n, (entered, command, meta) in enumerate(script, 1))
    keystore = getattr(container, "keystore", None)  # none: a bare ledger's memory vault
    # The collector as in `pact-ledger import`: paused, what survives each batch frozen.
    with frozen_batches() as after_batch:
        bulk = BulkImport(container.ledger,
                          keys=BatchedKeyVault(keystore) if keystore is not None else None,
                          store=batch_store(container.ledger.recorder),
                          after_batch=after_batch)
        for done, result in enumerate(bulk.run(items), 1):
            if result.status == "refused":
                refused += 1
                if len(errors) < 10:
                    command, meta = result.item.command, result.item.meta
                    target = getattr(command, "case_id", getattr(command, "national_reference", ""))
                    errors.append(f"{type(command).__name__} on {target} at "
                                  f"{meta.occurred_at:%Y-%m-%d %H:%M}: "  # type: ignore[union-attr]
                                  f"{result.error.code}: {result.error}")  # type: ignore[union-attr]
            else:
                events += result.events
                replayed += result.status == "replayed"
            if progress is not None and (done % 250 == 0 or done == len(script)):
                progress(done, len(script))
    solidarity = seed_solidarity(container, seed, now.year, now)
    resettlement = seed_resettlement(container, now)
    commands = len(script)
    for name, part in (("solidarity", solidarity), ("resettlement", resettlement)):
        commands += getattr(part, "commands", 0)
        events += getattr(part, "events", 0)
        replayed += getattr(part, "replayed", 0)
        refusals = tuple(getattr(part, "refused", ()))
        refused += len(refusals)
        errors += [f"{name}: {r}" for r in refusals[:10 - min(len(errors), 10)]]
    projected = container.runner.catch_up()
    return DemoResult(cases, commands, events, replayed, refused, tuple(errors), projected,
                      solidarity, resettlement)


def _load_sample_recognition_rates(container: Container, first: datetime) -> int:
    """The labelled sample figures (not Eurostat's), as published a day before the first step,
    so that procedure assignment has reference data (APR Arts 42(1)(j), 45(1)). Returns the
    number of events recorded (none when already loaded)."""
    from pact_ledger.reference_files import load_command, sample_recognition_rates

    outcome = container.ledger.handle(*load_command(sample_recognition_rates(),
                                                    first - timedelta(days=1)))
    return len(outcome.positions)


def is_empty(container: Container) -> bool:
    """True when the ledger has recorded no events at all."""
    return not container.ledger.recorder.max_notification_id()
