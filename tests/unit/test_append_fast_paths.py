"""The append path's cheaper encodings give the very bytes of their reference definitions
(`ledger.proofs`, the transcoder): the command fingerprint through a reused encoder, a format-3
event's descriptor put together from parts instead of a `json.dumps` per event, and a case
event's stored JSON written from its envelope's parts instead of through the transcodings."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
from datetime import UTC, datetime, timedelta, timezone

from eventsourcing.utils import get_topic

from ledger import proofs
from ledger.application import Ledger
from ledger.command_fingerprint import fingerprint, fingerprinted_record
from ledger.envelope import Actor, LegalBasis
from ledger.errors import LedgerError
from ledger.event_bytes import encode, stored_state, transcoder
from ledger.integrity import event_hash, event_hashes, new_event_hash
from pact_ledger.demo import demo_script


def _recorded_ledger() -> tuple[Ledger, list[tuple[object, object]]]:
    ledger = Ledger()
    script = list(demo_script(6, 4, datetime.now(UTC)))
    for command, meta in script:
        try:
            ledger.handle(command, meta)
        except LedgerError:
            pass
    return ledger, script


def test_fingerprints_are_the_canonical_bytes_hashed() -> None:
    _, script = _recorded_ledger()
    accented = [(dataclasses.replace(c, national_reference=c.national_reference + "-é\u2028\"")
                 if hasattr(c, "national_reference") else c, m) for c, m in script[:20]]
    # metas with legal bases and evidence (texts to escape), another offset, and values the
    # outer record is not written for (a subclass of str, of LegalBasis; not a tuple)
    metas = [dataclasses.replace(
        meta, legal_basis=(LegalBasis("APR", "Art 27(1)"), LegalBasis("AMMR ü", "Art 1\t\"")),
        evidence_refs=("ref-1", "réf \"2\"\u2028"),
        occurred_at=meta.occurred_at.astimezone(timezone(timedelta(hours=5, minutes=45))))
        for _, meta in script[:10]]
    metas += [dataclasses.replace(script[0][1], evidence_refs=(_Text("ref"),)),
              dataclasses.replace(script[0][1], legal_basis=(_Basis("APR", "Art 1"),)),
              dataclasses.replace(script[0][1], legal_basis=(LegalBasis("APR", _Text("1")),)),
              dataclasses.replace(script[0][1], evidence_refs=["ref"])]  # type: ignore[arg-type]
    varied = [(command, meta) for command, _ in script[:len(metas)] for meta in metas]
    for command, meta in script + accented + varied:
        expected = hashlib.sha256(
            proofs.canonical_bytes(fingerprinted_record(command, meta))).hexdigest()
        assert fingerprint(command, meta) == expected, type(command).__name__


def test_event_hashes_are_the_descriptors_hashes() -> None:
    ledger, _ = _recorded_ledger()
    events = [event for notification in ledger.recorder.select_notifications(1, 10_000)
              for event in [ledger.mapper.to_domain_event(notification)]]
    assert len(events) > 30
    for event in events:
        expected = proofs.descriptor_hashes(get_topic(type(event)), str(event.originator_id),
                                            event.originator_version, encode(event))
        assert event_hashes(event) == expected, type(event).__name__
    assert {type(e).__name__ for e in events} >= {"CaseOpened", "ScreeningStarted"}


class _Text(str):
    """A subclass of str: the C encoder writes it as the str it is."""

    def __str__(self) -> str:
        return "not this"


@dataclasses.dataclass(frozen=True)
class _Basis(LegalBasis):
    """A subclass of LegalBasis (with a field more)."""

    note: str = "n"


def _transcoded(event: object) -> bytes:
    """The reference: the state as the transcoder itself encodes it (`Mapper.to_stored_event`)."""
    return transcoder().encode(stored_state(event))


def test_case_event_json_is_the_transcoders() -> None:
    ledger, _ = _recorded_ledger()
    events = [ledger.mapper.to_domain_event(n)
              for n in ledger.recorder.select_notifications(1, 10_000)]
    # The same events with texts a JSON encoder must escape, no previous hash, evidence and
    # several legal bases, and an envelope of format 1 (written by the transcoder itself).
    odd = Actor('id "quoted" \\ é\u2028\x00', "CASE_WORKER", "Behörde\n", "DE")
    variants = []
    for event in events[:40]:
        envelope = event.envelope  # type: ignore[attr-defined]
        for changed in (
            dataclasses.replace(envelope, actor=odd, previous_hash=None,
                                evidence_refs=("ref-1", "réf \"2\""),
                                legal_basis=(LegalBasis("APR", "Art 27(1)"),
                                             LegalBasis("AMMR ü", "Art 1\t"))),
            dataclasses.replace(envelope, hash_format=1),
            # texts that are not a str (written by the transcoder) or a subclass of str
            dataclasses.replace(envelope, command_fingerprint=None, previous_hash=None),
            dataclasses.replace(envelope, causation_id=None),  # type: ignore[arg-type]
            dataclasses.replace(envelope, command_id=_Text("cmd \"1\""),
                                actor=Actor("a", _Text("CASE_WORKER"), "x", "DE"),
                                evidence_refs=(_Text("ref"), "b", "c")),
            dataclasses.replace(envelope, legal_basis=()),
            dataclasses.replace(envelope, legal_basis=(LegalBasis("APR", 7),)),  # type: ignore[arg-type]
            dataclasses.replace(envelope, evidence_refs=("ref", 7)),  # type: ignore[arg-type]
            dataclasses.replace(envelope, occurred_at=envelope.occurred_at.astimezone(
                timezone(timedelta(hours=-3, minutes=-30)))),
        ):
            twin = copy.copy(event)
            vars(twin)["envelope"] = changed
            variants.append(twin)
    assert {type(e).__name__ for e in events} >= {"CaseOpened", "ScreeningStarted"}
    for event in events + variants:
        assert encode(event) == _transcoded(event), type(event).__name__


def test_chain_hash_is_the_first_of_the_event_hashes() -> None:
    ledger, _ = _recorded_ledger()
    events = [ledger.mapper.to_domain_event(n)
              for n in ledger.recorder.select_notifications(1, 10_000)]
    for event in events:
        expected = proofs.descriptor_hashes(get_topic(type(event)), str(event.originator_id),
                                            event.originator_version, encode(event))[0]
        assert event_hash(event) == expected, type(event).__name__


def test_a_new_events_hash_is_its_chain_hash_and_its_bytes_are_held_for_the_mapper() -> None:
    ledger, _ = _recorded_ledger()
    events = [ledger.mapper.to_domain_event(n)
              for n in ledger.recorder.select_notifications(1, 10_000)]
    for event in events:
        fresh = copy.copy(event)  # an object whose bytes are not held yet
        assert new_event_hash(fresh) == event_hash(event), type(event).__name__
        assert ledger.mapper.to_stored_event(fresh).state == ledger.mapper.to_stored_event(
            event).state == encode(event)


def test_the_outcome_built_without_init_is_the_dataclass_s() -> None:
    """`application._outcome` skips `Outcome.__init__` (frozen dataclass): it must give the very
    value, field order and all, that the constructor gives, and stay frozen."""
    from uuid import uuid4

    from ledger.application import Outcome, _outcome

    case_id = uuid4()
    made = _outcome(case_id, 3, (7, 8), ("CaseOpened", "Registered"), "cmd-1")
    plain = Outcome(aggregate_id=case_id, version=3, positions=(7, 8),
                    event_types=("CaseOpened", "Registered"), command_id="cmd-1")
    assert made == plain
    assert list(vars(made)) == [f.name for f in dataclasses.fields(Outcome)]
    try:
        made.version = 4  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("the outcome is not frozen")


def test_the_step_built_without_init_is_the_dataclass_s() -> None:
    """`command_checks.step_of` skips `Step.__init__` (frozen dataclass): the same fields in
    the same order as the constructor's, and frozen."""
    from ledger.command_checks import checked, step_of
    from ledger.envelope import Step

    ledger, script = _recorded_ledger()
    now = datetime.now(UTC)
    for command, meta in script[:60]:
        try:
            _, command, meta = checked(ledger, command, meta, now)
        except LedgerError:
            continue
        made = step_of(ledger, command, meta, now, "cmd-1")
        plain = Step(occurred_at=meta.occurred_at, actor=meta.actor, command_id="cmd-1",
                     correlation_id=meta.correlation_id or "cmd-1",
                     causation_id=meta.causation_id or "cmd-1", now=now,
                     legal_basis=meta.legal_basis, evidence_refs=meta.evidence_refs,
                     derogations_at=made.derogations_at,
                     command_fingerprint=fingerprint(command, meta))
        assert made == plain
        assert list(vars(made)) == [f.name for f in dataclasses.fields(Step)]
    try:
        made.now = now  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("the step is not frozen")


def test_the_recording_clock_is_set_inside_and_restored_after() -> None:
    from ledger.recording_clock import recording_now, recording_with

    first, second = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    before = recording_now()
    with recording_with(lambda: first):
        assert recording_now() == first
        try:
            with recording_with(lambda: second):
                assert recording_now() == second
                raise KeyError("x")
        except KeyError:
            pass
        assert recording_now() == first
    assert recording_now() >= before  # the wall clock again
    assert recording_now().tzinfo is UTC


def test_the_values_normalisation_skips_are_those_it_returns_as_they_are() -> None:
    """`identifiers._changed` skips values of `_AS_THEY_ARE` without normalising them: each is
    a value `_normal` gives back unchanged, as a name or as free text."""
    from decimal import Decimal
    from uuid import uuid4

    from ledger.identifiers import _AS_THEY_ARE, _normal

    samples = [True, 3, 1.5, Decimal("2.50"), uuid4(), datetime.now(UTC).date(),
               datetime.now(UTC)]
    assert {type(v) for v in samples} == _AS_THEY_ARE
    for value in samples:
        assert _normal(True, value) is value
        assert _normal(False, value) is value
    assert _normal(True, ()) == ()
    assert _normal(True, (" a ", "ｂ")) == ("a", "b")


def test_the_iso_texts_kept_are_isoformat_s() -> None:
    """`iso_times` keeps each datetime's text by identity: every answer, asked first or again,
    is `isoformat()` (or its microseconds form), also for equal moments in other zones (equal
    and of one hash, but written otherwise), a microsecond of 0, offsets with seconds, zones
    with their own rules, naive times, and past the number of texts kept."""
    from zoneinfo import ZoneInfo

    from ledger.iso_times import _KEPT, iso_text, iso_text_microseconds

    base = datetime(2026, 3, 29, 0, 30, 0, 250, tzinfo=UTC)
    moments = [base, base.replace(microsecond=0), base.replace(tzinfo=None),
               base.replace(microsecond=0, tzinfo=None), datetime(1999, 12, 31, 23, 59, 59, 1)]
    for zone in (timezone(timedelta(hours=5, minutes=45)), timezone(timedelta(hours=-3)),
                 timezone(timedelta(seconds=3725, microseconds=7)), ZoneInfo("Europe/Athens"),
                 ZoneInfo("Europe/Lisbon")):
        moments += [base.astimezone(zone), base.replace(microsecond=0).astimezone(zone),
                    (base + timedelta(hours=2)).astimezone(zone)]
    moments += [base + timedelta(microseconds=n) for n in range(2 * _KEPT)]
    assert len({m for m in moments if m.tzinfo}) < len([m for m in moments if m.tzinfo])
    for _ in range(2):  # asked first, then again (kept, or pushed out by the later ones)
        for moment in moments + moments[::-1]:
            assert iso_text(moment) == moment.isoformat()
            assert iso_text_microseconds(moment) == moment.isoformat(timespec="microseconds")
            twin = copy.copy(moment)  # another object of the same value: the same text
            assert iso_text(twin) == moment.isoformat()


def test_the_stream_texts_kept_are_the_uuids_texts() -> None:
    """`integrity._stream_bytes` keeps a stream id's text by identity: every answer, asked first
    or again, for ids made and dropped (whose memory may be reused), equal ids of other objects, and
    past the number kept, is `str(id).encode()`."""
    from uuid import UUID, uuid4

    from ledger.integrity import _STREAM_TEXTS_KEPT, _stream_bytes

    kept = [uuid4() for _ in range(_STREAM_TEXTS_KEPT + 10)]
    for _ in range(2):
        for stream in kept + kept[::-1]:
            assert _stream_bytes(stream) == str(stream).encode()
            assert _stream_bytes(UUID(int=stream.int)) == str(stream).encode()
    for _ in range(2 * _STREAM_TEXTS_KEPT):  # dropped: once the kept texts are cleared, a
        # later id may take the memory (and so the `id`) of an earlier one
        stream = uuid4()
        assert _stream_bytes(stream) == str(stream).encode()


def test_the_text_check_is_the_character_by_character_one() -> None:
    """`validation.has_text_only` asks ASCII text `str.isprintable` instead of searching it: the
    same answer as `not_text` asked character by character (and as the search), for every ASCII
    character alone and within text, and for text beyond ASCII."""
    from ledger.validation import _NOT_TEXT, has_text_only, not_text

    samples = ["", " ", "ref-1", "42694798-8d6a-5d09-bd2b-5f3ef6219529", "a b", "é", "ｂ",
               "a\u202eb", "\u2066", "x\u0085", "\ud800", "\u200b", "\u00a0", "Art 27(1)"]
    for code in range(0x250):
        ch = chr(code)
        samples += [ch, f"ref {ch}", f"{ch}é", f"ab{ch}cd" * 3]
    for value in samples:
        expected = not any(not_text(ch) for ch in value)
        assert has_text_only(value) is expected, repr(value)
        assert (_NOT_TEXT.search(value) is None) is expected, repr(value)


def test_the_changed_fields_are_those_normal_changes() -> None:
    """`identifiers._changed` normalises ASCII text without calling `_normal`: the same changes
    as `_normal` asked of every field, for names and free text, ASCII or not, trimmed or not,
    a subclass of str, tuples and nested values."""
    from ledger.identifiers import _AS_THEY_ARE, _changed, _normal

    @dataclasses.dataclass(frozen=True)
    class Sample:
        national_reference: object
        note: object

    texts: list[object] = ["ref-1", " ref-1 ", "ref-1\t", "", "   ", "ｒｅｆ", " é ", "e\u0301",
                           _Text(" ref "), _Text("ref"), ("a", " b "), (), None, 3,
                           LegalBasis("APR", " Art 1 ")]
    names = (("national_reference", True), ("note", False))
    for first in texts:
        for second in texts:
            sample = Sample(first, second)
            expected = {}
            for name, identifier in names:
                old = getattr(sample, name)
                if old is None or old.__class__ in _AS_THEY_ARE:
                    continue
                new = _normal(identifier, old)
                if new is not old and new != old:
                    expected[name] = new
            assert _changed(sample, names) == expected, (first, second)
