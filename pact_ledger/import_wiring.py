"""How `pact-ledger import` makes its `BulkImport` (in its own process and in each worker of
`--workers`): the batch store, the batched key vault, the collector's hook, and the memory up
to which a process keeps every case it has used (`--memory-mb`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ledger.bulk_import import BulkImport
from pact_ledger.import_store import batch_store
from pact_ledger.import_vault import KNOWN_KEYS, BatchedKeyVault
from projections.batch_state import resident_bytes

if TYPE_CHECKING:
    from pact_ledger.wiring import Container

#: Data keys kept per MiB of the budget: more keys than the cases that budget holds (a case
#: takes 8-18 kB, a key ~150 bytes), so a kept case's later steps find theirs without a query.
KEYS_PER_MIB = 256


def bulk_import(container: Container, batch: int, after_batch: Callable[[], object] | None,
                memory_mb: int) -> BulkImport:
    """The import of one process; `memory_mb` 0: the fixed number of cases only
    (`ledger.bulk_import.KEPT_AGGREGATES`)."""
    keys = BatchedKeyVault(container.keystore,
                           known_keys=max(KNOWN_KEYS, memory_mb * KEYS_PER_MIB))
    return BulkImport(container.ledger, batch_events=batch, keys=keys,
                      store=batch_store(container.ledger.recorder), after_batch=after_batch,
                      memory_budget=memory_mb * 2**20, resident=resident_bytes)
