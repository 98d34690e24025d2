"""The catalogue of every solidarity event: an explicit table of the cycle's and the accounts'
`EVENTS`, by the name in each stable topic; read by the projection."""

from __future__ import annotations

from ledger.solidarity import account_events, cycle_events
from ledger.solidarity.events import SolidarityEvent

SOLIDARITY_EVENT_TYPES: dict[str, type[SolidarityEvent]] = {
    cls.TOPIC.removeprefix("pact-ledger:solidarity."): cls  # type: ignore[attr-defined]
    for cls in (*cycle_events.EVENTS, *account_events.EVENTS)
}
