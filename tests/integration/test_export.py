"""`pact-ledger export`, `digest` and `verify` on both backends, and the offline check of an
export by `ledger/proofs.py` alone: copied out of the repository, run by an isolated Python
without site-packages, from a directory outside the repository."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from uuid import UUID

import pytest
from click.testing import CliRunner, Result

from ledger import proofs
from pact_ledger.cli import main
from pact_ledger.settings import Settings
from pact_ledger.wiring import build
from tests.support.flows import rejected_with_return, screened_applicant
from tests.support.tamper import StoredRows

pytestmark = pytest.mark.storage
PROOFS = Path(proofs.__file__)


def cli(settings: Settings, *args: str) -> Result:
    return CliRunner().invoke(main, list(args),
                              env={"PACT_LEDGER_DATABASE_URL": settings.database_url})


def offline(export: Path, workdir: Path) -> subprocess.CompletedProcess[str]:
    alone = workdir / "auditor" / "proofs.py"
    alone.parent.mkdir(exist_ok=True)
    shutil.copy(PROOFS, alone)
    return subprocess.run([sys.executable, "-I", "-S", str(alone), "verify", str(export)],
                          cwd=alone.parent, capture_output=True, text=True, timeout=60)


@pytest.fixture
def case_id(settings: Settings) -> UUID:
    container = build(settings)
    try:
        screened_applicant(container.ledger, "IT-E-1")
        case = rejected_with_return(container.ledger, "IT-E-2")
        screened_applicant(container.ledger, "IT-E-3")
        return case
    finally:
        container.close()


def test_an_export_verifies_offline_and_a_changed_one_does_not(
        settings: Settings, case_id: UUID, tmp_path: Path) -> None:
    out = tmp_path / "case.json"
    result = cli(settings, "export", str(case_id), "--out", str(out))
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    events = document["events"]
    assert document["case_id"] == str(case_id) and len(events) >= 8
    assert [e["stream_version"] for e in events] == list(range(1, len(events) + 1))
    assert {e["hash_format"] for e in events} == {3}  # the stored bytes, as UTF-8 text
    assert events[0]["previous_hash"] is None
    assert all(e["previous_hash"] == d["hash"] for d, e in zip(events, events[1:], strict=False))
    first = json.loads(events[0]["state"])
    assert first["envelope"]["_data_"]["actor"]["_data_"]["id"] == "it-so-01"
    assert document["digest"]["size"] > len(events)  # the other cases are in the tree too

    checked = offline(out, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith(f"VALID case {case_id}: {len(events)} events")

    assert '"_type_":"actor","_data_":{"id":"' in events[2]["state"]
    events[2]["state"] = events[2]["state"].replace('"_type_":"actor","_data_":{"id":"',
                                                    '"_type_":"actor","_data_":{"id":"x')
    out.write_text(json.dumps(document), encoding="utf-8")
    checked = offline(out, tmp_path)
    assert checked.returncode == 1
    assert "INVALID event 3 (position" in checked.stdout
    assert "INVALID event 4 " in checked.stdout  # its successor's previous_hash no longer fits


def test_an_export_of_a_tampered_store_fails_offline(settings: Settings, case_id: UUID,
                                                     tmp_path: Path) -> None:
    assert cli(settings, "digest").exit_code == 0  # the hash table sees the events first
    rows = StoredRows(settings)
    try:
        rows.alter_actor(rows.positions(case_id)[3])
    finally:
        rows.close()
    out = tmp_path / "case.json"
    assert cli(settings, "export", str(case_id), "--out", str(out)).exit_code == 0
    checked = offline(out, tmp_path)
    assert checked.returncode == 1
    assert "INVALID event 3 " in checked.stdout and "inclusion proof" in checked.stdout


def test_digest_and_verify_commands(settings: Settings, case_id: UUID, tmp_path: Path) -> None:
    printed = cli(settings, "digest")
    assert printed.exit_code == 0, printed.output
    saved = json.loads(printed.output)
    assert set(saved) == {"size", "root", "last_position", "computed_at"}
    digest_file = tmp_path / "digest.json"
    digest_file.write_text(printed.output, encoding="utf-8")

    for args in ([], ["--digest", str(digest_file)], ["--case", str(case_id)]):
        result = cli(settings, "verify", *args)
        assert result.exit_code == 0 and "Valid" in result.output, result.output

    rows = StoredRows(settings)
    try:
        position = rows.positions(case_id)[2]
        rows.alter_actor(position)
    finally:
        rows.close()
    for args in ([], ["--digest", json.dumps(saved)], ["--case", str(case_id)]):
        result = cli(settings, "verify", *args)
        assert result.exit_code == 1, result.output
        assert f"ALTERED position {position} stream {case_id} version 2" in result.output
    assert cli(settings, "verify", "--digest", "{}").exit_code == 2
    assert cli(settings, "export", str(UUID(int=1))).exit_code == 1
