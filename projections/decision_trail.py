"""The trail of each decision in a case, for appeal bodies: who decided what, when, on which
basis, under which procedure and deadlines (kept or not), after which interviews and evidence,
the appeals against it and their outcome, and whether it is the decision that finally stands.

Built from the case's timeline and deadline rows: both are projections of the same events.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from projections.db import Row
from projections.encoding import loads

EXAMINATION_DEADLINES = ("ADMISSIBILITY", "ADMISSIBILITY_38_1_E", "ACCELERATED", "REGULAR",
                         "BORDER_PROCEDURE")
APPEAL_DEADLINES = ("APPEAL_SHORT", "APPEAL_STANDARD")


def _actor(row: Row) -> dict[str, str]:
    return {"id": row["actor_id"], "role": row["actor_role"],
            "authority": row["actor_authority"], "member_state": row["actor_member_state"]}


def build_trail(timeline: Sequence[Row], deadlines: Sequence[Row],
                standing_no: int | None) -> list[dict[str, Any]]:
    decisions: dict[int, dict[str, Any]] = {}
    appeals: dict[int, dict[str, Any]] = {}
    procedure: dict[str, Any] = {}
    interviews: list[dict[str, Any]] = []
    for row in timeline:
        kind, payload = row["event_type"], loads(row["payload"])
        if kind == "ProcedureAssigned":
            procedure = {"procedure": payload["procedure"], "grounds": payload["grounds"]}
        elif kind == "InterviewHeld":
            interviews.append({**payload, "held_at": row["occurred_at"], "by": _actor(row)})
        elif kind == "DecisionIssued":
            decisions[payload["decision_no"]] = {
                "decision_no": payload["decision_no"], "type": payload["decision_type"],
                "ground": payload["ground"], "decided_at": row["occurred_at"],
                "notified_at": payload["notified_at"], "decided_by": _actor(row),
                "by_court": False, "legal_basis": loads(row["legal_basis"]),
                "evidence_refs": loads(row["evidence_refs"]),
                "procedure": procedure.get("procedure"),
                "procedure_grounds": procedure.get("grounds", []),
                "interviews": interviews, "return_exception": payload["return_exception"],
                "return_decision": None, "appeals": [], "final_at": None,
                "deadlines": _deadlines(deadlines, row, EXAMINATION_DEADLINES, "met_position")
                + _deadlines(deadlines, row, APPEAL_DEADLINES, "opened_position"),
            }
            interviews = []
        elif kind == "ReturnDecisionIssued" and payload["joint_with_decision_no"] in decisions:
            decisions[payload["joint_with_decision_no"]]["return_decision"] = {
                "issued_at": row["occurred_at"],
                "voluntary_departure_days": payload["voluntary_departure_days"]}
        elif kind == "DecisionNotified":
            decision = decisions[payload["decision_no"]]
            decision["notified_at"] = row["occurred_at"]
            decision["deadlines"] += _deadlines(deadlines, row, APPEAL_DEADLINES,
                                                "opened_position")
        elif kind == "AppealLodged":
            appeal = {"appeal_no": payload["appeal_no"], "appeal_body": payload["appeal_body"],
                      "lodged_at": row["occurred_at"], "suspensive": payload["suspensive"],
                      "request_to_remain": None, "outcome": None, "decided_at": None,
                      "decided_by": None}
            appeals[payload["appeal_no"]] = appeal
            decisions[payload["decision_no"]]["appeals"].append(appeal)
        elif kind == "RequestToRemainLodged" and appeals:
            appeals[max(appeals)]["request_to_remain"] = "PENDING"
        elif kind == "RequestToRemainDecided" and appeals:
            appeals[max(appeals)]["request_to_remain"] = (
                "GRANTED" if payload["granted"] else "REFUSED")
        elif kind == "AppealDecided":
            appeals[payload["appeal_no"]].update(
                outcome=payload["outcome"], decided_at=row["occurred_at"], decided_by=_actor(row))
            if payload["decision_no"] is not None:
                decisions[payload["decision_no"]] = {
                    "decision_no": payload["decision_no"],
                    "type": payload["substituted_decision_type"],
                    "ground": f"Appeal {payload['appeal_no']} overturned the decision",
                    "decided_at": row["occurred_at"], "notified_at": row["occurred_at"],
                    "decided_by": _actor(row), "by_court": True,
                    "legal_basis": loads(row["legal_basis"]),
                    "evidence_refs": loads(row["evidence_refs"]),
                    "procedure": procedure.get("procedure"), "procedure_grounds": [],
                    "interviews": [], "return_exception": None, "return_decision": None,
                    "appeals": [], "final_at": None, "deadlines": []}
        elif kind == "DecisionFinal":
            decisions[payload["decision_no"]]["final_at"] = row["occurred_at"]
    for number, decision in decisions.items():
        decision["stands"] = number == standing_no
    return [decisions[n] for n in sorted(decisions)]


def _deadlines(deadlines: Sequence[Row], event: Row, codes: tuple[str, ...],
               position_column: str) -> list[Row]:
    return [d for d in deadlines if d["code"] in codes and d[position_column] == event["seq"]]
