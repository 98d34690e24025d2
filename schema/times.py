"""One time format in the whole API: ISO 8601 with an offset, as every `DateTime` field gives it.
The read models store times as fixed-width UTC text ending in `Z` (`projections.encoding`); the
JSON values the schema passes on as they are stored (payloads, changes, a subject access
document) have theirs rewritten here."""

from __future__ import annotations

import re
from typing import Any

_STORED_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def offset_times(value: Any) -> Any:
    """A JSON value with its stored times (`...Z`) written with an offset (`+00:00`)."""
    kind = type(value)  # the exact JSON types first (most values), then their subclasses
    if kind is str:
        return value[:-1] + "+00:00" if len(value) == 27 and _STORED_TIME.match(value) \
            else value
    if kind is dict:  # (a payload: its values read here, a call only for nested ones)
        out: dict[Any, Any] = {}
        for k, v in value.items():
            kind = type(v)
            if kind is str:
                out[k] = v[:-1] + "+00:00" if len(v) == 27 and _STORED_TIME.match(v) else v
            elif kind is int or kind is bool or v is None:
                out[k] = v
            else:
                out[k] = offset_times(v)
        return out
    if kind is list:
        return [offset_times(v) for v in value]
    if kind is int or kind is bool or value is None or kind is float:
        return value
    if isinstance(value, str):
        return value[:-1] + "+00:00" if _STORED_TIME.match(value) else value
    if isinstance(value, list):
        return [offset_times(v) for v in value]
    if isinstance(value, dict):
        return {k: offset_times(v) for k, v in value.items()}
    return value
