"""A case's timeline as a terminal table."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text

from projections.db import Row
from projections.encoding import loads


def _time(text: str) -> str:
    return text[:16].replace("T", " ")


def _payload(text: str) -> str:
    payload = loads(text)
    return ", ".join(f"{k}={v}" for k, v in payload.items() if v not in (None, [], ""))


def render_timeline(case: Row, events: Sequence[Row]) -> Group:
    title = Text.assemble(
        ("Case ", "bold"), (case["case_id"], "bold cyan"),
        f"  {case['member_state']} {case['national_reference']}  nationality "
        f"{case['nationality']}  status ", (case["status"], "bold"),
    )
    table = Table(show_lines=False, header_style="bold")
    for column in ("#", "occurred (UTC)", "recorded (UTC)", "event", "actor", "legal basis",
                   "details"):
        table.add_column(column, overflow="fold")
    for e in events:
        late = e["recorded_at"][:10] > e["occurred_at"][:10]
        basis = "; ".join(f"{b['act']} {b['article']}" for b in loads(e["legal_basis"]))
        table.add_row(
            str(e["version"]),
            _time(e["occurred_at"]),
            Text(_time(e["recorded_at"]), style="yellow" if late else ""),
            e["event_type"],
            f"{e['actor_id']} ({e['actor_role']}, {e['actor_authority']})",
            basis,
            _payload(e["payload"]),
        )
    return Group(title, table)
