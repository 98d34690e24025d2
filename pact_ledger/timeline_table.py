"""A case's timeline as a terminal table."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text

from projections.encoding import loads
from projections.tables import CaseRow, TimelineRow


def _time(text: str) -> str:
    return text[:16].replace("T", " ")


def _payload(text: str) -> str:
    payload = loads(text)
    return ", ".join(f"{k}={v}" for k, v in payload.items() if v not in (None, [], ""))


def _changes(text: str) -> str:
    return ", ".join(f"{k}: {_short(b)} -> {_short(a)}" for k, (b, a) in loads(text).items()
                     if not isinstance(a, (dict, list)))


def _short(value: object) -> str:
    text = "-" if value is None else str(value)
    return text[:16].replace("T", " ") if text[:2] == "20" and "T" in text else text


def render_timeline(case: CaseRow, events: Sequence[TimelineRow]) -> Group:
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
            _payload(e["payload"]),
            _changes(e["changes"]),
        )
    return Group(title, table)
