"""Records as CSV, NDJSON and JSON in chunks: the same records back from each, spreadsheet
formulas defused, and valid JSON however many records (none, one chunk, several)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from pact_ledger.export_formats import CHUNK, cell, encode

COLUMNS = ("id", "ground", "final", "basis", "none")


def records(n: int) -> list[dict[str, object]]:
    return [{"id": i, "ground": f"APR Art {i}", "final": i % 2 == 0,
             "basis": [{"act": "APR", "article": "Art 35"}], "none": None} for i in range(n)]


@pytest.mark.parametrize("n", [0, 1, CHUNK, CHUNK * 2 + 3])
def test_each_format_gives_the_records_back(n: int) -> None:
    data = records(n)
    as_json = json.loads(b"".join(encode(iter(data), "json", COLUMNS)))
    assert as_json == data
    ndjson = b"".join(encode(iter(data), "ndjson", COLUMNS)).decode().splitlines()
    assert [json.loads(line) for line in ndjson] == data
    rows = list(csv.DictReader(io.StringIO(b"".join(encode(iter(data), "csv", COLUMNS))
                                           .decode())))
    assert [int(r["id"]) for r in rows] == [r["id"] for r in data]
    assert all(r["none"] == "" and r["final"] in ("true", "false") for r in rows)
    assert all(json.loads(r["basis"]) == [{"act": "APR", "article": "Art 35"}] for r in rows)


def test_spreadsheet_formulas_are_defused() -> None:
    assert [cell(v) for v in ("=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "\tx", "Art 35")] == [
        "'=HYPERLINK(1)", "'+1", "'-2", "'@SUM(A1)", "'\tx", "Art 35"]
    assert cell(-2) == "-2"  # numbers are not text: left as they are


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        encode(iter([]), "xml", COLUMNS)
