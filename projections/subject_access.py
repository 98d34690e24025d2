"""Subject access (GDPR Art 15): everything the ledger holds about one person, as one JSON
document: each of their cases (as it stands), every event with the personal data opened (or
marked erased, when and why), and every read of their personal data from the access log.

A person is identified by the person id minted when their first case opened (and given again
when a later case is linked to it): national references differ by member state and procedure,
names are sealed and may be erased, so neither can find a person's cases. The export is itself
a read of personal data: it is written to the access log before it is produced.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ledger.authorization.policy import Read, check_may_read, scope_of
from ledger.envelope import Actor
from projections.db import Row
from projections.encoding import loads
from projections.personal_data import PRESENT, PersonalDataReads, payload_shown
from projections.personal_data_log import Access, AccessFilter, PersonalDataLog
from projections.read_models import ReadModels

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

    def export(self, person_id: str, via: str = "subjectAccess") -> dict[str, Any] | None:
        """The document, or None when the person has no case in this principal's scope.
        Raises `Forbidden` for a role without subject access."""
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
            events = [_plain_row(e) for e in self.reads.cases.timeline(row["case_id"])]
            for event in events:
                payload = (loads(event["payload"]) if isinstance(event["payload"], str)
                           else event["payload"])
                event["payload"] = payload_shown(
                    payload, view, self.personal.values(view, event["command_id"], payload))
            reads = self.log.entries(AccessFilter(case_id=row["case_id"]), 100_000, None)
            personal: dict[str, Any] = view.marker() if view else {"status": "UNAVAILABLE"}
            if view is not None and view.status == PRESENT and view.details is not None:
                personal.update(view.details.as_dict())
            cases.append({
                "case": _plain_row(row),
                "personal_data": personal,
                "events": events,
                "access_log": [_plain_row(a) for a in reads],
            })
        return {"format": FORMAT, "person_id": person_id,
                "produced_at": now.isoformat(timespec="microseconds"),
                "produced_by": {"subject": self.actor.id, "role": self.actor.role,
                                "authority": self.actor.authority,
                                "member_state": self.actor.member_state},
                "cases": cases}
