"""`ConsistentLedger.record` commits without projecting (a mutation's request path); `reach`
then brings the read models to the command's position; `handle` is both (read-your-writes)."""

from __future__ import annotations

from ledger.case import commands as c
from pact_ledger.wiring import Container
from tests.support.steps import at


def test_record_projects_nothing_and_reach_catches_up(container: Container) -> None:
    container.runner.catch_up()
    before = container.runner.position()
    applied = container.commands.record(
        c.MakeApplication(member_state="IT", national_reference="REC-ONLY-1", place="Rome",
                          person=c.Person(nationality="SY")), at(0))
    assert applied.position == max(applied.outcome.positions) > before
    assert container.runner.position() == before  # nothing projected on the way
    assert container.reads.cases.case(str(applied.outcome.aggregate_id)) is None
    assert container.commands.reach(applied.position)
    assert container.runner.position() >= applied.position
    row = container.reads.cases.case(str(applied.outcome.aggregate_id))
    assert row is not None and row["version"] == applied.outcome.version


def test_handle_still_answers_with_current_read_models(container: Container) -> None:
    applied = container.commands.handle(
        c.MakeApplication(member_state="IT", national_reference="REC-ONLY-2", place="Rome",
                          person=c.Person(nationality="SY")), at(0))
    assert applied.read_models_current
    assert container.runner.position() >= applied.position
