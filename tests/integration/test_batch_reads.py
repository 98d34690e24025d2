"""A batch reads back only the cases it needs: a case opened within the batch has no stored
row or tracker to read (its opening is its first event), so the case and deadline projections
ask the database for none of those, on either backend; the rows are what they were."""

from __future__ import annotations

from typing import Any

from ledger.case.screening.events import CaseOpened
from pact_ledger.settings import Settings
from pact_ledger.wiring import build
from projections.case_projection import CaseProjection
from projections.deadline_projection import DeadlineProjection
from tests.support.demo_ledger import record_demo


class _Spy:
    """A transaction's cursor that notes every id a statement asks about."""

    def __init__(self, tx: Any) -> None:
        self.tx, self.asked = tx, list[tuple[str, set[str]]]()

    def execute(self, sql: str, params: Any = ()) -> Any:
        if sql.startswith("SELECT") and " IN (" in sql:
            self.asked.append((sql.split(" FROM ")[1].split()[0], set(params)))
        return self.tx.execute(sql, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tx, name)


def test_a_batch_reads_back_none_of_the_cases_it_opens(settings: Settings) -> None:
    container = build(settings)
    try:
        record_demo(container, cases=6)
        app = container.ledger
        events = [(n.id, app.mapper.to_domain_event(n))
                  for n in app.recorder.select_notifications(1, 10_000)]
        opened = {str(e.originator_id) for _, e in events if isinstance(e, CaseOpened)}
        later = [i for i, (_, e) in enumerate(events) if isinstance(e, CaseOpened)][3]
        assert len(opened) == 6
        projections = [CaseProjection(), DeadlineProjection()]
        spies = []
        for part in (events[:later], events[later:]):  # (the second opens cases 4-6)
            with container.db.transaction() as tx:
                spy = _Spy(tx)
                for projection in projections:
                    projection.process(spy, part)  # type: ignore[arg-type]
                spies.append(spy)
        first, second = spies
        assert first.asked == []  # every case it touches opens in it
        tables = {table for table, _ in second.asked}
        assert tables == {"case_list", "deadline_trackers"}  # cases 1-3 go on: asked for
        opened_in_second = {str(e.originator_id) for _, e in events[later:]
                            if isinstance(e, CaseOpened)}
        assert len(opened_in_second) == 3
        for table, ids in second.asked:
            assert ids and not ids & opened_in_second, table
        rows = container.db.fetchall("SELECT case_id, version FROM case_list")
        assert {r["case_id"] for r in rows} == opened
        trackers = container.db.fetchall("SELECT case_id FROM deadline_trackers")
        assert {r["case_id"] for r in trackers} == opened
    finally:
        container.close()
