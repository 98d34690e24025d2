"""The ledger's repository: the library's, replaying events without a protocol check each.

The library's `project_aggregate` asserts `isinstance(event, CanMutateProtocol)` before it
applies each event: a runtime-checkable protocol, whose check walks the protocol's members on
every call. On a cache miss a command replays the whole stream of its case, and that check was
about as long as decoding the events (py-spy, a 20-case cache: 29% of a reconstruction). The
events come from the ledger's own mapper, every one an aggregate event of a known topic, so
`LedgerRepository` replays them with `replayed` (the same calls, in the same order) wherever the
library would use its default; a caller may still pass a projector of its own. `replayed` also
hashes a case's last event from its stored bytes (see there).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventsourcing.application import Repository, project_aggregate

from ledger.case.aggregate import Case


def replayed(aggregate: Any, events: Iterable[Any]) -> Any:
    """`project_aggregate` without its per-event `isinstance` assertion: each event mutates
    the aggregate (None before the first), in order; the last result is returned. A case's
    chain is hashed at once from its last event as stored (`ledger.event_bytes.state_bytes`:
    the bytes that event was just decoded from), so that the case's next event names the hash
    of the stored bytes even where an upcaster changed the decoded event."""
    for event in events:
        aggregate = event.mutate(aggregate)
    if isinstance(aggregate, Case):
        aggregate.last_hash  # noqa: B018 (hashed now, while its bytes are at hand)
    return aggregate


class LedgerRepository(Repository):  # type: ignore[type-arg]
    def get(self, aggregate_id: Any, *, version: int | None = None,
            projector_func: Any = project_aggregate, fastforward_skipping: bool = False,
            deepcopy_from_cache: bool = True) -> Any:
        if projector_func is project_aggregate:
            projector_func = replayed
        return super().get(aggregate_id, version=version, projector_func=projector_func,
                           fastforward_skipping=fastforward_skipping,
                           deepcopy_from_cache=deepcopy_from_cache)
