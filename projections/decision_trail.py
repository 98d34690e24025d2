"""The trail of each decision in a case, for appeal bodies: who decided what, when, on which
basis, under which procedure and deadlines (kept or not), after which interviews and evidence,
the appeals against it and their outcome, and whether it is the decision that finally stands.

Built by folding the case's own events (from the event store) into typed trail values, one
`match` arm per kind of event; the deadline rows (a projection of the same events) say which
deadlines each decision met or opened, matched by the event's position in the log.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ledger.case.after_decision.events import ReturnDecisionIssued
from ledger.case.event_base import CaseEvent
from ledger.case.examination.events import (
    DecisionIssued,
    DecisionNotified,
    InterviewHeld,
    ProcedureAssigned,
)
from ledger.case.remedies.events import (
    AppealDecided,
    AppealLodged,
    DecisionFinal,
    RequestToRemainDecided,
    RequestToRemainLodged,
)
from ledger.envelope import Actor
from projections.db import Row
from projections.encoding import payload_of, time_text

EXAMINATION_DEADLINES = ("ADMISSIBILITY", "ADMISSIBILITY_38_1_E", "ACCELERATED", "REGULAR",
                         "BORDER_PROCEDURE", "BORDER_PROCEDURE_AFTER_TRANSFER",
                         "REGULAR_AFTER_ENTRY")
APPEAL_DEADLINES = ("APPEAL_SHORT", "APPEAL_STANDARD")


@dataclass
class TrailAppeal:
    appeal_no: int
    appeal_body: str
    lodged_at: datetime
    suspensive: bool
    request_to_remain: str | None = None  # PENDING, GRANTED, REFUSED
    outcome: str | None = None
    decided_at: datetime | None = None
    decided_by: Actor | None = None


@dataclass
class TrailDecision:
    decision_no: int
    type: str
    ground: str
    decided_at: datetime
    notified_at: datetime | None
    decided_by: Actor
    by_court: bool
    legal_basis: list[dict[str, str]]
    evidence_refs: list[str]
    procedure: str | None
    procedure_grounds: list[str]
    interviews: list[dict[str, Any]]
    return_exception: str | None
    deadlines: list[Row]
    return_decision: dict[str, Any] | None = None
    appeals: list[TrailAppeal] = field(default_factory=list)
    final_at: datetime | None = None
    stands: bool = False


def _at(event: CaseEvent) -> datetime:
    return event.envelope.occurred_at.astimezone(UTC)


def _basis(event: CaseEvent) -> list[dict[str, str]]:
    return [{"act": b.act, "article": b.article} for b in event.envelope.legal_basis]


def build_trail(events: Sequence[CaseEvent], timeline: Sequence[Row],
                deadlines: Sequence[Row], standing_no: int | None) -> list[TrailDecision]:
    """`events`: the case's stream; `timeline`: its rows in the read model, which give each
    event's log position (events the read models do not hold yet are left out, so the trail
    and the deadlines describe the same record)."""
    positions: Mapping[int, int] = {row["version"]: row["seq"] for row in timeline}
    decisions: dict[int, TrailDecision] = {}
    appeals: dict[int, TrailAppeal] = {}
    procedure: ProcedureAssigned | None = None
    interviews: list[dict[str, Any]] = []

    def met(event: CaseEvent, codes: tuple[str, ...], column: str) -> list[Row]:
        seq = positions[event.originator_version]
        return [d for d in deadlines if d["code"] in codes and d[column] == seq]

    for event in events:
        if event.originator_version not in positions:
            continue
        match event:
            case ProcedureAssigned():
                procedure = event
            case InterviewHeld():
                interviews.append({**payload_of(event), "held_at": time_text(_at(event)),
                                   "by": vars(event.envelope.actor)})
            case DecisionIssued():
                decisions[event.decision_no] = TrailDecision(
                    decision_no=event.decision_no, type=event.decision_type,
                    ground=event.ground, decided_at=_at(event),
                    notified_at=event.notified_at and event.notified_at.astimezone(UTC),
                    decided_by=event.envelope.actor, by_court=False,
                    legal_basis=_basis(event), evidence_refs=list(event.envelope.evidence_refs),
                    procedure=procedure.procedure if procedure else None,
                    procedure_grounds=list(procedure.grounds) if procedure else [],
                    interviews=interviews, return_exception=event.return_exception,
                    deadlines=met(event, EXAMINATION_DEADLINES, "met_position")
                    + met(event, APPEAL_DEADLINES, "opened_position"))
                interviews = []
            case ReturnDecisionIssued() if event.joint_with_decision_no in decisions:
                decisions[event.joint_with_decision_no].return_decision = {
                    "issued_at": time_text(_at(event)),
                    "voluntary_departure_days": event.voluntary_departure_days}
            case DecisionNotified():
                decision = decisions[event.decision_no]
                decision.notified_at = _at(event)
                decision.deadlines += met(event, APPEAL_DEADLINES, "opened_position")
            case AppealLodged():
                appeal = TrailAppeal(appeal_no=event.appeal_no, appeal_body=event.appeal_body,
                                     lodged_at=_at(event), suspensive=event.suspensive)
                appeals[event.appeal_no] = appeal
                decisions[event.decision_no].appeals.append(appeal)
            case RequestToRemainLodged() if appeals:
                appeals[max(appeals)].request_to_remain = "PENDING"
            case RequestToRemainDecided() if appeals:
                appeals[max(appeals)].request_to_remain = (
                    "GRANTED" if event.granted else "REFUSED")
            case AppealDecided():
                decided = appeals[event.appeal_no]
                decided.outcome, decided.decided_at = event.outcome, _at(event)
                decided.decided_by = event.envelope.actor
                if event.decision_no is not None:
                    decisions[event.decision_no] = TrailDecision(
                        decision_no=event.decision_no,
                        type=event.substituted_decision_type,  # type: ignore[arg-type]
                        ground=f"Appeal {event.appeal_no} overturned the decision",
                        decided_at=_at(event), notified_at=_at(event),
                        decided_by=event.envelope.actor, by_court=True,
                        legal_basis=_basis(event),
                        evidence_refs=list(event.envelope.evidence_refs),
                        procedure=procedure.procedure if procedure else None,
                        procedure_grounds=[], interviews=[], return_exception=None,
                        deadlines=[])
            case DecisionFinal():
                decisions[event.decision_no].final_at = _at(event)
    for number, decision in decisions.items():
        decision.stands = number == standing_no
    return [decisions[n] for n in sorted(decisions)]
