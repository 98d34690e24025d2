"""Erasure on both backends (issue 12): after the erasure job, no plaintext of the erased person
is anywhere in the files of either database (raw bytes, journals and write-ahead logs included),
the destroyed key is gone from the key store's files, integrity still verifies (the ledger, an
offline proof), and another person's data are untouched."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID

import psycopg
import pytest
from click.testing import CliRunner

from ledger import proofs
from ledger.case import commands as c
from ledger.command_meta import CommandMeta
from pact_ledger.cli import main
from pact_ledger.erasure import erase_due
from pact_ledger.settings import Settings
from pact_ledger.wiring import Container, build
from tests.support.acting import handle
from tests.support.clock import ManualClock

ERASED_NAMES = ("Quokkanen", "Zyxwvuta")
ERASED_BORN = date(1987, 3, 14)
KEPT_NAMES = ("Brightwater", "Oleander")
GROUNDS = "Xylophonic marmot smuggling ring"  # free text about the person: sealed too
KEPT_BORN = date(1991, 11, 29)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 10, 12, 0, tzinfo=UTC))


@pytest.fixture
def built(settings: Settings, clock: ManualClock) -> Iterator[Container]:
    container = build(settings, clock=clock)
    yield container
    container.close()


def _person_case(container: Container, clock: ManualClock, reference: str,
                 names: tuple[str, str], born: date) -> UUID:
    """A case made, registered, captured and transmitted to Eurodac at the clock's moment."""
    person = c.Person("SY", born, False, names[0], names[1])

    def meta() -> CommandMeta:
        return CommandMeta(actor=_actor(), occurred_at=clock.now)

    case_id = handle(container.commands, c.MakeApplication("IT", reference, "Questura", person),
                     meta()).outcome.aggregate_id
    for command in (c.RegisterApplication(case_id), c.CaptureBiometrics(case_id, "APPLICANT"),
                    c.TransmitToEurodac(case_id, f"EU-{reference}")):
        handle(container.commands, command, meta())
    return case_id


def _actor() -> object:
    from tests.support.acting import principal

    return principal("CASE_WORKER", "IT")


def _wrapped(container: Container, key_id: UUID) -> bytes:
    store = container.keystore
    [(blob,)] = store.db.fetchall(
        f"SELECT wrapped FROM {store.db.prefix}data_keys WHERE key_id = ?", (str(key_id),))
    return bytes(blob)


def _files(settings: Settings, container: Container) -> list[Path]:
    """Every file of both databases: SQLite files with their -wal, -shm, -journal; on
    PostgreSQL the whole data directory after a CHECKPOINT."""
    if settings.backend == "sqlite":
        folder = settings.sqlite_path.parent
        return sorted(p for p in folder.iterdir() if p.name.startswith(settings.sqlite_path.stem))
    with psycopg.connect(settings.postgres_url, autocommit=True) as conn:
        conn.execute("CHECKPOINT")
        row = conn.execute("SHOW data_directory").fetchone()
    assert row is not None
    files = []
    for folder, _, names in os.walk(row[0]):
        files += [Path(folder) / n for n in names]
    return files


def _holding(files: list[Path], needle: bytes) -> list[Path]:
    found = []
    for path in files:
        try:
            if needle in path.read_bytes():
                found.append(path)
        except OSError:  # a file PostgreSQL removed while we walked
            continue
    return found


def test_erasure_job_leaves_no_plaintext_and_integrity_whole(
        settings: Settings, built: Container, clock: ManualClock) -> None:
    erased = _person_case(built, clock, "ER-A", ERASED_NAMES, ERASED_BORN)  # kept to 2036-03
    handle(built.commands, c.RecordSecurityFlag(erased, GROUNDS),
           CommandMeta(actor=_actor(), occurred_at=clock.now))  # type: ignore[arg-type]
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    kept = _person_case(built, clock, "ER-B", KEPT_NAMES, KEPT_BORN)  # kept to 2036-12
    built.runner.catch_up()
    assert built.personal.view(str(erased)).details.family_name == ERASED_NAMES[0]  # type: ignore[union-attr]
    wrapped_erased, wrapped_kept = _wrapped(built, erased), _wrapped(built, kept)
    flag = built.reads.cases.timeline(str(erased))[-1]
    assert built.personal.values(built.personal.view(str(erased)), flag["command_id"],
                                 json.loads(flag["payload"])) == {"reason": GROUNDS}
    events_before = built.runner.log_position()

    clock.set(datetime(2036, 6, 1, 0, 0, tzinfo=UTC))
    run = erase_due(built)
    assert run.erased == [str(erased)] and not run.refused
    again = erase_due(built)
    assert again.erased == [] and again.finished == []  # idempotent: nothing twice
    built.runner.catch_up()
    assert built.runner.log_position() == events_before + 1  # one erasure event, no more

    # Every read shows the erasure, when and why; the other person is untouched.
    view = built.personal.view(str(erased))
    assert view is not None and view.status == "ERASED" and view.details is None
    assert view.erased_at == clock.now and view.basis and view.basis.code == "RETENTION_ENDED"
    other = built.personal.view(str(kept))
    assert other is not None and other.status == "PRESENT"
    assert other.details and (other.details.family_name, other.details.date_of_birth) == (
        KEPT_NAMES[0], KEPT_BORN)
    timeline = built.reads.cases.timeline(str(erased))
    assert [e["event_type"] for e in timeline][-1] == "PersonalDataErased"
    assert len(timeline) == 7  # the legal trail stays whole
    flag = next(e for e in timeline if e["event_type"] == "SecurityFlagRecorded")
    assert built.personal.values(view, flag["command_id"], json.loads(flag["payload"])) == {}

    # Integrity: the ledger verifies, and an offline proof of the erased case verifies.
    assert built.reads.integrity.verify_ledger(None).valid
    document = built.reads.integrity.export_case(erased)
    assert document is not None and proofs.verify_export(json.loads(json.dumps(document))) == []

    # Raw bytes of every database file: no plaintext of the erased person, anywhere.
    files = _files(settings, built)
    assert _holding(files, b"EU-ER-A")  # the scan reads the event store (a clear reference)
    for plain in (*ERASED_NAMES, ERASED_BORN.isoformat(), GROUNDS):
        assert _holding(files, plain.encode()) == [], plain
    # The destroyed key is gone from the key store's files; the other person's is still there
    # (so the scan does find what is there). PostgreSQL's write-ahead log may still hold the
    # wrapped key until it is recycled (see pact_ledger/keystore.py): the table files must not.
    tables = [f for f in files if settings.backend == "sqlite" or "pg_wal" not in f.parts]
    assert _holding(tables, wrapped_erased) == []
    assert _holding(tables, wrapped_kept)


def invoke(settings: Settings, *args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={
        "PACT_LEDGER_DATABASE_URL": settings.database_url, "COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def test_erasure_on_request_and_subject_access_from_the_command_line(
        settings: Settings, tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    container = build(settings, clock=clock)
    try:
        first = _person_case(container, clock, "ER-C", ERASED_NAMES, ERASED_BORN)
        container.runner.catch_up()
        view = container.personal.view(str(first))
        assert view is not None and view.person_id
        person_id = view.person_id
        linked = c.Person("SY", None, False, None, "Zyxwvuta", person_id=person_id)
        second = handle(container.commands, c.MakeApplication("IT", "ER-D", "Roma", linked),
                        CommandMeta(actor=_actor(), occurred_at=clock.now)  # type: ignore[arg-type]
                        ).outcome.aggregate_id
    finally:
        container.close()

    out = tmp_path / "subject.json"
    invoke(settings, "subject-access", person_id, "--subject", "it-dpo-01", "--member-state",
           "IT", "--out", str(out))
    before = json.loads(out.read_text(encoding="utf-8"))
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert [case["case"]["case_id"] for case in before["cases"]] == [str(first), str(second)]
    assert before["cases"][0]["personal_data"]["family_name"] == ERASED_NAMES[0]
    assert before["cases"][0]["events"][0]["payload"]["date_of_birth"] == "1987-03-14"
    assert before["cases"][0]["access_log"][0]["subject"] == "it-dpo-01"  # logged first

    output = invoke(settings, "erase", "--person", person_id, "--basis", "NATURALISATION",
                    "--subject", "it-dpo-01", "--member-state", "IT")
    assert "Erased the personal data of 2 cases" in output
    assert "Already erased" in invoke(settings, "erase", "--case", str(first), "--basis",
                                      "DATA_SUBJECT_REQUEST", "--subject", "it-dpo-01")

    table = invoke(settings, "timeline", str(first))
    assert "PersonalDataErased" in table and "ERASED" in table and "NATURALISATION" in table
    assert ERASED_NAMES[0] not in table
    export = tmp_path / "case.json"
    invoke(settings, "export", str(first), "--out", str(export))
    document = json.loads(export.read_text(encoding="utf-8"))
    assert proofs.verify_export(document) == []
    assert document["personal_data"]["status"] == "ERASED"
    assert document["personal_data"]["erasure_article"] == (
        "Eurodac Regulation (EU) 2024/1358 Art 29(4)")
    assert "Valid" in invoke(settings, "verify")

    after = json.loads(invoke(settings, "subject-access", person_id, "--subject", "eu-dpo-01"))
    for case in after["cases"]:
        assert case["personal_data"]["status"] == "ERASED"
        assert case["personal_data"].get("family_name") is None
        assert case["events"][0]["payload"]["family_name"] is None
        assert case["events"][-1]["event_type"] == "PersonalDataErased"
    assert ERASED_NAMES[0] not in json.dumps(after) and ERASED_NAMES[1] not in json.dumps(after)


def test_a_restored_key_store_loses_the_erased_keys_again_at_the_next_run(
        built: Container, clock: ManualClock) -> None:
    """A key-store backup taken before an erasure still holds the key: restored, the next
    erasure run (the server runs one at start) destroys it again, from the recorded erasure."""
    erased = _person_case(built, clock, "ER-R", ERASED_NAMES, ERASED_BORN)
    built.runner.catch_up()
    store, key_id = built.keystore, str(erased)  # a case's data key is named by its id
    backup = store.db.fetchall(f"SELECT key_id, person_id, master_kid, wrapped, created_at "
                               f"FROM {store._t('data_keys')} WHERE key_id = ?", (key_id,))
    assert len(backup) == 1
    clock.set(datetime(2036, 6, 1, 0, 0, tzinfo=UTC))
    assert erase_due(built).erased == [key_id]
    assert store.keys([key_id]) == {}
    with store.db.transaction() as tx:  # the backup restored: the key back, no destruction
        tx.execute(f"DELETE FROM {store._t('destroyed_keys')} WHERE key_id = ?", (key_id,))
        tx.execute(f"INSERT INTO {store._t('data_keys')} VALUES (?, ?, ?, ?, ?)", backup[0])
    assert set(store.keys([key_id])) == {key_id}
    run = erase_due(built)
    assert run.finished == [key_id] and run.erased == []
    assert store.keys([key_id]) == {} and store.destroyed([key_id]) == {key_id}
    view = built.personal.view(key_id)
    assert view is not None and view.status == "ERASED" and view.details is None
