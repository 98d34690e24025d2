"""The exports and the command line's timeline after an erasure (issues 12 and 14), on both
backends: before it, a role that may read personal data gets the names and the sealed free text
opened through the key store (each opening in the access log, whose rows hold field names, never
values); a role that may not gets neither. After it, every one of these paths says ERASED (when,
on which basis) and none shows the data, to any role."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from click.testing import CliRunner

from ledger.case import commands as c
from ledger.command_meta import CommandMeta
from pact_ledger.cli import main
from pact_ledger.erasure import erase_due
from pact_ledger.settings import Settings
from pact_ledger.wiring import Container, build
from projections.exports import CaseSelection, ExportQueries
from projections.personal_data_log import AccessFilter
from projections.scoped_exports import ScopedExports
from tests.support.acting import handle, principal
from tests.support.clock import ManualClock

NAMES = ("Quillfeather", "Ysolde")
BORN = date(1984, 7, 2)
GROUNDS = "Vexillological forgery of travel papers"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 10, 12, 0, tzinfo=UTC))


@pytest.fixture
def built(settings: Settings, clock: ManualClock) -> Iterator[Container]:
    container = build(settings, clock=clock)
    yield container
    container.close()


def _case(container: Container, clock: ManualClock) -> UUID:
    """A case with names and date of birth, transmitted to Eurodac, with a security flag whose
    grounds are free text (sealed)."""
    actor = principal("CASE_WORKER", "IT")

    def meta() -> CommandMeta:
        return CommandMeta(actor=actor, occurred_at=clock.now)

    person = c.Person("SY", BORN, False, NAMES[0], NAMES[1])
    case_id = handle(container.commands, c.MakeApplication("IT", "EX-ER-1", "Questura", person),
                     meta()).outcome.aggregate_id
    for command in (c.RegisterApplication(case_id), c.CaptureBiometrics(case_id, "APPLICANT"),
                    c.TransmitToEurodac(case_id, "EU-EX-ER-1"),
                    c.RecordSecurityFlag(case_id, GROUNDS)):
        handle(container.commands, command, meta())
    container.runner.catch_up()
    return case_id


def _exports(container: Container, role: str) -> ScopedExports:
    return ScopedExports(container.reads, container.access_log, principal(role, "IT"),
                         ExportQueries(container.db), container.personal)


def _flag_payload(records: list[dict[str, object]]) -> dict[str, object]:
    flag = next(r for r in records if r["event_type"] == "SecurityFlagRecorded")
    return flag["payload"]  # type: ignore[return-value]


def _access_log_text(container: Container) -> str:
    rows = container.access_log.entries(AccessFilter(), 1000, None)
    return json.dumps([dict(r) for r in rows], default=str)


def test_exports_and_cli_timeline_show_erased_data_as_erased(
        settings: Settings, built: Container, clock: ManualClock) -> None:
    case_id = _case(built, clock)
    worker, auditor = _exports(built, "CASE_WORKER"), _exports(built, "AUDITOR")

    # Before: opened for a role that may read personal data, and logged (names of fields only).
    [record] = list(worker.cases(CaseSelection("IT"), personal=True, via="test:cases"))
    assert (record["family_name"], record["given_names"], record["date_of_birth"]) == (
        NAMES[0], NAMES[1], BORN.isoformat())
    assert record["personal_data_status"] == "PRESENT"
    timeline = worker.timeline(str(case_id), "test:timeline")
    assert timeline is not None and _flag_payload(timeline)["reason"] == GROUNDS
    opening = timeline[0]["payload"]
    assert opening["family_name"] == NAMES[0]  # type: ignore[index]
    assert "ciphertext" not in json.dumps(timeline)  # the sealed value never leaves
    log = _access_log_text(built)
    assert "familyName" in log and "reason" in log
    for value in (*NAMES, BORN.isoformat(), GROUNDS):
        assert value not in log  # the access log (and its hash chain) holds no values
    # A role that may not read personal data sees neither names nor grounds.
    hidden = auditor.timeline(str(case_id), "test:timeline")
    assert hidden is not None and _flag_payload(hidden)["reason"] is None
    assert hidden[0]["payload"]["family_name"] is None  # type: ignore[index]

    # The erasure, on schedule (Eurodac retention ended).
    clock.set(datetime(2036, 6, 1, 0, 0, tzinfo=UTC))
    assert erase_due(built).erased == [str(case_id)]
    built.runner.catch_up()

    [record] = list(worker.cases(CaseSelection("IT"), personal=True, via="test:cases"))
    assert (record["family_name"], record["given_names"], record["date_of_birth"]) == (
        None, None, None)
    assert record["personal_data_status"] == "ERASED"
    assert record["personal_data_erasure_basis"] == "RETENTION_ENDED"
    assert record["personal_data_erased_at"] == clock.now.isoformat()
    timeline = worker.timeline(str(case_id), "test:timeline")
    assert timeline is not None
    assert _flag_payload(timeline)["reason"] is None
    marker = timeline[0]["payload"]["personal_data"]  # type: ignore[index]
    assert marker["status"] == "ERASED" and marker["erasure_basis"] == "RETENTION_ENDED"
    assert timeline[-1]["event_type"] == "PersonalDataErased"
    shown = json.dumps(timeline)
    for value in (*NAMES, BORN.isoformat(), GROUNDS):
        assert value not in shown
    bundle = worker.proof_bundle(case_id, "test:bundle")
    assert bundle is not None and bundle["personal_data"]["status"] == "ERASED"

    # The command line's timeline says so too.
    result = CliRunner().invoke(main, ["timeline", str(case_id)], env={
        "PACT_LEDGER_DATABASE_URL": settings.database_url, "COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "personal_data=ERASED" in result.output and "RETENTION_ENDED" in result.output
    for value in (*NAMES, GROUNDS):
        assert value not in result.output
