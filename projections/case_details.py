"""The one place where a case's typed values (`ledger.case.values`) become JSON for the case
list's `decisions` and `appeals` columns, and come back (read-model rows, API types)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ledger.case.values import Appeal, Decision
from projections.encoding import dumps, loads, parse_time


def decisions_json(decisions: list[Decision]) -> str:
    return dumps([asdict(d) for d in decisions])


def decisions_from_json(text: str) -> list[Decision]:
    return [_decision(d) for d in loads(text)]


def _decision(d: dict[str, Any]) -> Decision:
    return Decision(**{**d, "occurred_at": parse_time(d["occurred_at"]),
                       "notified_at": parse_time(d["notified_at"])})


def appeals_json(appeals: list[Appeal]) -> str:
    return dumps([asdict(a) for a in appeals])


def appeals_from_json(text: str) -> list[Appeal]:
    return [Appeal(**{**a, "lodged_at": parse_time(a["lodged_at"])}) for a in loads(text)]
