"""The command line for people and programs, on both backends: `timeline` and `trail` readable at
80 columns without a word cut in two, `--format table|csv|ndjson|json`, a clear error for an
unknown phase, `cases` streamed, reads scoped and logged as the token's principal, and a
progress bar on `verify` only when asked (or on a terminal)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest
from click.testing import CliRunner, Result

from ledger.case import commands as c
from ledger.case.aggregate import Case
from pact_ledger.cli import main
from pact_ledger.settings import Settings
from pact_ledger.tokens import KeyRing, TokenService
from pact_ledger.wiring import Container
from projections.personal_data_log import AccessFilter
from tests.support.acting import handle, principal
from tests.support.flows import rejected_with_return
from tests.support.steps import at

pytestmark = pytest.mark.storage
KEYS = "cli:" + "k" * 40


def run(settings: Settings, *args: str, columns: int = 80) -> Result:
    return CliRunner().invoke(main, list(args), env={
        "PACT_LEDGER_DATABASE_URL": settings.database_url, "COLUMNS": str(columns),
        "PACT_LEDGER_JWT_KEYS": KEYS, "PACT_LEDGER_TOKEN": None})


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def _case(container: Container) -> str:
    case_id = str(rejected_with_return(container.ledger, "CLI-1"))
    person = c.Person("SY", date(1990, 5, 17), False, "Doe", "Jane")
    handle(container.ledger, c.MakeApplication("EL", "CLI-2", "Samos", person), at(0))
    container.runner.catch_up()
    return case_id


def test_timeline_table_at_80_columns_wraps_whole_words(settings: Settings,
                                                        container: Container) -> None:
    case_id = _case(container)
    table = ok(run(settings, "timeline", case_id))
    lines = table.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    events = [json.loads(line) for line in ok(run(settings, "timeline", case_id, "--format",
                                                  "ndjson")).splitlines()]
    flat = " ".join(table.split())
    assert case_id in flat
    for event in events:
        # Every actor and legal basis reads whole once the line breaks are undone.
        assert f"{event['actor_id']} ({event['actor_role']}, {event['actor_authority']})" in flat
        for basis in event["legal_basis"]:
            assert f"{basis['act']} {basis['article']}" in flat
    headings = [line for line in lines if re.match(r"#\d+ ", line)]
    assert len(headings) == len(events) > 5
    # Narrower than some words: a line is too long only when it holds one unbreakable word
    # (after its label, if any).
    narrow = ok(run(settings, "timeline", case_id, columns=40))
    for line in narrow.splitlines():
        words = line.split()
        assert len(line) <= 40 or len(words) == 1 or (
            len(words) == 2 and words[0].endswith(":")), line
    assert case_id in narrow.split()  # the id whole, on a line of its own
    assert " ".join(narrow.split()) == flat  # the same words, only the breaks differ


def test_timeline_formats_and_phase_errors(settings: Settings, container: Container) -> None:
    case_id = _case(container)
    as_csv = list(csv.DictReader(io.StringIO(ok(run(settings, "timeline", case_id, "--format",
                                                    "csv")))))
    as_json = json.loads(ok(run(settings, "timeline", case_id, "--format", "json")))
    assert [int(r["version"]) for r in as_csv] == [e["version"] for e in as_json]
    examination = json.loads(ok(run(settings, "timeline", case_id, "--phase", "examination",
                                    "--format", "json")))
    assert {e["phase"] for e in examination} == {"EXAMINATION"} and examination
    wrong = run(settings, "timeline", case_id, "--phase", "appeal")
    assert wrong.exit_code == 2
    assert "unknown phase APPEAL" in wrong.output and "REMEDIES" in wrong.output
    assert "SCREENING" in wrong.output and "Traceback" not in wrong.output
    assert run(settings, "timeline", case_id, "--type", "Nope").exit_code == 2
    assert run(settings, "timeline", case_id, "--format", "xml").exit_code == 2


def test_trail_and_cases_for_people_and_programs(settings: Settings,
                                                 container: Container) -> None:
    case_id = _case(container)
    table = ok(run(settings, "trail", case_id))
    assert table.startswith("Decision 1: UNFOUNDED, the decision that stands")
    assert all(len(line) <= 80 for line in table.splitlines())
    (decision,) = json.loads(ok(run(settings, "trail", case_id, "--format", "json")))
    assert decision["type"] == "UNFOUNDED" and decision["return_decision"]
    listed = ok(run(settings, "cases", "--format", "table")).splitlines()
    assert len(listed) == 3 and all(len(line) <= 80 for line in listed)
    italian = list(csv.DictReader(io.StringIO(ok(run(settings, "cases", "--member-state",
                                                     "IT", "--format", "csv")))))
    assert [r["case_id"] for r in italian] == [case_id]
    assert [json.loads(x)["national_reference"] for x in ok(run(
        settings, "cases", "--format", "ndjson")).splitlines()] == ["CLI-1", "CLI-2"]


def test_reads_as_the_tokens_principal(settings: Settings, container: Container) -> None:
    _case(container)
    greek = str(Case.create_id("EL", "CLI-2"))
    tokens = TokenService(KeyRing.parse(KEYS))
    worker = tokens.issue(principal("CASE_WORKER", "EL"))
    named = json.loads(ok(run(settings, "timeline", greek, "--format", "json", "--token",
                              worker)))
    assert named[0]["payload"]["family_name"] == "Doe"
    (entry,) = container.access_log.entries(AccessFilter(case_id=greek), 10, None)
    assert entry["subject"] == "el-cw-01" and entry["via"] == f"cli:timeline {greek}"
    # Without a token: an EU auditor, no personal data, nothing logged.
    anonymous = json.loads(ok(run(settings, "timeline", greek, "--format", "json")))
    assert anonymous[0]["payload"]["family_name"] is None
    assert container.access_log.count() == 1
    # Scoped: an Italian case worker finds no Greek case; a forged token is refused.
    italian = tokens.issue(principal("CASE_WORKER", "IT"))
    assert "no case with id" in run(settings, "timeline", greek, "--token", italian).output
    assert run(settings, "cases", "--personal").exit_code == 1  # an auditor may not
    assert run(settings, "cases", "--token", worker[:-3] + "xyz").exit_code == 2


def test_verify_progress_bar_only_when_asked(settings: Settings, container: Container) -> None:
    _case(container)
    plain = run(settings, "verify")
    assert plain.exit_code == 0 and "Verifying events" not in plain.stderr
    shown = run(settings, "verify", "--progress")
    assert shown.exit_code == 0 and "Verifying events" in shown.stderr
    assert "Verifying events" not in shown.stdout and "Valid" in shown.stdout
