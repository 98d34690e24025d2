"""What auditors and appeal bodies read, on both backends: the timeline with what each step
changed, the case as it stood on either axis of time, the decision trail, pending appeals."""

from __future__ import annotations

from datetime import timedelta

from ledger.case import commands as c
from ledger.case.aggregate import Case
from pact_ledger.wiring import Container
from projections.decision_trail import build_trail
from projections.encoding import loads
from projections.queries import TimelineFilter
from projections.time_travel import OCCURRED, RECORDED
from tests.support.acting import handle
from tests.support.clock import ManualClock
from tests.support.steps import T0, at


def record(container: Container, clock: ManualClock, command: object, occurred_day: float,
           recorded_day: float) -> None:
    clock.set(T0 + timedelta(days=recorded_day))
    handle(container.ledger, command, at(occurred_day))


def test_late_recorded_steps_make_the_two_views_differ(container: Container,
                                                       clock: ManualClock) -> None:
    case_id = Case.create_id("IT", "A-1")
    record(container, clock, c.MakeApplication("IT", "A-1", "Rome", c.Person("AF")), 0, 0)
    # Registered on day 3 (within APR Art 27(1)'s 5 days) but recorded only on day 9.
    record(container, clock, c.RegisterApplication(case_id), 3, 9)
    container.runner.catch_up()
    history = container.reads.history
    day5 = T0 + timedelta(days=5)
    assert history.as_of(case_id, day5, OCCURRED)["status"] == "REGISTERED"
    assert history.as_of(case_id, day5, RECORDED)["status"] == "APPLICATION_MADE"
    assert history.as_of(case_id, T0 - timedelta(days=1), OCCURRED) is None
    assert history.at_version(case_id, 2)["status"] == "APPLICATION_MADE"
    registration = next(d for d in container.reads.deadlines.for_case(str(case_id))
                        if d["code"] == "REGISTRATION")
    assert registration["met_by"] == "ApplicationRegistered"
    assert registration["met_recorded_late"] == 1
    timeline = container.reads.cases.timeline(str(case_id))
    assert [bool(e["recorded_late"]) for e in timeline] == [False, False, True]


def test_timeline_says_what_each_step_changed(container: Container) -> None:
    handle(container.ledger, c.MakeApplication("IT", "A-2", "Rome", c.Person("AF")), at(0))
    case_id = Case.create_id("IT", "A-2")
    handle(container.ledger, c.RegisterApplication(case_id), at(1))
    container.runner.catch_up()
    timeline = container.reads.cases.timeline(str(case_id))
    registered = loads(timeline[-1]["changes"])
    assert registered["status"] == ["APPLICATION_MADE", "REGISTERED"]
    assert registered["registered_at"][0] is None and registered["registered_at"][1]
    assert [e["phase"] for e in timeline] == ["SCREENING", "ACCESS", "ACCESS"]
    only = container.reads.cases.timeline(str(case_id), TimelineFilter(phases=("ACCESS",)))
    assert [e["event_type"] for e in only] == ["ApplicationMade", "ApplicationRegistered"]


def _appealed_case(container: Container, reference: str, body: str) -> Case:
    handle(container.ledger, c.MakeApplication("EL", reference, "Samos", c.Person("PK")), at(0))
    case_id = Case.create_id("EL", reference)
    for command, day in (
        (c.RegisterApplication(case_id), 1), (c.LodgeApplication(case_id), 2),
        (c.AssignProcedure(case_id, "ACCELERATED", ("APR Art 42(1)(j)",)), 3),
        (c.RecordInterview(case_id, "INT-7", "ur", interpreter=True), 10),
        (c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39", with_return_decision=True,
                         voluntary_departure_days=10), 40),
        (c.NotifyDecision(case_id), 41), (c.LodgeAppeal(case_id, body), 45),
        (c.LodgeRequestToRemain(case_id), 45), (c.DecideRequestToRemain(case_id, False), 50),
    ):
        handle(container.ledger, command, at(day))
    return container.ledger.get_case(case_id)


def test_decision_trail_shows_how_the_decision_came_about(container: Container) -> None:
    case = _appealed_case(container, "A-3", "Administrative Court of Piraeus")
    handle(container.ledger, c.DecideAppeal(case.id, "UPHELD"), at(80))
    container.runner.catch_up()
    case_id = str(case.id)
    trail = build_trail(container.reads.history.events(case.id),
                        container.reads.cases.timeline(case_id),
                        container.reads.deadlines.for_case(case_id),
                        container.reads.cases.case(case_id)["standing_decision_no"])
    (decision,) = trail
    assert (decision.type, decision.procedure, decision.stands) == (
        "UNFOUNDED", "ACCELERATED", True)
    assert decision.decided_by.role == "DECISION_MAKER"
    assert [i["interview_ref"] for i in decision.interviews] == ["INT-7"]
    assert decision.return_decision is not None
    assert decision.return_decision["voluntary_departure_days"] == 10
    codes = {d["code"]: d for d in decision.deadlines}
    assert codes["ACCELERATED"]["met_by"] == "DecisionIssued"
    assert codes["APPEAL_SHORT"]["met_by"] == "AppealLodged"
    (appeal,) = decision.appeals
    assert (appeal.suspensive, appeal.request_to_remain, appeal.outcome) == (
        False, "REFUSED", "UPHELD")
    assert appeal.decided_by is not None and appeal.decided_by.role == "APPEAL_BODY"


def test_decisions_under_appeal_by_body(container: Container) -> None:
    _appealed_case(container, "A-4", "Court A")
    _appealed_case(container, "A-5", "Court B")
    container.runner.catch_up()
    reads = container.reads.cases
    assert [r["national_reference"] for r in reads.under_appeal("Court B", None, 10)] == ["A-5"]
    assert len(reads.under_appeal(None, "EL", 10)) == 2
    assert [r["national_reference"] for r in reads.under_appeal(None, "EL", 1)] == ["A-4"]
    assert reads.under_appeal(None, "IT", 10) == []


def test_pending_appeals_are_paged_and_counted_in_sql(container: Container) -> None:
    """`appeals_pending` reads one page and no more, filtered by the pending appeal's body
    where that appeal is not the case's first (its place is `pending_appeal_no`)."""
    cases = [_appealed_case(container, f"A-{n}", "Court A") for n in range(10, 15)]
    onward = cases[1]
    handle(container.ledger, c.DecideAppeal(onward.id, "UPHELD"), at(80))
    handle(container.ledger, c.LodgeAppeal(onward.id, "Supreme Court"), at(85))
    container.runner.catch_up()
    reads = container.reads.cases
    row = reads.case(str(onward.id))
    assert row is not None and row["pending_appeal_no"] == 2
    assert [r["national_reference"] for r in reads.appeals_pending("Supreme Court", None, 5, None)
            ] == ["A-11"]
    assert reads.appeals_pending_count("Supreme Court", None) == 1
    court_a = ["A-10", "A-12", "A-13", "A-14"]
    assert reads.appeals_pending_count("Court A", "EL") == 4
    first = reads.appeals_pending("Court A", None, 2, None)
    assert [r["national_reference"] for r in first] == court_a[:3]  # one more than the page
    after = reads.appeals_pending("Court A", None, 2, first[1]["seq"])
    assert [r["national_reference"] for r in after] == court_a[2:]
    back = reads.appeals_pending("Court A", None, 2, None, first[2]["seq"], backward=True)
    assert [r["national_reference"] for r in back] == ["A-12", "A-10"]
    assert reads.appeals_pending(None, "IT", 5, None) == []
    assert reads.appeals_pending_count(None, None) == 5
