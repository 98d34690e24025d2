"""A `TimelineEvent` built from a row decodes its global id and evidence references when first
read (schema/timeline/types.py): the values, comparison and `dataclasses.replace` are those of
an event with every field given."""

from __future__ import annotations

import dataclasses

from projections.encoding import parse_time
from schema.envelope import Actor, LegalBasis
from schema.global_ids import EVENT, global_id
from schema.timeline.types import TimelineEvent, timeline_event

ROW = {
    "seq": 41, "case_id": "c-1", "version": 3, "event_type": "DecisionIssued",
    "topic": "ledger.case.events:DecisionIssued", "occurred_at": "2025-01-06T09:00:00.000000Z",
    "recorded_at": "2025-01-07T10:30:00.250000Z", "actor_id": "a-1", "actor_role": "CASE_WORKER",
    "actor_authority": "Authority", "actor_member_state": "IT",
    "legal_basis": '[{"act": "APR", "article": "Art 35"}]', "command_id": "cmd",
    "correlation_id": "corr", "causation_id": "cause", "evidence_refs": '["doc-1", "doc-2"]',
    "payload": '{"decision_type": "GRANTED"}', "recorded_late": 1, "phase": "EXAMINATION",
    "changes": '{"status": ["A", "B"]}',
}


def _given() -> TimelineEvent:
    return TimelineEvent(
        id=global_id(EVENT, 41), position=41, case_id="c-1", version=3,  # type: ignore[arg-type]
        type="DecisionIssued", topic="ledger.case.events:DecisionIssued",
        occurred_at=parse_time(ROW["occurred_at"]),  # type: ignore[arg-type]
        recorded_at=parse_time(ROW["recorded_at"]),  # type: ignore[arg-type]
        actor=Actor(id="a-1", role="CASE_WORKER", authority="Authority", member_state="IT"),
        legal_basis=[LegalBasis(act="APR", article="Art 35")], command_id="cmd",
        correlation_id="corr", causation_id="cause", evidence_refs=["doc-1", "doc-2"],
        recorded_late=True, _payload={"decision_type": "GRANTED"}, phase="EXAMINATION",
        _changes=ROW["changes"])


def test_a_row_built_event_equals_one_with_every_field_given() -> None:
    event = timeline_event(ROW)  # type: ignore[arg-type]
    assert event.id == global_id(EVENT, 41) and event.evidence_refs == ["doc-1", "doc-2"]
    given = _given()
    assert dataclasses.replace(timeline_event(ROW), _row=None) == given  # type: ignore[arg-type]
    opened = dataclasses.replace(timeline_event(ROW), _payload={"x": 1}, _opened=True)  # type: ignore[arg-type]
    assert opened.id == given.id and opened.evidence_refs == given.evidence_refs
    assert opened._payload == {"x": 1} and opened._opened


def test_an_event_without_a_row_has_no_undecoded_fields() -> None:
    bare = TimelineEvent.__new__(TimelineEvent)
    for name in ("id", "evidence_refs"):
        try:
            getattr(bare, name)
        except AttributeError:
            continue
        raise AssertionError(f"{name} read without a row")
