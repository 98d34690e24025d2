"""What every case event has: a stable topic and version, the envelope, and its bookkeeping.

Every event class is pinned to a topic (`pact-ledger:case.<Name>`) that never changes, whatever
the class is called or wherever it moves, and to a `class_version`: when an event's fields
change, the version rises and an `upcast_vN_vM` static method turns old stored state into the
new shape (see `ScreeningStarted`). Payloads hold plain values (strings, numbers, dates).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, TypeVar

from eventsourcing.domain import Aggregate

from ledger.envelope import Envelope
from ledger.recording_clock import recording_now
from ledger.topics import topic_pinner

if TYPE_CHECKING:
    from ledger.case.phase import Phase
    from ledger.case.state import CaseState

E = TypeVar("E", bound=type)

#: Pin a case event class to topic `pact-ledger:case.<name>` and a schema version (the catalogue
#: of every case event is the explicit table `ledger.case.events.CASE_EVENT_TYPES`).
stable = topic_pinner("case")


class CaseEvent(Aggregate.Event):
    """Base of all case events: the envelope, and the bookkeeping every step does."""

    envelope: Envelope
    if TYPE_CHECKING:  # declared by each phase's base class (`ledger.case.<phase>.events`)
        phase: ClassVar[Phase]

    @staticmethod
    def create_timestamp() -> datetime:
        """Recording time comes from the ledger's clock (`ledger.recording_clock`)."""
        return recording_now()

    def apply(self, case: CaseState) -> None:  # type: ignore[override]
        self.apply_step(case)
        case.last_occurred_at = self.envelope.occurred_at
        case.command_ids.add(self.envelope.command_id)
        case.chain_to(self)  # the next event's `previous_hash` (the aggregate hashes it)

    def apply_step(self, case: CaseState) -> None:
        """The change this kind of step makes; overridden per event."""
