"""Issue 10 at the ledger: legal times within a sane range and stored so they read back (1);
hashes that cover a time's offset (2); a reused command id with another command refused (5);
bounded legal bases, C1 controls, real country codes, identifiers in one normal form (10)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.command_meta import CommandMeta
from ledger.envelope import LegalBasis
from ledger.errors import CaseAlreadyExists, InvalidInput
from ledger.integrity import canonical_record, event_hash
from projections.encoding import parse_time, time_text
from tests.support.acting import principal
from tests.support.cases import applied
from tests.support.steps import CASE_WORKER, at


def fields_of(error: InvalidInput) -> dict[str, str]:
    return {p.field: p.message for p in error.problems}


def refused(ledger: Ledger, command: object, meta: CommandMeta) -> dict[str, str]:
    position = ledger.recorder.max_notification_id()
    with pytest.raises(InvalidInput) as caught:
        ledger.handle(command, meta)
    assert ledger.recorder.max_notification_id() == position  # nothing recorded
    return fields_of(caught.value)


# --- 1: legal times ----------------------------------------------------------------------------
def test_a_legal_time_before_the_earliest_is_refused_naming_the_field(ledger: Ledger) -> None:
    person = c.Person("SY")
    for when in (datetime(26, 1, 5, 9, tzinfo=UTC),
                 datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))):
        problems = refused(ledger, c.MakeApplication("IT", "IT-OLD-1", "Questura", person),
                           CommandMeta(actor=CASE_WORKER, occurred_at=when))
        assert "occurredAt" in problems and "between" in problems["occurredAt"]


def test_a_date_of_birth_before_1900_is_refused(ledger: Ledger) -> None:
    person = c.Person("SY", date_of_birth=date(1, 1, 1))
    problems = refused(ledger, c.MakeApplication("IT", "IT-OLD-2", "Questura", person), at(0))
    assert "person.dateOfBirth" in problems


def test_every_time_reads_back_from_its_stored_text() -> None:
    for moment in (datetime(1, 1, 1, tzinfo=UTC), datetime(26, 1, 5, 3, tzinfo=UTC),
                   datetime(999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
                   datetime(2026, 10, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))):
        text = time_text(moment)
        assert text is not None and len(text) == 27 and parse_time(text) == moment
    # what the unpadded encoder wrote before the fix still reads back
    assert parse_time("26-01-05T03:00:00.000000Z") == datetime(26, 1, 5, 3, tzinfo=UTC)
    assert time_text(datetime(26, 1, 5, tzinfo=UTC)) < time_text(datetime(2026, 1, 5, tzinfo=UTC))


# --- 2: the hash covers the offset ---------------------------------------------------------------
def test_the_hash_covers_a_times_offset_not_only_its_instant(ledger: Ledger) -> None:
    case_id = applied(ledger, "IT-H-1")
    (event,) = list(ledger.events.get(case_id))[:1]
    moved = event.envelope.occurred_at.astimezone(timezone(timedelta(hours=-11)))
    assert moved == event.envelope.occurred_at  # the same instant ...
    twin = object.__new__(type(event))
    twin.__dict__.update(vars(event))
    twin.__dict__["envelope"] = dataclasses.replace(event.envelope, occurred_at=moved)
    assert event_hash(twin) != event_hash(event)  # ... on another local calendar day
    assert event.envelope.hash_format == 3  # hashed over the stored bytes, offsets and all


def test_events_of_format_1_keep_their_format_1_hash(ledger: Ledger) -> None:
    case_id = applied(ledger, "IT-H-2")
    (event,) = list(ledger.events.get(case_id))[:1]
    old = object.__new__(type(event))
    old.__dict__.update(vars(event))
    old.__dict__["envelope"] = dataclasses.replace(event.envelope, hash_format=1,
                                                   command_fingerprint=None)
    record = canonical_record(old)
    assert "hash_format" not in record["fields"]["envelope"]
    assert record["fields"]["envelope"]["occurred_at"].endswith("+00:00")


# --- 5: a command id names one command -----------------------------------------------------------
def test_a_reused_command_id_with_another_command_is_refused(ledger: Ledger) -> None:
    case_id = applied(ledger, "IT-C-1")
    first = ledger.handle(c.ProvideInformation(case_id, ("rights",), "ar"), at(1, command_id="k-1"))
    assert not first.replayed
    again = ledger.handle(c.ProvideInformation(case_id, ("rights",), "ar"), at(1, command_id="k-1"))
    assert again.replayed and again.positions == ()
    problems = refused(ledger, c.RecordEurodacHit(case_id, "APPLICANT", "DE", "hit-9"),
                       at(1, command_id="k-1"))
    assert "commandId" in problems and "different command" in problems["commandId"]
    problems = refused(ledger, c.ProvideInformation(case_id, ("rights",), "fa"),
                       at(1, command_id="k-1"))
    assert "commandId" in problems


# --- 10: validation gaps -------------------------------------------------------------------------
def test_legal_basis_lists_are_bounded(ledger: Ledger) -> None:
    meta = dataclasses.replace(at(0), legal_basis=tuple(
        LegalBasis("APR", f"Art {i}") for i in range(1500)))
    problems = refused(ledger, c.MakeApplication("IT", "IT-V-1", "Questura", c.Person("SY")),
                       meta)
    assert "legalBasis" in problems and len(problems) < 20


@pytest.mark.parametrize("char", ["\x7f", "\x85", "\x9b", "\u202e"])
def test_control_characters_at_and_above_0x7f_are_refused(ledger: Ledger, char: str) -> None:
    problems = refused(ledger, c.MakeApplication("IT", "IT-V-2", f"Quest{char}ura",
                                                 c.Person("SY")), at(0))
    assert "place" in problems


def test_nationality_must_be_a_real_iso_code(ledger: Ledger) -> None:
    for code in ("ZZ", "EL", "QQ"):
        problems = refused(ledger, c.MakeApplication("IT", f"IT-N-{code}", "Questura",
                                                     c.Person(code)), at(0))
        assert "person.nationality" in problems
    for code in ("SY", "XX", "GR", "XK"):
        assert not ledger.handle(c.MakeApplication("IT", f"IT-N-{code}", "Questura",
                                                   c.Person(code)), at(0)).replayed


@pytest.mark.parametrize("look_alike", ["IT-2026-\u200b0001", "IT-2026-0001\u2066",
                                        "IT-2026-\ufeff0001"])
def test_invisible_characters_in_a_reference_are_refused(ledger: Ledger, look_alike: str) -> None:
    applied(ledger, "IT-2026-0001")
    problems = refused(ledger, c.MakeApplication("IT", look_alike, "Questura", c.Person("SY")),
                       at(0))
    assert "nationalReference" in problems


def test_a_compatibility_form_of_a_reference_is_the_same_case(ledger: Ledger) -> None:
    officer = principal("SCREENING_OFFICER")
    screening = c.StartScreening("IT", "IT-2026-0002", c.Person("SY"), "IRREGULAR_CROSSING",
                                 "Lampedusa")
    case_id = ledger.handle(screening, at(0, actor=officer)).aggregate_id
    with pytest.raises(CaseAlreadyExists):
        ledger.handle(dataclasses.replace(screening, national_reference="ＩＴ-２０２６-０００２"),
                      at(0, actor=officer))
    outcome = ledger.handle(c.MakeApplication("IT", "IT-2026-０００2", "Questura"), at(1))
    assert outcome.aggregate_id == case_id
