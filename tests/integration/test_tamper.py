"""Tampering with the stored rows directly in SQLite and PostgreSQL: verification fails and
names the first bad event (position, version, reason); an untouched ledger verifies."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

import pytest

from ledger import proofs, subtrees
from ledger import verification as v
from ledger.verification import Problem, SavedDigest
from pact_ledger.wiring import Container
from projections.integrity_projection import extend_subtrees
from tests.support.flows import rejected_with_return, screened_applicant
from tests.support.tamper import StoredRows

pytestmark = pytest.mark.storage


@dataclass
class Recorded:
    a: UUID  # rejected with a return decision: 9 events or so
    b: UUID  # screened applicant: 5 or 6
    c: UUID  # like a
    saved: SavedDigest  # the digest an auditor kept once all three were recorded
    rows: StoredRows

    def at(self, case: UUID, version: int) -> int:
        return self.rows.positions(case)[version]

    def last(self, case: UUID) -> int:
        return max(self.rows.positions(case))


@pytest.fixture
def recorded(container: Container) -> Iterator[Recorded]:
    a = rejected_with_return(container.ledger, "IT-T-1")
    b = screened_applicant(container.ledger, "IT-T-2")
    c = rejected_with_return(container.ledger, "IT-T-3")
    container.runner.catch_up()
    digest = container.reads.integrity.digest()
    rows = StoredRows(container.settings)
    yield Recorded(a, b, c, SavedDigest(digest.size, digest.root), rows)
    rows.close()


def first_bad(container: Container, saved: SavedDigest | None = None) -> Problem:
    report = container.reads.integrity.verify_ledger(saved)
    assert not report.valid and report.first_problem is not None, report
    return report.first_problem


def expect(problem: Problem, position: int, case: UUID, version: int, reason: str) -> None:
    got = (problem.position, problem.stream, problem.version, problem.reason)
    assert got == (position, str(case), version, reason), problem.detail


def test_an_untouched_ledger_verifies(container: Container, recorded: Recorded) -> None:
    integrity = container.reads.integrity
    report = integrity.verify_ledger(recorded.saved)
    stored = sum(len(recorded.rows.positions(c)) for c in (recorded.a, recorded.b, recorded.c))
    assert report.valid and report.events_checked == stored == recorded.saved.size
    assert report.root == recorded.saved.root
    for case in (recorded.a, recorded.b, recorded.c):
        case_report = integrity.verify_case(case)
        assert case_report is not None and case_report.valid
    assert integrity.verify_case(UUID(int=7)) is None


def test_an_event_altered_in_the_middle_of_a_stream(container: Container,
                                                    recorded: Recorded) -> None:
    position = recorded.at(recorded.a, 4)
    recorded.rows.alter_actor(position)
    expect(first_bad(container), position, recorded.a, 4, v.ALTERED)
    case_report = container.reads.integrity.verify_case(recorded.a)
    assert case_report is not None and case_report.first_problem is not None
    expect(case_report.first_problem, position, recorded.a, 4, v.ALTERED)
    untouched = container.reads.integrity.verify_case(recorded.b)
    assert untouched is not None and untouched.valid


def test_the_last_event_of_a_stream_against_a_saved_digest(container: Container,
                                                           recorded: Recorded) -> None:
    last = recorded.last(recorded.b)
    position = recorded.at(recorded.b, last)
    recorded.rows.alter_actor(position)
    expect(first_bad(container, recorded.saved), position, recorded.b, last, v.ALTERED)
    # The attacker rewrites the hash table to match: only the saved digest still tells.
    (note,) = container.ledger.recorder.select_notifications(position, 1)
    chain, leaf_bytes = proofs.descriptor_hashes(note.topic, str(note.originator_id),
                                                 note.originator_version, note.state)
    leaf = leaf_bytes.hex()
    with container.db.transaction() as tx:
        tx.execute("UPDATE event_hashes SET hash = ?, leaf_hash = ? WHERE position = ?",
                   (chain, leaf, position))
    # The stored subtrees still hold the leaf as first seen: they disagree with the table.
    caught = container.reads.integrity.verify_ledger().problems
    assert (position, v.SUBTREE_MISMATCH) in {(p.position, p.reason) for p in caught}
    with container.db.transaction() as tx:  # so the attacker recomputes them too
        tx.execute("DELETE FROM merkle_nodes")
        extend_subtrees(tx)
    assert container.reads.integrity.verify_ledger().valid
    problem = first_bad(container, recorded.saved)
    assert (problem.position, problem.reason) == (None, v.DIGEST_MISMATCH)


def test_a_deleted_event(container: Container, recorded: Recorded) -> None:
    position = recorded.at(recorded.c, 5)
    recorded.rows.delete(position)
    expect(first_bad(container), position, recorded.c, 5, v.DELETED)


def test_a_deleted_event_with_the_later_versions_renumbered(container: Container,
                                                            recorded: Recorded) -> None:
    position = recorded.at(recorded.c, 5)
    recorded.rows.delete(position)
    recorded.rows.shift_versions(recorded.c, 5, -1)
    expect(first_bad(container), position, recorded.c, 5, v.DELETED)


def test_an_inserted_copy_as_a_new_version(container: Container, recorded: Recorded) -> None:
    version = recorded.last(recorded.a) + 1
    copy = recorded.rows.copy_as(recorded.at(recorded.a, 3), version)
    expect(first_bad(container), copy, recorded.a, version, v.INSERTED)


def test_an_inserted_event_with_the_later_versions_renumbered(container: Container,
                                                              recorded: Recorded) -> None:
    source = recorded.at(recorded.a, 3)
    recorded.rows.shift_versions(recorded.a, 3, 1)
    copy = recorded.rows.copy_as(source, 4)
    expect(first_bad(container), copy, recorded.a, 4, v.INSERTED)


def test_two_events_swapped_by_version(container: Container, recorded: Recorded) -> None:
    first, second = recorded.at(recorded.a, 4), recorded.at(recorded.a, 5)
    recorded.rows.swap_versions(first, second)
    expect(first_bad(container), first, recorded.a, 5, v.REORDERED)


def test_two_events_swapped_by_content(container: Container, recorded: Recorded) -> None:
    first, second = recorded.at(recorded.c, 6), recorded.at(recorded.c, 7)
    recorded.rows.swap_contents(first, second)
    expect(first_bad(container), first, recorded.c, 6, v.REORDERED)
    case_report = container.reads.integrity.verify_case(recorded.c)
    assert case_report is not None and case_report.first_problem is not None
    expect(case_report.first_problem, first, recorded.c, 6, v.REORDERED)


def test_an_undecodable_row(container: Container, recorded: Recorded) -> None:
    position = recorded.at(recorded.b, 2)
    recorded.rows.set_state(position, b"{not json")
    expect(first_bad(container), position, recorded.b, 2, v.UNDECODABLE)


def test_a_row_that_cannot_be_read(container: Container, recorded: Recorded) -> None:
    """SQLite: an id the recorder cannot parse (it fails the whole batch); PostgreSQL types that
    column, so a topic no event class has."""
    position = recorded.at(recorded.b, 3)
    if recorded.rows.sqlite:
        recorded.rows.garble_stream_id(position)
    else:
        recorded.rows.set_topic(position, "pact-ledger:case.NoSuchEvent")
    report = container.reads.integrity.verify_ledger()
    problem = report.first_problem
    assert problem is not None and (problem.position, problem.reason) == \
        (position, v.UNDECODABLE)
    assert report.events_checked == recorded.saved.size


def test_a_later_digest_extends_a_saved_one_until_history_changes(
        container: Container, recorded: Recorded) -> None:
    integrity = container.reads.integrity
    added = len(recorded.rows.positions(screened_applicant(container.ledger, "IT-T-4")))
    container.runner.catch_up()
    now = integrity.digest()
    proof = integrity.consistency(recorded.saved.size)
    assert proof is not None and now.size == recorded.saved.size + added
    assert proofs.verify_consistency(
        recorded.saved.size, now.size, bytes.fromhex(recorded.saved.root),
        bytes.fromhex(now.root), [bytes.fromhex(p) for p in proof.path])
    assert integrity.verify_ledger(recorded.saved).valid

    # An early event changed in the store: the log no longer extends the saved digest.
    position = recorded.at(recorded.a, 2)
    recorded.rows.alter_actor(position)
    report = integrity.verify_ledger(recorded.saved)
    assert [p.reason for p in report.problems] == [v.ALTERED, v.DIGEST_MISMATCH]
    expect(report.problems[0], position, recorded.a, 2, v.ALTERED)
    # ... and in the hash table too (and the subtrees the proofs are served from, recomputed
    # from it): the served proof no longer leads to the saved root.
    with container.db.transaction() as tx:
        tx.execute("UPDATE event_hashes SET leaf_hash = ? WHERE position = ?",
                   ("00" * 32, position))
        tx.execute("DELETE FROM merkle_nodes")
        extend_subtrees(tx)
    proof = integrity.consistency(recorded.saved.size)
    assert proof is not None and proof.from_root != recorded.saved.root
    assert not proofs.verify_consistency(
        recorded.saved.size, proof.to_size, bytes.fromhex(recorded.saved.root),
        bytes.fromhex(proof.to_root), [bytes.fromhex(p) for p in proof.path])


# --- changes that keep the instant but change its text (issue 10, defect 2) -------------------
@pytest.mark.parametrize("hours", [-11, 14])
def test_a_legal_times_offset_changed_keeping_the_instant(container: Container,
                                                          recorded: Recorded, hours: int) -> None:
    """Deadlines run on the stored local calendar: the offset is part of what is hashed."""
    position = recorded.at(recorded.a, 4)
    recorded.rows.reoffset(position, hours)
    expect(first_bad(container), position, recorded.a, 4, v.ALTERED)
    case_report = container.reads.integrity.verify_case(recorded.a)
    assert case_report is not None and case_report.first_problem is not None
    expect(case_report.first_problem, position, recorded.a, 4, v.ALTERED)


def test_the_last_events_offset_changed_against_a_saved_digest(container: Container,
                                                               recorded: Recorded) -> None:
    last = recorded.last(recorded.b)
    position = recorded.at(recorded.b, last)
    recorded.rows.reoffset(position, -5)
    expect(first_bad(container, recorded.saved), position, recorded.b, last, v.ALTERED)


def test_a_recording_times_offset_changed_keeping_the_instant(container: Container,
                                                              recorded: Recorded) -> None:
    position = recorded.at(recorded.c, 3)
    recorded.rows.reoffset(position, 9, recorded=True)
    expect(first_bad(container), position, recorded.c, 3, v.ALTERED)


def test_an_offset_change_hidden_behind_the_old_hash_format(container: Container,
                                                            recorded: Recorded) -> None:
    """Format 1 normalised offsets; claiming it for a new event changes the hashed bytes."""
    position = recorded.at(recorded.a, 2)
    recorded.rows.downgrade_hash_format(position)
    recorded.rows.reoffset(position, 3)
    expect(first_bad(container), position, recorded.a, 2, v.ALTERED)


def _table_leaves(container: Container) -> list[bytes]:
    return container.reads.integrity.table.leaves()[1]


def test_a_changed_stored_subtree_is_caught_by_verify(container: Container,
                                                      recorded: Recorded) -> None:
    integrity = container.reads.integrity
    assert integrity.digest().root == proofs.root(_table_leaves(container)).hex()
    first = recorded.at(recorded.a, 1)
    assert recorded.saved.size >= 16
    with container.db.transaction() as tx:  # the node over leaves 0..15, read for every root
        tx.execute("UPDATE merkle_nodes SET hash = ? WHERE level = 4 AND idx = 0", ("00" * 32,))
    assert integrity.digest().root != recorded.saved.root
    problem = first_bad(container)
    assert (problem.position, problem.reason) == (first, v.SUBTREE_MISMATCH), problem.detail


def test_a_missing_or_behind_subtree_store_gives_the_same_roots_and_proofs(
        container: Container, recorded: Recorded) -> None:
    integrity = container.reads.integrity
    leaves = _table_leaves(container)
    n = len(leaves)
    position = recorded.at(recorded.b, 2)
    before = integrity.inclusion(position)
    assert before is not None and before.root == recorded.saved.root
    for kept in (0, 1, 5, 16, n - 1):
        with container.db.transaction() as tx:  # a store cut back to `kept` leaves (or none)
            tx.execute("DELETE FROM merkle_nodes")
            extend_subtrees(tx)
            tx.execute("SELECT level, idx FROM merkle_nodes")
            for row in tx.fetchall():
                if (int(row["idx"]) + 1) << int(row["level"]) > kept:
                    tx.execute("DELETE FROM merkle_nodes WHERE level = ? AND idx = ?",
                               (row["level"], row["idx"]))
        assert integrity.digest().root == recorded.saved.root
        assert integrity.inclusion(position) == before
        assert integrity.inclusion(position, n - 1) is not None
        proof = integrity.consistency(3, n)
        assert proof is not None and proof.from_root == proofs.root(leaves[:3]).hex()
        assert proof.path == [p.hex() for p in proofs.consistency_proof(3, leaves)]
    # the next batch extends the store from where it stopped, to what all leaves give
    screened_applicant(container.ledger, "IT-T-4")
    container.runner.catch_up()
    leaves = _table_leaves(container)
    stored = {(level, index): value for level, index, value, _ in integrity.table.subtrees(7)}
    assert stored == {key: value.hex() for key, value in subtrees.all_subtrees(leaves).items()}
    assert integrity.digest().root == proofs.root(leaves).hex()
    assert integrity.verify_ledger().valid


def test_a_blue_green_rebuild_keeps_the_subtree_store_whole(container: Container,
                                                           recorded: Recorded) -> None:
    integrity = container.reads.integrity
    container.runner.rebuild()
    screened_applicant(container.ledger, "IT-T-5")
    container.runner.catch_up()
    leaves = _table_leaves(container)
    stored = {(level, index): value for level, index, value, _ in integrity.table.subtrees()}
    assert stored == {key: value.hex() for key, value in subtrees.all_subtrees(leaves).items()}
    now = integrity.digest()
    assert now.size == len(leaves) > recorded.saved.size
    assert now.root == proofs.root(leaves).hex()
    assert integrity.verify_ledger(recorded.saved).valid
