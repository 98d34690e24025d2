"""The exports as one principal may have them: read through the scoped facade
(`projections.scoped_reads`), so the same policy narrows them as every GraphQL read, and with
personal data only for roles that may read it, each opening written to the access log before
the data leave (as `schema.personal` does for GraphQL).

A case outside the principal's scope is absent (None), exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from ledger.authorization.policy import Read, check_may_read, may_read
from ledger.envelope import Actor
from ledger.errors import Forbidden
from ledger.validation import camel
from projections.exports import (
    CaseSelection,
    ExportQueries,
    case_record,
    deadline_record,
    opened_fields,
    timeline_record,
    trail_records,
)
from projections.personal_data import PersonalDataReads, PersonView, payload_shown
from projections.personal_data_log import Access, PersonalDataLog
from projections.queries import TimelineFilter
from projections.read_models import ReadModels
from projections.scoped_reads import ScopedReads
from projections.tables import CaseRow


class PersonalLog:
    """The gate to personal data for exports and pages: open only to the roles the policy
    allows, and each opening logged (in one transaction per call) before the data are given."""

    def __init__(self, actor: Actor, log: PersonalDataLog) -> None:
        self.actor, self._log = actor, log
        self.allowed = may_read(actor, Read.PERSONAL_DATA)

    def open(self, cases: Iterable[tuple[str, str, Iterable[str]]], via: str) -> bool:
        """May this principal see the fields of these (case id, member state, fields)? If so,
        every non-empty access is logged first."""
        if not self.allowed:
            return False
        now = datetime.now(UTC)
        a = self.actor
        self._log.append([
            Access(at=now, subject=a.id, role=a.role, authority=a.authority,
                   member_state=a.member_state, case_id=case_id, case_member_state=state,
                   fields=tuple(sorted(set(fields))), via=via[:300])
            for case_id, state, fields in cases if fields])
        return True


class ScopedExports:
    def __init__(self, reads: ReadModels, access_log: PersonalDataLog, actor: Actor,
                 exports: ExportQueries, sealed: PersonalDataReads) -> None:
        """`sealed`: opens the personal data sealed in the events (issue 12: the read models
        hold them only sealed), or says they were erased."""
        self.actor = actor
        self.reads = ScopedReads(reads, access_log, actor)
        self.personal = PersonalLog(actor, access_log)
        self.sealed = sealed
        self._exports, self._integrity = exports, reads.integrity

    # --- a member state's cases ------------------------------------------------------------
    def check_cases(self, personal: bool) -> None:
        """Refuse before any byte is sent: the role may not read cases, or personal data."""
        check_may_read(self.actor, Read.CASES)
        if personal and not self.personal.allowed:
            raise Forbidden(f"A {self.actor.role} may not read personal data")

    def cases(self, selection: CaseSelection, personal: bool, via: str
              ) -> Iterator[dict[str, Any]]:
        """The selected cases within the principal's scope, one batch in memory at a time."""
        self.check_cases(personal)
        possible, state = self.reads.cases.narrowed(selection.member_state)
        if not possible:
            return
        for rows in self._exports.case_batches(CaseSelection(state, selection.status)):
            views = self.sealed.views([r["case_id"] for r in rows]) if personal else {}
            if personal:
                self.personal.open(((r["case_id"], r["member_state"],
                                     [camel(f) for f in opened_fields(views.get(r["case_id"]))])
                                    for r in rows), via)
            for row in rows:
                yield case_record(row, personal, views.get(row["case_id"]))

    # --- one case ---------------------------------------------------------------------------
    def case(self, case_id: str) -> CaseRow | None:
        return self.reads.cases.case(case_id)

    def timeline(self, case_id: str, via: str, filter: TimelineFilter | None = None,
                 open_sealed: bool = True) -> list[dict[str, Any]] | None:
        """Every event of the case, its sealed values (names, date of birth, free text) shown
        as `projections.personal_data.payload_shown` does: opened only for a principal who
        may read them (logged first, `open_sealed` False: never), null once erased, with the
        case's status (PRESENT, ERASED: when and why) under `personal_data`."""
        case = self.case(case_id)
        if case is None:
            return None
        records = [timeline_record(r) for r in self.reads.cases.timeline(case_id, filter)]
        view = self.sealed.view(case_id)
        values = [self._opened(view, r) if open_sealed and self.personal.allowed else {}
                  for r in records]
        fields = sorted({camel(k) for v in values for k in v})
        if not self.personal.open([(case_id, case["member_state"], fields)], via):
            values = [{} for _ in records]
        for record, opened in zip(records, values, strict=True):
            record["payload"] = payload_shown(record["payload"], view, opened)
        return records

    def _opened(self, view: PersonView | None, record: dict[str, Any]) -> dict[str, Any]:
        return self.sealed.values(view, record["command_id"] or "", record["payload"])

    def personal_view(self, case_id: str) -> PersonView | None:
        """Where the case's personal data stand (opened or erased); callers log before they
        show any value (`PersonalLog.open`)."""
        return self.sealed.view(case_id)

    def deadlines(self, case_id: str) -> list[dict[str, Any]] | None:
        if self.case(case_id) is None:
            return None
        now = self.reads.deadlines.now()
        return [deadline_record(r, now) for r in self.reads.deadlines.for_case(case_id)]

    def trail(self, case_id: str) -> list[dict[str, Any]] | None:
        case = self.case(case_id)
        if case is None:
            return None
        return trail_records(case, self.reads.history.events(UUID(case_id)),
                             self.reads.cases.timeline(case_id),
                             self.reads.deadlines.for_case(case_id), self.reads.deadlines.now())

    def proof_bundle(self, case_id: UUID, via: str) -> dict[str, Any] | None:
        """The case's record with inclusion proofs (`projections.integrity_export`). Its events
        are the records the hashes cover, so personal data in them cannot be left out: a role
        that may not read personal data gets the bundle only for a case without any."""
        case = self.case(str(case_id))
        if case is None:
            return None
        document = self._integrity.export_case(case_id)
        if document is None:
            return None
        # Issue 12: the records hold personal data only sealed (ciphertext the hashes cover,
        # which opens only through the key store and not at all once erased), so the bundle
        # is no opening of personal data. Beside the records, outside the proofs: whether they
        # are held or erased (when, why).
        view = self.sealed.view(str(case_id))
        document["personal_data"] = view.marker() if view else None
        return document

    def verification(self, case_id: UUID) -> Any:
        """The case's chain checked, for roles that read integrity; None for others."""
        if not may_read(self.actor, Read.INTEGRITY):
            return None
        return self.reads.integrity.verify_case(case_id)
