"""Subject access (GDPR Art 15): everything the ledger holds about one person, as one JSON
document: each of their cases (as it stands), every event with the personal data opened (or
marked erased, when and why), and every read of their personal data from the access log.

A person is identified by the person id minted when their first case opened (and given again
when a later case is linked to it): national references differ by member state and procedure,
names are sealed and may be erased, so neither can find a person's cases. The export is itself
a read of personal data: it is written to the access log before it is produced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ledger.authorization.policy import Read, check_may_read, scope_of
from ledger.envelope import Actor
from projections.db import Row
from projections.encoding import loads
from projections.personal_data import PRESENT, PersonalDataReads, PersonView, payload_shown
from projections.personal_data_log import Access, AccessFilter, PersonalDataLog
from projections.read_models import ReadModels
from projections.tables import CaseRow

FORMAT = "pact-ledger-subject-access/1"
_JSON_COLUMNS = ("decisions", "appeals", "details", "legal_basis", "evidence_refs", "changes",
                 "fields")


def _plain_row(row: Row) -> dict[str, Any]:
    return {k: (loads(row[k]) if k in _JSON_COLUMNS and isinstance(row[k], str) else row[k])
            for k in row.keys()}


class SubjectAccess:
    def __init__(self, reads: ReadModels, personal: PersonalDataReads, log: PersonalDataLog,
                 actor: Actor) -> None:
        self.reads, self.personal, self.log, self.actor = reads, personal, log, actor

    def gather(self, person_id: str, via: str = "subjectAccess") -> SubjectRecord | None:
        """Everything held about the person, as rows (payloads opened), or None when the
        person has no case in this principal's scope. The reads are written to the access log
        first. Raises `Forbidden` for a role without subject access."""
        check_may_read(self.actor, Read.SUBJECT_ACCESS)
        scope = scope_of(self.actor)
        rows = [row for row in (self.reads.cases.case(cid)
                                for cid in self.personal.cases_of(person_id))
                if row is not None and (scope is None or row["member_state"] == scope)]
        if not rows:
            return None
        views = self.personal.views([r["case_id"] for r in rows])
        now = datetime.now(UTC)
        self.log.append([Access(
            at=now, subject=self.actor.id, role=self.actor.role,
            authority=self.actor.authority, member_state=self.actor.member_state,
            case_id=r["case_id"], case_member_state=r["member_state"],
            fields=("subjectAccess",), via=via[:300]) for r in rows])
        cases = []
        for row in rows:
            view = views.get(row["case_id"])
            events = list(self.reads.cases.timeline(row["case_id"]))
            shown = []
            for event in events:
                payload = (loads(event["payload"]) if isinstance(event["payload"], str)
                           else event["payload"])
                shown.append(payload_shown(
                    payload, view, self.personal.values(view, event["command_id"], payload)))
            reads = self.log.entries(AccessFilter(case_id=row["case_id"]), 100_000, None)
            cases.append(SubjectCase(row, view, events, shown, list(reads)))
        return SubjectRecord(person_id, now, self.actor, cases)

    def export(self, person_id: str, via: str = "subjectAccess") -> dict[str, Any] | None:
        """The document, or None when the person has no case in this principal's scope.
        Raises `Forbidden` for a role without subject access."""
        record = self.gather(person_id, via)
        if record is None:
            return None
        cases = []
        for case in record.cases:
            events = [_plain_row(e) for e in case.events]
            for event, shown in zip(events, case.payloads, strict=True):
                event["payload"] = shown
            view = case.view
            personal: dict[str, Any] = view.marker() if view else {"status": "UNAVAILABLE"}
            if view is not None and view.status == PRESENT and view.details is not None:
                personal.update(view.details.as_dict())
            cases.append({
                "case": _plain_row(case.row),
                "personal_data": personal,
                "events": events,
                "access_log": [_plain_row(a) for a in case.access_log],
            })
        actor = record.produced_by
        return {"format": FORMAT, "person_id": person_id,
                "produced_at": record.produced_at.isoformat(timespec="microseconds"),
                "produced_by": {"subject": actor.id, "role": actor.role,
                                "authority": actor.authority,
                                "member_state": actor.member_state},
                "cases": cases}


@dataclass(frozen=True)
class SubjectCase:
    """One case of the person: its row, its personal data, its events with their payloads as
    shown (opened), and who read its personal data."""

    row: CaseRow
    view: PersonView | None
    events: list[Any]
    payloads: list[dict[str, Any]]
    access_log: list[Any]


@dataclass(frozen=True)
class SubjectRecord:
    """Everything held about one person, as `SubjectAccess.gather` found it."""

    person_id: str
    produced_at: datetime
    produced_by: Actor
    cases: list[SubjectCase]
