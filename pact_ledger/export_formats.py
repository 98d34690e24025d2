"""Records as CSV, NDJSON or JSON text, written in chunks so that a stream of any length is
encoded with flat memory.

CSV: one header line of the record's keys; nested values (lists, objects) as compact JSON;
booleans `true`/`false`; null empty. A text cell that a spreadsheet would run as a formula
(starting with `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with `'` (OWASP).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import orjson

FORMATS = ("csv", "ndjson", "json")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson",
               "json": "application/json"}
#: Records per chunk of output.
CHUNK = 200
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return orjson.dumps(value).decode()
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return str(value)


def _chunks(records: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def csv_chunks(records: Iterable[dict[str, Any]], columns: Sequence[str]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    yield buffer.getvalue().encode()
    for chunk in _chunks(records):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([cell(r.get(c)) for c in columns] for r in chunk)
        yield buffer.getvalue().encode()


def ndjson_chunks(records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    for chunk in _chunks(records):
        yield b"".join(orjson.dumps(r) + b"\n" for r in chunk)


def json_chunks(records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """A JSON array, one record a line."""
    yield b"["
    first = True
    for chunk in _chunks(records):
        parts = [orjson.dumps(r) for r in chunk]
        yield (b"\n" if first else b",\n") + b",\n".join(parts)
        first = False
    yield b"]\n" if first else b"\n]\n"


def encode(records: Iterable[dict[str, Any]], form: str, columns: Sequence[str]
           ) -> Iterator[bytes]:
    if form == "csv":
        return csv_chunks(records, columns)
    if form == "ndjson":
        return ndjson_chunks(records)
    if form == "json":
        return json_chunks(records)
    raise ValueError(f"unknown format {form!r}: one of {', '.join(FORMATS)}")
