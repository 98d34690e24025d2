"""`pact-ledger import` on both backends: refused lines reported one by one (line, command id,
rule or field) while the others are recorded, `--stop-on-error`, `--report`, the progress bar,
and a real import process killed with SIGKILL mid-way, then run again: every command recorded
exactly once."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ledger.application import Ledger
from pact_ledger.cli import main
from pact_ledger.settings import Settings
from pact_ledger.wiring import build
from tests.support.import_lines import case_lines
from tests.support.import_runs import kill_mid_way, log_position

pytestmark = pytest.mark.storage


def run(settings: Settings, *args: str) -> Result:
    return CliRunner().invoke(main, ["import", *args], env={
        "PACT_LEDGER_DATABASE_URL": settings.database_url, "COLUMNS": "250"})


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _mixed(tmp_path: Path) -> tuple[Path, dict[int, str]]:
    """A file of good and bad lines; the bad ones by line number, with what they break."""
    good = case_lines("IT-A-1")
    swapped = case_lines("IT-B-1")
    swapped[3], swapped[4] = swapped[4], swapped[3]  # lodged before it is registered
    french = json.loads(case_lines("IT-C-1")[0])
    french["actor"]["memberState"] = "FR"
    by_case_worker = json.loads(case_lines("IT-D-1")[0])
    by_case_worker["actor"]["role"] = "CASE_WORKER"  # screening is a screening officer's
    no_id = json.loads(case_lines("IT-E-1")[0])
    del no_id["input"]["commandId"]
    unknown_case = json.loads(case_lines("IT-F-1")[3])  # registers a case never opened
    lines = [*good, "{not json", json.dumps(french), *swapped, json.dumps(by_case_worker),
             "", json.dumps({"mutation": "fly", "input": {}}), json.dumps(no_id),
             json.dumps(unknown_case)]
    bad = {6: "line", 7: "actor.memberState", 11: "LODGING_REQUIRES_REGISTRATION",
           13: "FORBIDDEN", 15: "mutation", 16: "input.commandId", 17: "CASE_NOT_FOUND"}
    return _write(tmp_path / "mixed.ndjson", lines), bad


def test_refused_lines_are_reported_one_by_one_and_the_others_recorded(
        settings: Settings, tmp_path: Path) -> None:
    path, bad = _mixed(tmp_path)
    report = tmp_path / "report.ndjson"
    result = run(settings, str(path), "--member-state", "IT", "--report", str(report))
    assert result.exit_code == 1, result.output
    refused = {int(line.split()[1]): line for line in result.stderr.splitlines()
               if line.startswith("line ")}
    assert sorted(refused) == sorted(bad)
    assert "line 13 (command IT-D-1/0): refused" in refused[13]
    entries = [json.loads(line) for line in report.read_text().splitlines()]
    by_line = {e["line"]: e for e in entries}
    assert {n for n, e in by_line.items() if e["status"] == "refused"} == set(bad)
    assert by_line[16]["fields"] == ["input.commandId"]
    assert by_line[7]["fields"] == ["actor.memberState"]
    assert by_line[15]["fields"] == ["mutation"]
    assert by_line[17]["code"] == "CASE_NOT_FOUND"
    assert by_line[13]["code"] == "FORBIDDEN"
    violation = by_line[11]
    assert violation["code"] == "RULE_VIOLATION" and violation["article"]
    # The good lines are recorded (the swapped case's lodging is refused, its other steps not).
    recorded = {n for n, e in by_line.items() if e["status"] == "recorded"}
    assert recorded == {1, 2, 3, 4, 5, 8, 9, 10, 12}
    assert all(by_line[n]["events"] >= 1 for n in recorded)
    assert "Recorded 9 commands" in result.stdout and "7 refused" in result.stdout

    # Run again: nothing recorded twice; the lodging refused before is now in order (the case
    # was registered by the first run), the other refusals stand.
    again = run(settings, str(path), "--member-state", "IT", "--report", str(report))
    assert again.exit_code == 1
    assert "Recorded 1 commands" in again.stdout and "9 already recorded" in again.stdout
    assert "6 refused" in again.stdout and violation["rule"] not in again.stderr


def test_stop_on_error_records_the_lines_before_the_first_refusal(
        settings: Settings, tmp_path: Path) -> None:
    path, _ = _mixed(tmp_path)
    result = run(settings, str(path), "--member-state", "IT", "--stop-on-error")
    assert result.exit_code == 1
    assert "Recorded 5 commands" in result.stdout and "Stopped at line 6" in result.stdout
    assert [line for line in result.stderr.splitlines() if line.startswith("line ")] \
        == [next(line for line in result.stderr.splitlines() if line.startswith("line 6 "))]


def test_the_import_acts_only_for_its_member_state(settings: Settings, tmp_path: Path) -> None:
    path = _write(tmp_path / "it.ndjson", case_lines("IT-G-1"))
    result = run(settings, str(path), "--member-state", "FR")
    assert result.exit_code == 1 and "Recorded 0 commands" in result.stdout
    assert result.stderr.count("actor.memberState") == 5
    bad = run(settings, str(path), "--member-state", "XX")
    assert bad.exit_code == 2 and "neither an EU member state" in bad.output


def test_progress_bar_only_when_asked(settings: Settings, tmp_path: Path) -> None:
    path = _write(tmp_path / "it.ndjson", case_lines("IT-H-1"))
    plain = run(settings, str(path), "--member-state", "IT")
    assert plain.exit_code == 0 and "Importing commands" not in plain.stderr
    shown = run(settings, str(path), "--member-state", "IT", "--progress")
    assert shown.exit_code == 0 and "Importing commands" in shown.stderr
    assert "5/5" in shown.stderr and "5 already recorded" in shown.stdout


def test_memory_mb_by_flag_or_environment(settings: Settings, tmp_path: Path) -> None:
    """`--memory-mb` (or `PACT_LEDGER_IMPORT_MEMORY_MB`): whole MiB, refused by name else."""
    path = _write(tmp_path / "it.ndjson", case_lines("IT-M-1"))
    bad = run(settings, str(path), "--member-state", "IT", "--memory-mb", "-1")
    assert bad.exit_code == 2 and "--memory-mb" in bad.output and "Recorded" not in bad.output
    given = run(settings, str(path), "--member-state", "IT", "--memory-mb", "512")
    assert given.exit_code == 0 and "Recorded 5 commands" in given.stdout
    by_env = CliRunner().invoke(main, ["import", str(path), "--member-state", "IT"], env={
        "PACT_LEDGER_DATABASE_URL": settings.database_url, "COLUMNS": "250",
        "PACT_LEDGER_IMPORT_MEMORY_MB": "lots"})
    assert by_env.exit_code == 2 and "Invalid value for '--memory-mb'" in by_env.output


def _events(settings: Settings) -> list[Any]:
    ledger = Ledger(env=settings.eventsourcing_env())
    try:
        last = ledger.recorder.max_notification_id() or 0
        return [ledger.mapper.to_domain_event(n)
                for n in ledger.recorder.select_notifications(start=1, limit=last + 1)]
    finally:
        ledger.close()


def test_an_import_killed_mid_way_and_run_again_records_every_command_once(
        settings: Settings, tmp_path: Path) -> None:
    lines = [line for n in range(300) for line in case_lines(f"IT-K-{n}")]
    path = _write(tmp_path / "big.ndjson", lines)
    log_position(settings)  # the event tables exist before the import starts
    env = {**os.environ, "PACT_LEDGER_DATABASE_URL": settings.database_url, "COLUMNS": "250"}
    command = [str(Path(sys.executable).parent / "pact-ledger"), "import", str(path),
               "--member-state", "IT", "--batch", "40", "--no-catch-up", "--no-progress"]
    kill_mid_way(command, env, settings)

    result = subprocess.run(command[:-2] + ["--catch-up", "--no-progress"], env=env,
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    said = re.search(r"Recorded (\d+) commands .* (\d+) already recorded .* 0 refused",
                     result.stdout)
    assert said is not None, result.stdout
    recorded, replayed = int(said[1]), int(said[2])
    assert replayed > 0 and recorded > 0 and recorded + replayed == len(lines)

    events = _events(settings)
    ids = Counter((e.originator_id, type(e).__name__, e.envelope.command_id) for e in events
                  if hasattr(e, "envelope"))
    assert max(ids.values()) == 1  # nothing twice
    wanted = {json.loads(line)["input"]["commandId"] for line in lines}
    assert wanted <= {command_id for _, _, command_id in ids}  # nothing lost
    container = build(settings)
    try:
        assert container.reads.integrity.verify_ledger().valid
        assert container.reads.cases.case(str(events[-1].originator_id)) is not None
    finally:
        container.close()


def test_the_readme_example_imports(settings: Settings, tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split('```json\n{"mutation": "startScreening"', 1)[1].split("```", 1)[0]
    path = tmp_path / "example.ndjson"
    path.write_text('{"mutation": "startScreening"' + block, encoding="utf-8")
    result = run(settings, str(path), "--member-state", "IT")
    assert result.exit_code == 0, result.output
    assert "Recorded 2 commands" in result.stdout and "0 refused" in result.stdout
