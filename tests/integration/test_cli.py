"""The command line on both backends: demo data, rebuild, timeline, schema export."""

from __future__ import annotations

from click.testing import CliRunner

from pact_ledger.cli import main
from pact_ledger.settings import Settings
from pact_ledger.wiring import build
from projections.queries import CaseFilter


def invoke(settings: Settings, *args: str) -> str:
    # Wide enough that no table cell (an event name) wraps.
    result = CliRunner().invoke(main, list(args), env={
        "PACT_LEDGER_DATABASE_URL": settings.database_url, "COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_is_repeatable_and_rebuild_restores_the_same_read_models(settings: Settings) -> None:
    output = invoke(settings, "demo", "--cases", "40", "--seed", "3")
    assert "for 40 cases" in output and "refused" not in output
    container = build(settings)
    try:
        cases = [dict(r) for r in container.db.fetchall("SELECT * FROM case_list ORDER BY seq")]
        events = container.runner.log_position()
        assert len(cases) == 40 and events > 200
        assert len({c["member_state"] for c in cases}) > 3
        assert container.reads.cases.count(CaseFilter(status="CLOSED")) > 0
    finally:
        container.close()

    assert "already holds events" in invoke(settings, "demo", "--cases", "40", "--if-empty")
    invoke(settings, "demo", "--cases", "40", "--seed", "3")  # same seed: nothing new
    assert f"Rebuilt from {events} events" in invoke(settings, "rebuild")

    container = build(settings)
    try:
        assert container.runner.log_position() == events
        rebuilt = [dict(r) for r in container.db.fetchall("SELECT * FROM case_list ORDER BY seq")]
        assert rebuilt == cases
        case_id = cases[0]["case_id"]
    finally:
        container.close()

    table = invoke(settings, "timeline", case_id)
    assert "CaseOpened" in table and cases[0]["national_reference"] in table


def test_timeline_of_an_unknown_case_is_a_clear_error(settings: Settings) -> None:
    result = CliRunner().invoke(main, ["timeline", "00000000-0000-0000-0000-000000000000"],
                                env={"PACT_LEDGER_DATABASE_URL": settings.database_url})
    assert result.exit_code != 0 and "no case with id" in result.output
    result = CliRunner().invoke(main, ["timeline", "not-a-uuid"],
                                env={"PACT_LEDGER_DATABASE_URL": settings.database_url})
    assert result.exit_code == 2 and "not a case id" in result.output


def test_bad_database_url_is_reported_without_a_traceback() -> None:
    result = CliRunner().invoke(main, ["rebuild"],
                                env={"PACT_LEDGER_DATABASE_URL": "mysql://nowhere/db"})
    assert result.exit_code == 1
    assert "cannot open the ledger" in result.output and "Traceback" not in result.output


def test_export_schema_check_passes_on_the_committed_file() -> None:
    result = CliRunner().invoke(main, ["export-schema", "--check"])
    assert result.exit_code == 0 and "is current" in result.output
