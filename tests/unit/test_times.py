"""Stored times (`...Z`, fixed width) in JSON values are written with an offset; nothing else
changes, whatever the nesting or the (sub)type of the value."""

from __future__ import annotations

from schema.times import offset_times


class Text(str):
    pass


def test_stored_times_get_an_offset_and_nothing_else_changes() -> None:
    stored = "2026-01-02T03:04:05.000006Z"
    value = {"at": stored, "list": [stored, 1, 2.5, True, None, {"x": stored}],
             "other": "2026-01-02T03:04:05Z", "near": "x" * 26 + "Z", "sub": Text(stored)}
    assert offset_times(value) == {
        "at": "2026-01-02T03:04:05.000006+00:00",
        "list": ["2026-01-02T03:04:05.000006+00:00", 1, 2.5, True, None,
                 {"x": "2026-01-02T03:04:05.000006+00:00"}],
        "other": "2026-01-02T03:04:05Z", "near": "x" * 26 + "Z",
        "sub": "2026-01-02T03:04:05.000006+00:00"}
    assert offset_times((stored,)) == (stored,)  # not a JSON list: left as it is
