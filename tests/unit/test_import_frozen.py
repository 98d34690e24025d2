"""`pact_ledger.import_frozen.frozen_batches`: the edge pauses automatic collections during an
import and freezes what survives each committed batch out of the collector's walks (the domain's
`BulkImport` only calls the hook), and undoes both when the import ends; a process that froze
objects itself is left as it is."""

from __future__ import annotations

import gc

from pact_ledger.import_frozen import frozen_batches


def test_each_batch_freezes_what_survives_it_until_the_import_ends() -> None:
    assert gc.get_freeze_count() == 0
    kept = [object() for _ in range(100)]
    assert gc.isenabled()
    with frozen_batches() as after_batch:
        assert after_batch is not None
        assert not gc.isenabled()  # automatic collections paused (`projections.collection`)
        after_batch()
        assert gc.get_freeze_count() >= len(kept)
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_a_process_that_froze_objects_itself_keeps_them_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with frozen_batches() as after_batch:
            assert after_batch is None
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
