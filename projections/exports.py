"""What the exports hold, as plain records: a member state's cases with their current state, a
case's timeline, its decision trail and its deadlines.

Cases are read in keyset batches on `seq` (the log position of the opening event), so an export
of any size holds one batch in memory at a time on both backends and is stable while new cases
are recorded. Times are ISO 8601 with an offset, as the GraphQL API gives them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ledger.case.event_base import CaseEvent
from ledger.deadlines.catalogue import PERSONS_PERIODS
from ledger.deadlines.deadline import Deadline
from ledger.personal_data.sealed import PersonalDetails
from projections.db import ReadDatabase, Row
from projections.decision_trail import build_trail
from projections.encoding import loads, parse_time
from projections.personal_data import UNAVAILABLE, PersonView, is_sealed, readable

#: Rows fetched per round trip: the most an export holds in memory at once.
BATCH = 500

#: A case's current state, in export order (no personal data: see PERSONAL_COLUMNS).
CASE_EXPORT_COLUMNS = (
    "case_id", "member_state", "national_reference", "nationality", "unaccompanied_minor",
    "status", "screening", "screening_outcome", "opened_at", "application_made_at",
    "registered_at", "lodged_at", "procedure", "last_decision_type", "last_decision_at",
    "standing_decision_no", "pending_appeal_no", "decision_final", "return_decision_issued",
    "right_to_remain_ended", "security_flag", "responsibility_state", "relocation_state",
    "closed_reason", "last_occurred_at", "last_recorded_at", "version",
)
#: Personal data of a case: sealed in its opening event (issue 12), opened through the vault
#: only for roles that may read them, and logged; null once erased.
PERSONAL_COLUMNS = PersonalDetails.FIELDS
#: Where the personal data stand (PRESENT, ERASED, NONE, UNAVAILABLE; when and why erased):
#: not personal data, exported beside `PERSONAL_COLUMNS`.
PERSONAL_STATUS_COLUMNS = ("personal_data_status", "personal_data_erased_at",
                           "personal_data_erasure_basis")
#: The columns a case export adds when personal data are asked for.
CASE_PERSONAL_COLUMNS = PERSONAL_COLUMNS + PERSONAL_STATUS_COLUMNS
_BOOLEAN = frozenset({"unaccompanied_minor", "decision_final", "return_decision_issued",
                      "right_to_remain_ended", "security_flag", "recorded_late",
                      "met_recorded_late", "confirmed", "by_court", "stands", "suspensive"})
_TIMES = frozenset({"opened_at", "application_made_at", "registered_at", "lodged_at",
                    "last_decision_at", "last_occurred_at", "last_recorded_at", "occurred_at",
                    "recorded_at", "started_at", "due_at", "met_at", "stopped_at"})

TIMELINE_EXPORT_COLUMNS = (
    "case_id", "version", "position", "event_type", "phase", "occurred_at", "recorded_at",
    "recorded_late", "actor_id", "actor_role", "actor_authority", "actor_member_state",
    "legal_basis", "payload", "changes", "command_id", "correlation_id", "causation_id",
    "evidence_refs",
)
TRAIL_EXPORT_COLUMNS = (
    "decision_no", "type", "ground", "decided_at", "notified_at", "decided_by", "by_court",
    "procedure", "procedure_grounds", "legal_basis", "evidence_refs", "interviews",
    "return_decision", "return_exception", "deadlines", "appeals", "final_at", "stands",
)
DEADLINE_EXPORT_COLUMNS = (
    "rule", "version", "title", "act", "article", "confirmed", "kept_by", "started_at",
    "due_at", "met_at", "met_by", "met_recorded_late", "stopped_at", "extended_days", "status",
    "breached",
)


def iso(text: str | None) -> str | None:
    """A stored time as the API gives it (ISO 8601, UTC offset)."""
    moment = parse_time(text)
    return None if moment is None else moment.isoformat()


def _value(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column in _BOOLEAN:
        return bool(value)
    if column in _TIMES:
        return iso(value)
    return value


def case_record(row: Row, personal: bool, view: PersonView | None = None) -> dict[str, Any]:
    """`personal`: add `CASE_PERSONAL_COLUMNS` from `view` (the caller has checked the role
    and logged the opening); erased data are null, with when and why."""
    record = {c: _value(c, row[c]) for c in CASE_EXPORT_COLUMNS}
    if personal:
        record.update(personal_record(view))
    return record


def personal_record(view: PersonView | None) -> dict[str, Any]:
    details = view.details if view is not None and readable(view) else None
    opened = details.as_dict() if details is not None else dict.fromkeys(PERSONAL_COLUMNS)
    marker = view.marker() if view is not None else {}
    return {**{c: opened[c] for c in PERSONAL_COLUMNS},
            "personal_data_status": marker.get("status", UNAVAILABLE),
            "personal_data_erased_at": marker.get("erased_at"),
            "personal_data_erasure_basis": marker.get("erasure_basis")}


def opened_fields(view: PersonView | None) -> list[str]:
    """The personal columns that `personal_record` fills for `view` (what an opening logs)."""
    if view is None or not readable(view) or view.details is None:
        return []
    return [k for k, v in view.details.as_dict().items() if v is not None]


def without_ciphertext(value: Any) -> Any:
    """A stored value with every sealed value (`SealedValue.as_dict`) replaced by null: the
    ciphertext never leaves the ledger (e.g. a sealed relocation reason in `changes`)."""
    if is_sealed(value):
        return None
    if isinstance(value, dict):
        return {k: without_ciphertext(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_ciphertext(v) for v in value]
    return value


def timeline_record(row: Mapping[str, Any]) -> dict[str, Any]:
    record = {c: _value(c, row[c]) for c in TIMELINE_EXPORT_COLUMNS
              if c not in ("position", "legal_basis", "payload", "changes", "evidence_refs")}
    record.update(position=row["seq"], legal_basis=loads(row["legal_basis"]),
                  payload=loads(row["payload"]),
                  changes=without_ciphertext(loads(row["changes"])),
                  evidence_refs=loads(row["evidence_refs"]))
    return {c: record[c] for c in TIMELINE_EXPORT_COLUMNS}


def deadline_value(row: Row) -> Deadline:
    """The engine's own value object, so status and breach are computed as everywhere else."""
    return Deadline(
        code=row["code"], version=row["version"], title=row["title"], act=row["act"],
        article=row["article"], confirmed=bool(row["confirmed"]),
        started_at=parse_time(row["started_at"]),  # type: ignore[arg-type]
        due_at=parse_time(row["due_at"]),  # type: ignore[arg-type]
        opened_position=row["opened_position"], met_at=parse_time(row["met_at"]),
        met_by=row["met_by"], met_position=row["met_position"],
        met_recorded_late=bool(row["met_recorded_late"]), stopped_at=parse_time(row["stopped_at"]),
        extended_days=row["extended_days"],
        kept_by="PERSON" if row["code"] in PERSONS_PERIODS else "AUTHORITY",
    )


def deadline_record(row: Row, now: datetime) -> dict[str, Any]:
    d = deadline_value(row)
    return {"rule": d.code, "version": d.version, "title": d.title, "act": d.act,
            "article": d.article, "confirmed": d.confirmed, "kept_by": d.kept_by,
            "started_at": d.started_at.isoformat(), "due_at": d.due_at.isoformat(),
            "met_at": d.met_at.isoformat() if d.met_at else None, "met_by": d.met_by,
            "met_recorded_late": d.met_recorded_late,
            "stopped_at": d.stopped_at.isoformat() if d.stopped_at else None,
            "extended_days": d.extended_days, "status": d.status(now).value,
            "breached": d.breached(now)}


def _actor(actor: Any) -> dict[str, str] | None:
    return None if actor is None else {"id": actor.id, "role": actor.role,
                                       "authority": actor.authority,
                                       "member_state": actor.member_state}


def _moment(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def trail_records(case: Mapping[str, Any], events: Sequence[CaseEvent],
                  timeline: Sequence[Any],
                  deadlines: Sequence[Row], now: datetime) -> list[dict[str, Any]]:
    """The decision trail (`projections.decision_trail`) as plain records: API times,
    deadline records, actors as objects."""
    records = []
    for d in build_trail(events, timeline, deadlines, case["standing_decision_no"]):
        records.append({
            "decision_no": d.decision_no, "type": d.type, "ground": d.ground,
            "decided_at": _moment(d.decided_at), "notified_at": _moment(d.notified_at),
            "decided_by": _actor(d.decided_by), "by_court": d.by_court,
            "procedure": d.procedure, "procedure_grounds": list(d.procedure_grounds),
            "legal_basis": d.legal_basis, "evidence_refs": list(d.evidence_refs),
            "interviews": [{**i, "held_at": iso(i["held_at"])} for i in d.interviews],
            "return_decision": None if d.return_decision is None else {
                **d.return_decision, "issued_at": iso(d.return_decision["issued_at"])},
            "return_exception": d.return_exception,
            "deadlines": [deadline_record(x, now) for x in d.deadlines],
            "appeals": [{"appeal_no": a.appeal_no, "appeal_body": a.appeal_body,
                         "lodged_at": _moment(a.lodged_at), "suspensive": a.suspensive,
                         "request_to_remain": a.request_to_remain, "outcome": a.outcome,
                         "decided_at": _moment(a.decided_at),
                         "decided_by": _actor(a.decided_by)} for a in d.appeals],
            "final_at": _moment(d.final_at), "stands": d.stands})
    return records


@dataclass(frozen=True)
class CaseSelection:
    """Which cases an export holds: `member_state` None is every member state."""

    member_state: str | None = None
    status: str | None = None


class ExportQueries:
    def __init__(self, db: ReadDatabase, batch: int = BATCH) -> None:
        self.db, self.batch = db, batch

    def case_batches(self, selection: CaseSelection) -> Iterator[list[Row]]:
        """The selected cases in log order, `batch` rows at a time (keyset on seq)."""
        clauses, params = [], []
        for column, value in (("member_state", selection.member_state),
                              ("status", selection.status)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        where = "".join(f"{c} AND " for c in clauses)
        after = -1
        while True:
            rows = self.db.fetchall(f"SELECT * FROM case_list WHERE {where}seq > ? "
                                    "ORDER BY seq LIMIT ?", (*params, after, self.batch))
            if not rows:
                return
            yield rows
            if len(rows) < self.batch:
                return
            after = rows[-1]["seq"]
