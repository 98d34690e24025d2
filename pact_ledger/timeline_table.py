"""A case's timeline as a terminal table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from projections.db import Row
from projections.encoding import loads


def _time(text: str) -> str:
    return text[:16].replace("T", " ")


def _payload(text: str, personal: dict[str, Any] | None) -> str:
    """The sealed personal data show as their status only (PRESENT, or ERASED: when, why): the
    command line has no principal to write to the access log (`pact-ledger subject-access`)."""
    payload = loads(text)
    if "personal_data" in payload:
        payload["personal_data"] = _personal(personal)
    return ", ".join(f"{k}={v}" for k, v in payload.items() if v not in (None, [], ""))


def _personal(marker: dict[str, Any] | None) -> str:
    if marker is None:
        return "UNAVAILABLE"
    if marker["status"] == "ERASED":
        return (f"ERASED {_short(marker['erased_at'])} ({marker['erasure_basis']}, "
                f"{marker['erasure_article']})")
    return str(marker["status"])


def _changes(text: str) -> str:
    return ", ".join(f"{k}: {_short(b)} -> {_short(a)}" for k, (b, a) in loads(text).items()
                     if not isinstance(a, (dict, list)))


def _short(value: object) -> str:
    text = "-" if value is None else str(value)
    return text[:16].replace("T", " ") if text[:2] == "20" and "T" in text else text


def render_timeline(case: Row, events: Sequence[Row],
                    personal: dict[str, Any] | None = None) -> Group:
    """`personal`: the status of the case's personal data (`PersonView.marker`)."""
    title = Text.assemble(
        ("Case ", "bold"), (case["case_id"], "bold cyan"),
        f"  {case['member_state']} {case['national_reference']}  nationality "
        f"{case['nationality']}  status ", (case["status"], "bold"),
    )
    table = Table(show_lines=False, header_style="bold")
    for column in ("#", "occurred (UTC)", "recorded (UTC)", "event", "actor", "legal basis",
                   "details", "changed"):
        table.add_column(column, overflow="fold")
    for e in events:
        late = bool(e["recorded_late"])
        basis = "; ".join(f"{b['act']} {b['article']}" for b in loads(e["legal_basis"]))
        table.add_row(
            str(e["version"]),
            _time(e["occurred_at"]),
            Text(_time(e["recorded_at"]), style="yellow" if late else ""),
            e["event_type"],
            f"{e['actor_id']} ({e['actor_role']}, {e['actor_authority']})",
            basis,
            _payload(e["payload"], personal),
            _changes(e["changes"]),
        )
    return Group(title, table)
