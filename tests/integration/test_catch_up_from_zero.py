"""A catch-up from position 0, or with most of the log still to apply, goes through the
rebuild's build and switch (on both backends): the live tables stay where they were until the
switch puts every row in at once, the tables end as a batch-by-batch catch-up makes them, and a
catch-up stopped part-way leaves them empty at 0 for the next one to build afresh."""

from __future__ import annotations

import pytest

from pact_ledger.wiring import Container
from tests.support.flows import rejected_with_return


def _read_models(container: Container) -> dict[str, list[tuple[str, ...]]]:
    tables = [t for p in container.runner.projections for t in p.tables]
    return {t: sorted(tuple(str(v) for v in dict(r).values())
                      for r in container.db.fetchall(f"SELECT * FROM {t}")) for t in tables}


def _empty(container: Container) -> None:
    with container.db.transaction() as tx:
        for table in (t for p in container.runner.projections for t in p.tables):
            tx.execute(f"DELETE FROM {table}")
        tx.execute("UPDATE projection_tracking SET position = 0")


def _live_cases(container: Container) -> int:
    return int(container.db.fetchone("SELECT COUNT(*) AS n FROM case_list")["n"])  # type: ignore[index]


class _Stop(Exception):
    pass


def test_a_catch_up_from_zero_builds_beside_the_live_tables_and_ends_as_batches_do(
        container: Container) -> None:
    for i in range(8):
        rejected_with_return(container.ledger, f"CZ-1-{i}")
    events = container.runner.log_position()
    container.runner.build_when_behind = 1
    seen: list[tuple[int, int, int]] = []

    def progress(position: int, target: int) -> None:
        seen.append((position, container.runner.position(), _live_cases(container)))

    assert container.runner.catch_up(progress, batch_size=10) == events
    built = [s for s in seen if s[0] < events]
    # The build advanced batch by batch while the live tables stayed at 0 and empty.
    assert len(built) >= 3 and all(live == 0 and cases == 0 for _, live, cases in built)
    assert container.runner.position() == events
    via_build = _read_models(container)
    assert via_build["case_list"]

    _empty(container)
    container.runner.build_when_behind = 0  # batch by batch in place, as before
    seen.clear()
    assert container.runner.catch_up(progress, batch_size=10) == events
    assert any(0 < live < events for _, live, _ in seen)
    assert _read_models(container) == via_build


def test_a_catch_up_with_most_of_the_log_to_apply_builds_and_with_less_goes_in_place(
        container: Container) -> None:
    """An import's catch-up starts after the recognition rates' two events were applied: the
    build still pays (in place, 1.15M events ran at a fifth of its rate). With more than half
    applied already, the rest goes batch by batch: a build would apply everything again."""
    for i in range(8):
        rejected_with_return(container.ledger, f"CZ-4-{i}")
    events = container.runner.log_position()
    container.runner.catch_up()  # (small log: batch by batch) the tables to compare with
    expected = _read_models(container)
    container.runner.build_when_behind = 1
    seen: list[tuple[int, int]] = []

    def progress(position: int, target: int) -> None:
        seen.append((position, container.runner.position()))

    _empty(container)
    assert container.runner.run_once(3) == 3  # (a few applied in place)
    assert container.runner.catch_up(progress, batch_size=10) == events  # (all, again)
    built = [live for position, live in seen if position < events]
    assert len(built) >= 3 and set(built) == {3}  # the live tables stayed where they were
    assert _read_models(container) == expected

    _empty(container)
    applied = events // 2 + 1
    assert container.runner.run_once(applied) == applied
    seen.clear()
    assert container.runner.catch_up(progress, batch_size=10) == events - applied
    assert any(applied < live < events for _, live in seen)  # in place, batch by batch
    assert _read_models(container) == expected


def test_a_catch_up_from_zero_stopped_part_way_leaves_the_live_tables_for_the_next(
        container: Container) -> None:
    for i in range(8):
        rejected_with_return(container.ledger, f"CZ-2-{i}")
    events = container.runner.log_position()
    container.runner.catch_up()  # (small log: batch by batch) the tables to compare with
    expected = _read_models(container)
    _empty(container)
    container.runner.build_when_behind = 1
    calls = [0]

    def stop_part_way(position: int, target: int) -> None:
        calls[0] += 1
        if calls[0] == 3:
            raise _Stop

    with pytest.raises(_Stop):
        container.runner.catch_up(stop_part_way, batch_size=10)
    assert container.runner.position() == 0 and _live_cases(container) == 0
    assert container.runner.catch_up(batch_size=10) == events
    assert container.runner.position() == events
    assert _read_models(container) == expected


def _hashes(container: Container) -> dict[str, list[tuple[str, ...]]]:
    return {t: sorted(tuple(str(v) for v in dict(r).values())
                      for r in container.db.fetchall(f"SELECT * FROM {t}"))
            for t in ("event_hashes", "merkle_nodes")}


def test_a_catch_up_from_zero_decodes_each_event_once_for_the_build_and_the_hash_table(
        container: Container) -> None:
    """The projections kept live (the hash table) take the batches the build decoded
    (`blue_green._Build.feed_kept`) rather than read and decode the log a second time; with
    the hash table emptied too, it ends as a batch-by-batch catch-up fills it."""
    for i in range(8):
        rejected_with_return(container.ledger, f"CZ-3-{i}")
    events = container.runner.log_position()
    container.runner.catch_up()  # (small log: batch by batch) the tables to compare with
    expected, hashes = _read_models(container), _hashes(container)
    assert len(hashes["event_hashes"]) == events
    _empty(container)
    with container.db.transaction() as tx:
        tx.execute("DELETE FROM event_hashes")
        tx.execute("DELETE FROM merkle_nodes")
    mapper = container.ledger.mapper
    decode, decoded = mapper.to_domain_event, [0]

    def counted(notification: object) -> object:
        decoded[0] += 1
        return decode(notification)  # type: ignore[arg-type]

    mapper.to_domain_event = counted  # type: ignore[method-assign,assignment]
    container.runner.build_when_behind = 1
    assert container.runner.catch_up(batch_size=10) == events
    assert decoded[0] == events
    assert _read_models(container) == expected
    assert _hashes(container) == hashes
