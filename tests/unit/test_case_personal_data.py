"""Personal data sealed in the domain (issue 12): what an event holds, the age rules that need
the date of birth, and erasure by destroying the case's key (in memory; the storage backends
and the raw bytes of their files are tests/integration/test_erasure.py)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from ledger.application import Ledger
from ledger.authorization.policy import READS, WRITES, Read
from ledger.authorization.roles import Role
from ledger.case import commands as c
from ledger.case.erasure.commands import ErasePersonalData
from ledger.case.erasure.events import PersonalDataErased
from ledger.case.screening.events import CaseOpened
from ledger.command_meta import CommandMeta
from ledger.errors import Forbidden, RuleViolation
from ledger.integrity import canonical_bytes, canonical_record
from ledger.personal_data.sealed import PersonalDetails, SealedValue
from ledger.personal_data.sealing import opening_aad
from ledger.personal_data.vault import MemoryVault, SealedValueAltered
from tests.support.acting import handle, principal
from tests.support.cases import RATES, applied, meta_at, step
from tests.support.clock import ManualClock
from tests.support.refusals import provokes, refused
from tests.support.steps import T0, at

NAMES = ("Quokkanen", "Zyxwvuta")
BORN = date(1987, 3, 14)


def _person(reference: str = "PD-1", born: date | None = BORN) -> c.MakeApplication:
    person = c.Person("SY", born, False, NAMES[0], NAMES[1])
    return c.MakeApplication("IT", reference, "Questura", person)


def _opening(ledger: Ledger, case_id: UUID) -> CaseOpened:
    [opened] = list(ledger.events.get(case_id, lte=1))
    assert isinstance(opened, CaseOpened)
    return opened


def test_the_opening_event_holds_only_ciphertext_bound_to_its_case(ledger: Ledger) -> None:
    case_id = handle(ledger, _person(), at(0)).aggregate_id
    opened = _opening(ledger, case_id)
    assert isinstance(opened.personal_data, SealedValue)
    encoded = canonical_bytes(canonical_record(opened))  # what both hashes cover
    for plain in (*NAMES, BORN.isoformat(), "1987"):
        assert plain.encode() not in encoded
    assert opened.personal_data.ciphertext.encode() in encoded
    plain = ledger.personal_data.open(opened.personal_data, opening_aad(case_id))
    assert PersonalDetails.from_bytes(plain or b"") == PersonalDetails(*NAMES, BORN)
    # Bound to its case: moved to another case, the value does not open.
    other = handle(ledger, _person("PD-2"), at(0)).aggregate_id
    with pytest.raises(SealedValueAltered):
        ledger.personal_data.open(opened.personal_data, opening_aad(other))


def test_a_case_without_names_or_birth_date_seals_nothing(ledger: Ledger) -> None:
    case_id = applied(ledger, "PD-3")
    assert _opening(ledger, case_id).personal_data is None
    assert _opening(ledger, case_id).person_id  # minted all the same


def test_a_later_case_is_linked_to_the_person_of_an_earlier_one(ledger: Ledger) -> None:
    first = handle(ledger, _person("PD-4"), at(0)).aggregate_id
    person_id = _opening(ledger, first).person_id
    linked = c.Person("SY", None, False, "Other", None, person_id=person_id)
    second = handle(ledger, c.MakeApplication("IT", "PD-5", "Questura", linked),
                    at(1)).aggregate_id
    assert _opening(ledger, second).person_id == person_id
    assert ledger.get_case(second).personal_data.key_id == str(second)  # a key per case


@provokes("BIOMETRICS_UNDER_SIX")
def test_age_rules_use_the_sealed_birth_date_while_its_key_exists(ledger: Ledger) -> None:
    child = handle(ledger, _person("PD-6", born=T0.date() - timedelta(days=365 * 4)),
                   at(0)).aggregate_id
    assert step(ledger, c.RegisterApplication(child), 1) == ("ApplicationRegistered",)
    assert ledger.get_case(child).registered_at is not None
    registered = list(ledger.events.get(child))[-1]
    assert registered.biometrics_due is False  # a four-year-old: no Eurodac deadline
    # The age given by the caller does not override the known date of birth.
    refused(ledger, c.CaptureBiometrics(child, "APPLICANT", age=30), 2, "BIOMETRICS_UNDER_SIX")
    adult = handle(ledger, _person("PD-7"), at(0)).aggregate_id
    step(ledger, c.RegisterApplication(adult), 1)
    assert list(ledger.events.get(adult))[-1].biometrics_due is True
    step(ledger, c.CaptureBiometrics(adult, "APPLICANT"), 2)
    assert list(ledger.events.get(adult))[-1].age_at_capture == 38


def _transmitted(ledger: Ledger, reference: str) -> UUID:
    case_id = handle(ledger, _person(reference), at(0)).aggregate_id
    step(ledger, c.RegisterApplication(case_id), 1)
    step(ledger, c.CaptureBiometrics(case_id, "APPLICANT"), 1)
    step(ledger, c.TransmitToEurodac(case_id, f"EU-{reference}"), 2)
    return case_id


def _erase(ledger: Ledger, case_id: UUID, basis: str, command_id: str | None = None) -> object:
    officer = principal("DATA_PROTECTION_OFFICER", "EU")
    return ledger.handle(ErasePersonalData(case_id, basis),
                         CommandMeta(actor=officer, occurred_at=ledger.clock(),
                                       command_id=command_id or f"erase:{case_id}"))


@provokes("RETENTION_NOT_ENDED", "NO_PERSONAL_DATA")
def test_erasure_on_schedule_waits_for_the_retention_period(ledger: Ledger) -> None:
    case_id = _transmitted(ledger, "PD-8")  # retained until 10 years after day 2 (Art 29)
    refused(ledger, ErasePersonalData(case_id, "RETENTION_ENDED"), ledger.clock(),
            "RETENTION_NOT_ENDED")
    nameless = applied(ledger, "PD-9")
    refused(ledger, ErasePersonalData(nameless, "NATURALISATION"), ledger.clock(),
            "NO_PERSONAL_DATA")


def test_erasure_destroys_the_key_once_and_keeps_the_trail() -> None:
    clock = ManualClock(T0 + timedelta(days=30))
    ledger = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock,
                    recognition_rate=RATES.get)
    case_id = _transmitted(ledger, "PD-10")
    version = ledger.get_case(case_id).version
    clock.set(T0 + timedelta(days=3700))  # past 10 years from transmission
    outcome = _erase(ledger, case_id, "RETENTION_ENDED")
    assert outcome.event_types == ("PersonalDataErased",)  # type: ignore[attr-defined]
    vault = ledger.personal_data
    assert isinstance(vault, MemoryVault) and str(case_id) not in vault.keys
    opened = _opening(ledger, case_id)
    assert vault.open(opened.personal_data, opening_aad(case_id)) is None  # type: ignore[arg-type]
    case = ledger.get_case(case_id)
    assert case.version == version + 1 and case.eurodac.transmitted
    erased = list(ledger.events.get(case_id))[-1]
    assert isinstance(erased, PersonalDataErased) and erased.basis == "RETENTION_ENDED"
    assert [str(b) for b in erased.envelope.legal_basis] == [
        "Eurodac Regulation (EU) 2024/1358 Art 29"]
    # Again, on schedule or on request, under any command id: nothing is recorded twice.
    assert _erase(ledger, case_id, "RETENTION_ENDED").replayed  # type: ignore[attr-defined]
    assert _erase(ledger, case_id, "NATURALISATION", "other").replayed  # type: ignore[attr-defined]
    assert ledger.get_case(case_id).version == version + 1
    # After erasure the age is no longer known: it must be given again.
    with pytest.raises(RuleViolation) as caught:
        handle(ledger, c.CaptureBiometrics(case_id, "APPLICANT"), meta_at(clock.now))
    assert caught.value.rule.code == "AGE_UNKNOWN"
    ledger.close()


def test_a_crash_between_record_and_key_destruction_is_finished_by_a_retry(
        ledger: Ledger) -> None:
    case_id = handle(ledger, _person("PD-11"), at(0)).aggregate_id
    kept = ledger.personal_data
    ledger.personal_data = MemoryVault()  # the process "dies" before its vault destroys the key
    _erase(ledger, case_id, "NATURALISATION")
    ledger.personal_data = kept
    assert str(case_id) in kept.keys  # type: ignore[attr-defined]
    assert _erase(ledger, case_id, "NATURALISATION").replayed  # type: ignore[attr-defined]
    assert str(case_id) not in kept.keys  # type: ignore[attr-defined]
    assert [type(e).__name__ for e in ledger.events.get(case_id)].count(
        "PersonalDataErased") == 1


def test_only_data_protection_officers_erase_and_read_a_subject_s_record(ledger: Ledger) -> None:
    assert WRITES[ErasePersonalData] == {Role.DATA_PROTECTION_OFFICER}
    assert {r for r, reads in READS.items() if Read.SUBJECT_ACCESS in reads} == {
        Role.DATA_PROTECTION_OFFICER}
    assert Read.PERSONAL_DATA not in READS[Role.DATA_PROTECTION_OFFICER]
    case_id = handle(ledger, _person("PD-12"), at(0)).aggregate_id
    version = ledger.get_case(case_id).version
    for role in Role:
        if role is Role.DATA_PROTECTION_OFFICER:
            continue
        member_state = "IT" if role in (Role.SCREENING_OFFICER, Role.CASE_WORKER,
                                        Role.DECISION_MAKER, Role.APPEAL_BODY) else "EU"
        with pytest.raises(Forbidden):
            ledger.handle(ErasePersonalData(case_id, "NATURALISATION"),
                          CommandMeta(actor=principal(role, member_state),
                                        occurred_at=ledger.clock()))
    assert ledger.get_case(case_id).version == version


def test_an_unknown_erasure_basis_is_invalid_input(ledger: Ledger) -> None:
    from ledger.errors import InvalidInput

    case_id = handle(ledger, _person("PD-13"), at(0)).aggregate_id
    with pytest.raises(InvalidInput) as caught:
        _erase(ledger, case_id, "BECAUSE")
    assert caught.value.problems[0].field == "basis"  # type: ignore[attr-defined]


@provokes("TEXT_AFTER_ERASURE")
def test_free_text_is_sealed_and_erased_with_the_names(ledger: Ledger) -> None:
    """A security flag's grounds may describe the person (Eurodac Art 17): sealed like names."""
    case_id = applied(ledger, "PD-14")  # no names: the free text alone is personal data here
    grounds = "Convicted in 2019 of an offence listed in Art 17"
    step(ledger, c.RecordSecurityFlag(case_id, grounds), 1)
    flagged = list(ledger.events.get(case_id))[-1]
    assert isinstance(flagged.reason, SealedValue)
    assert grounds.encode() not in canonical_bytes(canonical_record(flagged))
    assert ledger.get_case(case_id).security_flag  # the legal effect is in clear
    _erase(ledger, case_id, "DATA_SUBJECT_REQUEST")
    erased = list(ledger.events.get(case_id))[-1]
    assert list(erased.erased_fields) == ["SecurityFlagRecorded.reason"]
    refused(ledger, c.RecordSecurityFlag(case_id, "more grounds"), 2, "TEXT_AFTER_ERASURE")


def test_a_destroyed_key_hides_the_birth_date_though_the_opening_seal_is_remembered(
        ledger: Ledger) -> None:
    """The ledger remembers each case's sealed opening value (ciphertext) so that the age rules
    do not read the opening event at every step; the key is still asked for at each use."""
    child = handle(ledger, _person("PD-9", born=T0.date() - timedelta(days=365 * 4)),
                   at(0)).aggregate_id
    step(ledger, c.RegisterApplication(child), 1)  # reads (and remembers) the opening seal
    assert child in ledger.opening_seals
    refused(ledger, c.CaptureBiometrics(child, "APPLICANT", age=30), 2, "BIOMETRICS_UNDER_SIX")
    assert ledger.personal_data.destroy(str(child))
    # Without its key the birth date is unknown: the age the caller gives counts.
    step(ledger, c.CaptureBiometrics(child, "APPLICANT", age=30), 2)
    assert list(ledger.events.get(child))[-1].age_at_capture == 30
