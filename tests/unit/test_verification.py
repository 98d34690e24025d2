"""The pure verifier on synthetic logs: each kind of tampering names the first bad event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ledger import verification as v
from ledger.integrity import canonical_record, event_hash
from ledger.proofs import leaf_hash, root
from ledger.verification import SavedDigest, Stored, Witness

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class Note:
    """A plain event object with what the canonical encoding reads."""

    TOPIC = "test:Note"

    def __init__(self, stream: str, version: int, text: str, previous: str | None) -> None:
        self.originator_id, self.originator_version = stream, version
        self.timestamp = T0 + timedelta(minutes=version)
        self.envelope = {"previous_hash": previous}
        self.text = text


def chain(stream: str, n: int, chained: bool = True) -> list[Note]:
    notes: list[Note] = []
    for version in range(1, n + 1):
        previous = event_hash(notes[-1]) if notes and chained else None
        notes.append(Note(stream, version, f"{stream} step {version}", previous))
    return notes


def relabel(note: Note, version: int) -> Note:
    """The same stored content under another version number (as an UPDATE would leave it)."""
    moved = Note(note.originator_id, version, note.text, note.envelope["previous_hash"])
    moved.timestamp = note.timestamp
    return moved


def log(*streams: list[Note]) -> list[Stored]:
    """Interleave the streams round-robin; positions 1..N."""
    out, i = [], 0
    while any(i < len(s) for s in streams):
        out += [s[i] for s in streams if i < len(s)]
        i += 1
    return [Stored(p, n.originator_id, n.originator_version, n) for p, n in enumerate(out, 1)]


def witness_of(rows: list[Stored]) -> list[Witness]:
    return [Witness(r.position or 0, r.stream, r.version, event_hash(r.event),
                    leaf_hash(canonical_record(r.event)).hex()) for r in rows]


def digest_of(rows: list[Stored]) -> SavedDigest:
    leaves = [leaf_hash(canonical_record(r.event)) for r in rows]
    return SavedDigest(len(leaves), root(leaves).hex())


def at(rows: list[Stored], stream: str, version: int) -> int:
    return next(i for i, r in enumerate(rows) if (r.stream, r.version) == (stream, version))


def put(rows: list[Stored], i: int, note: Note) -> None:
    rows[i] = rows[i]._replace(version=note.originator_version, event=note)


def first(rows: list[Stored], **kwargs: Any) -> tuple[int | None, int | None, str]:
    report = v.verify(rows, **kwargs)
    assert not report.valid and report.first_problem is not None
    p = report.first_problem
    return p.position, p.version, p.reason


def test_an_untouched_log_is_valid_and_counted() -> None:
    rows = log(chain("a", 5), chain("b", 3), chain("s", 4, chained=False))
    report = v.verify(rows, witness_of(rows), digest_of(rows))
    assert report.valid and report.events_checked == 12 and report.size == 12
    assert report.root == digest_of(rows).root


def test_an_altered_event_is_named_by_its_successor() -> None:
    rows = log(chain("a", 5), chain("b", 3))
    i = at(rows, "a", 3)
    put(rows, i, Note("a", 3, "forged", rows[i].event.envelope["previous_hash"]))
    assert first(rows) == (rows[i].position, 3, v.ALTERED)
    assert first(rows, witness=witness_of(log(chain("a", 5), chain("b", 3)))) == \
        (rows[i].position, 3, v.ALTERED)


def test_an_altered_last_event_needs_the_table_or_a_digest() -> None:
    original = log(chain("a", 4))
    rows = list(original)
    put(rows, 3, Note("a", 4, "forged", rows[3].event.envelope["previous_hash"]))
    assert v.verify(rows).valid  # nothing in the stream vouches for its last event
    assert first(rows, witness=witness_of(original)) == (4, 4, v.ALTERED)
    assert first(rows, saved=digest_of(original)) == (None, None, v.DIGEST_MISMATCH)
    # The attacker fixed the table too: only the saved digest still tells.
    report = v.verify(rows, witness_of(rows), digest_of(original))
    assert [p.reason for p in report.problems] == [v.DIGEST_MISMATCH]
    assert "does not match it either" in report.problems[0].detail


def test_a_changed_table_is_blamed_when_the_store_matches_the_saved_digest() -> None:
    rows = log(chain("a", 4))
    table = witness_of(rows)
    table[1] = table[1]._replace(leaf_hash="00" * 32)
    assert first(rows, witness=table) == (2, 2, v.ALTERED)
    assert first(rows, witness=table, saved=digest_of(rows)) == (2, 2, v.TABLE_MISMATCH)


def test_a_deleted_event_is_placed_where_the_table_saw_it() -> None:
    rows = log(chain("a", 5), chain("b", 5))
    table = witness_of(rows)
    gone = rows.pop(at(rows, "a", 3))
    after = rows[at(rows, "a", 4)].position
    assert first(rows) == (after, 3, v.DELETED)
    assert first(rows, witness=table) == (gone.position, 3, v.DELETED)


def test_a_deletion_hidden_by_renumbering() -> None:
    notes = chain("a", 6)
    rows = log([*notes[:2], *(relabel(n, n.originator_version - 1) for n in notes[3:])])
    assert first(rows) == (3, 3, v.DELETED)


def test_a_deletion_renumbered_at_the_end_is_found_with_the_table() -> None:
    notes = chain("a", 5)
    original = log(notes)
    rows = [*original[:3], Stored(5, "a", 4, relabel(notes[4], 4))]
    assert first(rows) == (3, 3, v.ALTERED)  # the chain alone cannot tell
    assert first(rows, witness=witness_of(original)) == (4, 4, v.DELETED)


def test_a_copy_recorded_as_a_new_version_is_inserted() -> None:
    rows = log(chain("a", 5), chain("b", 2))
    for copied in (2, 5):
        tampered = [*rows, Stored(99, "a", 6, relabel(rows[at(rows, "a", copied)].event, 6))]
        assert first(tampered) == (99, 6, v.INSERTED)


def test_a_forged_event_slipped_into_the_middle_is_inserted() -> None:
    notes = chain("a", 5)
    forged = Note("a", 3, "forged", event_hash(notes[1]))
    shifted = [relabel(n, n.originator_version + 1) for n in notes[2:]]
    rows = log([*notes[:2], forged, *shifted])
    assert first(rows) == (3, 3, v.INSERTED)
    # ... or appended to the log, its successors renumbered in place
    copy = relabel(notes[1], 3)
    rows = [*log([*notes[:2], *shifted]), Stored(50, "a", 3, copy)]
    assert first(rows) == (50, 3, v.INSERTED)


def test_swapped_versions_or_contents_are_reordered() -> None:
    notes = chain("a", 6)
    rows = log(notes)
    swapped = list(rows)
    put(swapped, 2, relabel(notes[2], 4))
    put(swapped, 3, relabel(notes[3], 3))
    assert first(swapped) == (3, 4, v.REORDERED)
    for j in (3, 4):  # adjacent and not
        contents = list(rows)
        put(contents, 2, relabel(notes[j], 3))
        put(contents, j, relabel(notes[2], j + 1))
        assert first(contents) == (3, 3, v.REORDERED)


def test_a_removed_previous_hash_and_an_undecodable_row() -> None:
    rows = log(chain("a", 4))
    put(rows, 2, Note("a", 3, "a step 3", None))
    assert first(rows) == (3, 3, v.ALTERED)
    rows = log(chain("a", 4))
    rows[1] = Stored(2, "a", 2, None, "JSONDecodeError: bad")
    assert first(rows) == (2, 2, v.UNDECODABLE)


def test_streams_without_a_chain_rely_on_the_table() -> None:
    original = log(chain("s", 4, chained=False))
    rows = list(original)
    put(rows, 1, Note("s", 2, "forged", None))
    assert v.verify(rows).valid
    assert first(rows, witness=witness_of(original)) == (2, 2, v.ALTERED)


def test_the_first_bad_event_comes_first_in_the_log() -> None:
    rows = log(chain("a", 5), chain("b", 5))
    late, early = at(rows, "a", 4), at(rows, "b", 2)
    put(rows, late, Note("a", 4, "x", rows[late].event.envelope["previous_hash"]))
    put(rows, early, Note("b", 2, "y", rows[early].event.envelope["previous_hash"]))
    report = v.verify(rows)
    assert [(p.stream, p.version) for p in report.problems] == [("b", 2), ("a", 4)]
