"""A case's timeline and decision trail as text for people, readable at 80 columns.

Each event is a heading line (number, legal time, the step, its phase) followed by indented
lines for when it was recorded, who acted, the legal basis, the details and what changed. Long
lines wrap at whole words (a word longer than the line stays whole on a line of its own: an id
is never cut in two).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from projections.exports import PERSONAL_COLUMNS

INDENT = "    "


def when(value: str | None) -> str:
    if not value:
        return "-"
    return datetime.fromisoformat(value).astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def short(value: object) -> str:
    """A value for reading: stored times as `YYYY-MM-DD HH:MM` (UTC)."""
    if isinstance(value, str) and value[:2] == "20" and "T" in value[:11]:
        try:
            return when(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return "-" if value is None else str(value)


def wrap(label: str, text: str, width: int) -> list[str]:
    """`label: text` wrapped at whole words, continuation lines under the text."""
    if not text:
        return []
    head = f"{INDENT}{label}: " if label else INDENT
    return textwrap.wrap(text, width=width, initial_indent=head,
                         subsequent_indent=INDENT + "  ", break_long_words=False,
                         break_on_hyphens=False)


def _basis(value: Sequence[dict[str, str]]) -> str:
    return "; ".join(f"{b['act']} {b['article']}" for b in value)


def personal_status(marker: dict[str, Any] | None) -> str:
    """The status of a case's sealed personal data (`PersonView.marker`): PRESENT, NONE,
    UNAVAILABLE, or ERASED with when and on which basis (issue 12)."""
    if not marker:
        return "UNAVAILABLE"
    if marker["status"] == "ERASED":
        return (f"ERASED {short(marker['erased_at'])} ({marker['erasure_basis']}, "
                f"{marker['erasure_article']})")
    return str(marker["status"])


def details(payload: dict[str, Any]) -> str:
    """A payload as `payload_shown` gives it, without names and date of birth (never printed
    in a table): the personal data's status instead."""
    return ", ".join(f"{k}={personal_status(v) if k == 'personal_data' else short(v)}"
                     for k, v in payload.items()
                     if v not in (None, [], "") and k not in PERSONAL_COLUMNS)


def _changes(changes: dict[str, Any]) -> str:
    return ", ".join(f"{k}: {short(b)} -> {short(a)}" for k, (b, a) in changes.items()
                     if not isinstance(a, (dict, list)))


def timeline_lines(case: dict[str, Any], events: Sequence[dict[str, Any]],
                   width: int = 80) -> Iterator[str]:
    """`events` as `projections.exports.timeline_record` gives them."""
    yield from textwrap.wrap(
        f"Case {case['case_id']} {case['member_state']} {case['national_reference']}, "
        f"nationality {case['nationality']}, status {case['status']}; {len(events)} events, "
        "times UTC", width=width, break_long_words=False, break_on_hyphens=False)
    for e in events:
        yield ""
        yield from textwrap.wrap(
            f"#{e['version']} {when(e['occurred_at'])} {e['event_type']} ({e['phase']})",
            width=width, break_long_words=False, break_on_hyphens=False)
        late = " (late)" if e["recorded_late"] else ""
        yield from wrap("recorded", when(e["recorded_at"]) + late, width)
        yield from wrap("by", f"{e['actor_id']} ({e['actor_role']}, {e['actor_authority']})",
                        width)
        yield from wrap("basis", _basis(e["legal_basis"]), width)
        yield from wrap("details", details(e["payload"]), width)
        yield from wrap("changed", _changes(e["changes"]), width)


def trail_lines(decisions: Sequence[dict[str, Any]], width: int = 80) -> Iterator[str]:
    """The decision trail (`projections.exports.trail_records`) as an appeal body reads it."""
    if not decisions:
        yield "No decision yet."
    for d in decisions:
        stands = ", the decision that stands" if d["stands"] else ""
        yield from textwrap.wrap(f"Decision {d['decision_no']}: {d['type']}{stands}",
                                 width=width, break_long_words=False, break_on_hyphens=False)
        by = d["decided_by"]
        for label, text in (
            ("ground", d["ground"]),
            ("decided", f"{when(d['decided_at'])} by {by['id']} ({by['role']}, "
                        f"{by['authority']})"),
            ("notified", when(d["notified_at"]) if d["notified_at"] else "not yet"),
            ("basis", _basis(d["legal_basis"])),
            ("procedure", " ".join(filter(None, [d["procedure"],
                                                 "; ".join(d["procedure_grounds"])]))),
            ("deadlines", "; ".join(f"{x['rule']} due {when(x['due_at'])} {x['status']}"
                                    for x in d["deadlines"])),
            ("appeals", "; ".join(
                f"{a['appeal_no']} to {a['appeal_body']} lodged {when(a['lodged_at'])}, "
                f"{'suspensive' if a['suspensive'] else 'not suspensive'}, "
                f"{a['outcome'] or 'pending'}" for a in d["appeals"])),
            ("final", when(d["final_at"]) if d["final_at"] else "not final"),
        ):
            yield from wrap(label, text, width)
        yield ""
