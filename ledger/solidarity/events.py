"""The base of every solidarity event: a stable topic, the envelope, and the bookkeeping.

Each event class is pinned to `pact-ledger:solidarity.<Name>` and a `class_version` that an
upcaster must raise when its fields change; payloads hold plain values (strings, integers,
Decimals, dates, UUIDs), never enum objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from eventsourcing.domain import Aggregate

from ledger.envelope import Envelope, LegalBasis, Step
from ledger.recording_clock import recording_now
from ledger.solidarity.parameters import AMMR
from ledger.solidarity.vocabulary import BalanceEffect
from ledger.topics import topic_pinner

E = TypeVar("E", bound=type)

PLEDGED, DELIVERED, DEDUCTED, EXEMPTED = (effect.value for effect in BalanceEffect)


#: Pin a solidarity event class to topic `pact-ledger:solidarity.<name>` and a version (the
#: catalogue of every solidarity event is `ledger.solidarity.event_types.SOLIDARITY_EVENT_TYPES`).
stable = topic_pinner("solidarity")


@dataclass(frozen=True)
class Movement:
    """An account event's effect on the balances: on which line (`SolidarityType` value, None
    for the whole account), how (a `BalanceEffect` value), how much."""

    line: str | None
    effect: str
    persons: int = 0
    cents: int = 0


class SolidarityEvent(Aggregate.Event):
    """Base of cycle and account events."""

    envelope: Envelope

    @staticmethod
    def create_timestamp() -> datetime:
        """Recording time comes from the ledger's clock (`ledger.recording_clock`), as for case
        events: the library's wall clock would make a fixed-clock run or an import differ."""
        return recording_now()

    def apply(self, aggregate: Any) -> None:
        self.apply_step(aggregate)
        aggregate.command_ids.add(self.envelope.command_id)

    def apply_step(self, aggregate: Any) -> None:
        """The change this kind of step makes; overridden per event."""

    def movement(self) -> Movement | None:
        """How this event moves a balance; None for events that do not."""
        return None


class RecordsSteps:
    """What the cycle and the account share: idempotent commands, events citing the AMMR.

    A mixin without class-level annotations (the aggregate metaclass would read them as
    constructor arguments); `command_ids` is set when the aggregate opens."""

    def has_processed(self, command_id: str) -> bool:
        return command_id in self.command_ids  # type: ignore[attr-defined]

    def _record(self, event: type[Any], step: Step, article: str, **fields: Any) -> None:
        envelope = step.envelope(LegalBasis(AMMR, article))
        self.trigger_event(event, envelope=envelope, **fields)  # type: ignore[attr-defined]
