"""No accidental breaking change: the schema against the last released SDL, with graphql-core's
`find_breaking_changes`; a breaking change passes only when the API changelog records it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pact_ledger.cli import main
from pact_ledger.schema_compat import CHANGELOG, check, compare, last_released
from schema.build import sdl

REMOVED = "Field Query.retired was removed."


def _released_with_more(tmp_path: Path) -> Path:
    """A release whose Query had one more field than today's: the schema removed it."""
    released = tmp_path / "v9.9.9.graphql"
    released.write_text(sdl().replace("type Query {", "type Query {\n  retired: Int", 1))
    return released


def test_the_current_schema_breaks_nothing_unrecorded() -> None:
    result = check()
    assert result.released == last_released() and result.released.name == "v0.1.0.graphql"
    assert result.ok, result.unrecorded


def test_an_unrecorded_breaking_change_fails_and_a_recorded_one_passes(tmp_path: Path) -> None:
    released = _released_with_more(tmp_path)
    changelog = CHANGELOG.read_text("utf-8")
    refused = compare(sdl(), released, changelog)
    assert refused.breaking == refused.unrecorded == (REMOVED,)
    assert not refused.ok
    # Mentioned elsewhere is not recorded: only a `- BREAKING:` line at a line's start is.
    assert not compare(sdl(), released, changelog + f"\n{REMOVED}\n").ok
    assert not compare(sdl(), released, changelog + f"\n    - BREAKING: {REMOVED}\n").ok
    entry = f"\n## Unreleased\n\n- BREAKING: {REMOVED} Nobody used it.\n"
    assert compare(sdl(), released, changelog + entry).ok


def test_the_command_exits_1_until_the_change_is_recorded(tmp_path: Path) -> None:
    released = _released_with_more(tmp_path)
    changelog = tmp_path / "CHANGELOG-API.md"
    changelog.write_text("# API\n")
    args = ["schema-compat", "--released", str(released), "--changelog", str(changelog)]
    refused = CliRunner().invoke(main, args, env={"COLUMNS": "200"})
    assert refused.exit_code == 1 and f"BREAKING: {REMOVED}" in refused.output
    changelog.write_text(f"# API\n\n- BREAKING: {REMOVED} Nobody used it.\n")
    passed = CliRunner().invoke(main, args, env={"COLUMNS": "200"})
    assert passed.exit_code == 0, passed.output
    assert f"recorded BREAKING: {REMOVED}" in passed.output
