"""The blue-green switch, on both backends: it replays at most its bound while holding the live
tracking row (the rest is caught up before, without it), and events recorded while a rebuild
runs end projected exactly once, in the rebuilt tables and in the hash table kept live."""

from __future__ import annotations

import threading
from typing import Any

from ledger import subtrees
from pact_ledger.wiring import Container
from projections.blue_green import SwitchReport
from projections.integrity_projection import hashes_of
from tests.support.flows import rejected_with_return, screened_applicant


def _read_models(container: Container) -> dict[str, list[tuple[str, ...]]]:
    """Every table a rebuild refills, as sorted rows."""
    tables = [t for p in container.runner.projections for t in p.tables]
    return {t: sorted(tuple(str(v) for v in dict(r).values())
                      for r in container.db.fetchall(f"SELECT * FROM {t}")) for t in tables}


def _assert_hash_table_complete(container: Container) -> None:
    """One row per logged event with its own hashes, and every subtree of those leaves."""
    app = container.ledger
    notifications = app.recorder.select_notifications(1, 1_000_000)
    expected = [(n.id, *hashes_of(app.mapper.to_domain_event(n))) for n in notifications]
    rows = container.db.fetchall(
        "SELECT position, hash, leaf_hash FROM event_hashes ORDER BY position")
    assert [(int(r["position"]), r["hash"], r["leaf_hash"]) for r in rows] == expected
    nodes = {(int(r["level"]), int(r["idx"])): r["hash"]
             for r in container.db.fetchall("SELECT level, idx, hash FROM merkle_nodes")}
    want = subtrees.all_subtrees([bytes.fromhex(leaf) for _, _, leaf in expected])
    assert nodes == {key: value.hex() for key, value in want.items()}


def _case_events(container: Container) -> list[tuple[Any, ...]]:
    rows = container.db.fetchall("SELECT case_id, version FROM case_events")
    return sorted((r["case_id"], int(r["version"])) for r in rows)


def test_the_switch_replays_at_most_its_bound_when_the_read_models_were_far_behind(
        container: Container) -> None:
    """Read models that never followed (as after `import --no-catch-up`): the kept-live hash
    table is brought from 0 to the end before the lock, so the switch replays at most one batch
    under it, not the whole log; the tables end as a catch-up makes them."""
    for i in range(12):
        rejected_with_return(container.ledger, f"SW-1-{i}")
    events = container.runner.log_position()
    assert container.runner.position() == 0 and events == 12 * 9
    report = SwitchReport()
    assert container.runner.rebuild(batch_size=10, report=report) == events
    print(f"\nswitch ({container.settings.backend}): {report}")
    assert report.locked_events <= 10 < events
    assert report.lock_attempts >= 1 and report.unlocked_rounds >= 1
    assert container.runner.position() == events
    _assert_hash_table_complete(container)
    rebuilt = _read_models(container)
    assert container.runner.rebuild() == events  # (now from read models that were current)
    assert _read_models(container) == rebuilt


def test_events_recorded_during_a_rebuild_are_projected_exactly_once(
        container: Container) -> None:
    """While the build runs, new cases are recorded and the live runner follows part of them:
    after the switch and a catch-up every event is in the tables once (none lost among those
    the build had not seen, none doubled among those the live runner had applied)."""
    for i in range(6):
        screened_applicant(container.ledger, f"SW-2-{i}")
    follower = threading.Thread(target=container.runner.run_once, args=(8,))
    follower.start()  # live tables part way
    follower.join(timeout=60)
    recorded = [0]

    def write_meanwhile(position: int, target: int) -> None:
        if recorded[0] < 5:
            recorded[0] += 1
            screened_applicant(container.ledger, f"SW-2-during-{recorded[0]}")
            # The live runner follows from another thread, as the server's does (projection
            # state kept between batches is per thread; this one's belongs to the build).
            follower = threading.Thread(target=container.runner.run_once, args=(4,))
            follower.start()
            follower.join(timeout=60)

    report = SwitchReport()
    container.runner.rebuild(write_meanwhile, batch_size=7, report=report)
    assert recorded[0] == 5
    assert report.locked_events <= 7
    container.runner.catch_up()
    events = container.runner.log_position()
    assert events == 11 * 6 and container.runner.position() == events
    case_events = _case_events(container)
    assert len(case_events) == len(set(case_events)) == events
    _assert_hash_table_complete(container)
    live = _read_models(container)
    assert container.runner.rebuild() == events
    assert _read_models(container) == live
