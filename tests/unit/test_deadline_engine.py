"""The deadline engine beyond one rule at a time: which events start a deadline (the named
conditions), calendar arithmetic at its edges, extensions, re-opening, the rule version kept once
computed, and late recording."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ledger.deadlines.deadline import Deadline, DeadlineStatus
from ledger.deadlines.engine import DeadlineTracker
from ledger.deadlines.lateness import recorded_late
from tests.support.case_events import Story, T, opened


def end(day: int, month: int = 1, year: int = 2026) -> datetime:
    """The end of a day in Italy, where the test cases are (Reg. 1182/71 Art 3(2))."""
    return datetime(year, month, day, 23, 59, 59, 999999, tzinfo=ZoneInfo("Europe/Rome"))


def codes(story: Story) -> list[str]:
    return [x.code for x in story.track().deadlines]


def only(story: Story, code: str) -> list[Deadline]:
    return [x for x in story.track().deadlines if x.code == code]


def lodged(at: datetime) -> Story:
    s = opened(at - timedelta(days=3))
    s.add("ApplicationMade", at - timedelta(days=3))
    s.add("ApplicationRegistered", at - timedelta(days=2))
    s.add("ApplicationLodged", at)
    return s


# --- registration: APR Art 27(1) and screening --------------------------------------------------
def test_application_made_during_screening_starts_registration_at_the_referral() -> None:
    s = opened()
    s.add("ScreeningStarted", T)
    s.add("ApplicationMade", T + timedelta(days=1))
    assert "REGISTRATION" not in codes(s)
    s.add("ScreeningCompleted", T + timedelta(days=4), outcome="REFER_TO_RELOCATION")
    [registration] = only(s, "REGISTRATION")
    assert registration.started_at == T + timedelta(days=4)
    assert registration.due_at == end(14)  # Friday 9 January + 5 days, to the end of the day


def test_referral_to_return_starts_no_registration() -> None:
    s = opened()
    s.add("ScreeningStarted", T)
    s.add("ScreeningCompleted", T + timedelta(days=2), outcome="REFER_TO_RETURN")
    assert codes(s) == ["SCREENING_BORDER"]


def test_application_after_screening_starts_registration_at_once() -> None:
    s = opened()
    s.add("ScreeningStarted", T)
    s.add("ScreeningCompleted", T + timedelta(days=2), outcome="REFER_TO_RETURN")
    s.add("ApplicationMade", T + timedelta(days=3))
    [registration] = only(s, "REGISTRATION")
    assert registration.started_at == T + timedelta(days=3)


# --- Eurodac: age threshold (Art 15(1)) -----------------------------------------------------------
@pytest.mark.parametrize("due", [True, False])
def test_eurodac_transmission_only_when_biometrics_are_due(due: bool) -> None:
    """The age (from the sealed date of birth) is decided at registration by the domain
    (tests/unit/test_case_personal_data.py); the deadline follows the recorded fact."""
    s = opened(T - timedelta(days=1))
    s.add("ApplicationMade", T - timedelta(days=1))
    s.add("ApplicationRegistered", T, biometrics_due=due)
    assert ("EURODAC_TRANSMISSION" in codes(s)) is due


# --- responsibility: which hit starts what ------------------------------------------------------
@pytest.mark.parametrize(("category", "code"), [
    ("IRREGULAR_CROSSING", "TAKE_CHARGE_REQUEST_HIT"), ("SEARCH_AND_RESCUE",
                                                        "TAKE_CHARGE_REQUEST_HIT"),
    ("APPLICANT", "TAKE_BACK_NOTIFICATION"),
])
def test_eurodac_hit_category_selects_the_obligation(category: str, code: str) -> None:
    s = opened()
    s.add("EurodacHitReceived", T, category=category)
    assert codes(s) == [code]


# --- examination ---------------------------------------------------------------------------------
def test_working_days_skip_the_weekend() -> None:
    friday = datetime(2026, 1, 9, 10, 0, tzinfo=UTC)
    s = lodged(friday)
    s.add("ProcedureAssigned", friday + timedelta(days=3), procedure="ADMISSIBILITY",
          grounds=("APR Art 38(1)(e)",))
    [deadline] = only(s, "ADMISSIBILITY_38_1_E")
    assert deadline.due_at == end(23)  # two full weeks, to the end of Friday 23 January


@pytest.mark.parametrize(("procedure", "lodged_on", "last_by_count", "due_on"), [
    # 3 months to Saturday 28 February (clamped), moved to Monday 2 March (Art 3(4))
    ("ACCELERATED", date(2025, 11, 30), date(2026, 2, 28), date(2026, 3, 2)),
    # 6 months, clamped in a leap year, to Tuesday 29 February 2028
    ("REGULAR", date(2027, 8, 31), date(2028, 2, 29), date(2028, 2, 29)),
    # 31 December + 2 months, over the year's end: Saturday 28 February, so Monday 2 March
    ("ADMISSIBILITY", date(2025, 12, 31), date(2026, 2, 28), date(2026, 3, 2)),
])
def test_months_clamp_to_the_end_of_a_shorter_month(procedure: str, lodged_on: date,
                                                    last_by_count: date, due_on: date) -> None:
    at = datetime.combine(lodged_on, datetime.min.time(), UTC) + timedelta(hours=11)
    s = lodged(at)
    s.add("ProcedureAssigned", at + timedelta(days=1), procedure=procedure)
    [deadline] = only(s, procedure)
    assert deadline.counting is not None
    assert deadline.counting.nominal_last_day == last_by_count
    assert deadline.due_at == end(due_on.day, due_on.month, due_on.year)


def test_extension_lengthens_the_examination_deadline() -> None:
    """Six months from Monday 5 January end on Sunday 5 July; 90 more days from there reach
    Saturday 3 October, so the period ends on Monday 5 October (Art 3(4))."""
    s = lodged(T)
    s.add("ProcedureAssigned", T + timedelta(days=1), procedure="REGULAR")
    s.add("ExaminationExtended", T + timedelta(days=100), days=90)
    [deadline] = only(s, "REGULAR")
    assert deadline.extended_days == 90
    assert deadline.due_at == end(5, 10)


def test_an_extension_in_months_is_calendar_months_counted_from_the_start() -> None:
    """APR Art 35(2): an admissibility limit of 2 months extended by 2 months is 4 calendar
    months from lodging: lodged 31 December 2025, it ends on 30 April 2026 (not on 28 February
    + 61 days)."""
    lodging = datetime(2025, 12, 31, 11, tzinfo=UTC)
    s = lodged(lodging)
    s.add("ProcedureAssigned", lodging + timedelta(days=1), procedure="ADMISSIBILITY")
    s.add("ExaminationExtended", lodging + timedelta(days=40), days=0, months=2)
    [deadline] = only(s, "ADMISSIBILITY")
    assert deadline.extended_months == 2 and deadline.due_at == end(30, 4)
    assert deadline.counting is not None and deadline.counting.extended_months == 2


def test_border_procedure_is_met_by_protection_not_by_a_rejection() -> None:
    s = lodged(T)
    s.add("ProcedureAssigned", T + timedelta(days=1), procedure="BORDER")
    s.add("DecisionIssued", T + timedelta(days=20), decision_type="UNFOUNDED")
    [deadline] = only(s, "BORDER_PROCEDURE")
    assert deadline.met_at is None
    s.add("AppealLodged", T + timedelta(days=25))
    s.add("AppealDecided", T + timedelta(days=40), outcome="REMITTED")
    s.add("DecisionIssued", T + timedelta(days=50), decision_no=2,
          decision_type="SUBSIDIARY_PROTECTION")
    [deadline] = only(s, "BORDER_PROCEDURE")
    assert deadline.met_by == "DecisionIssued" and deadline.met_at == T + timedelta(days=50)


# --- appeal windows (APR Art 67(7)) ------------------------------------------------------------
@pytest.mark.parametrize(("procedure", "decision", "window"), [
    ("REGULAR", "INADMISSIBLE", "APPEAL_SHORT"),
    ("ACCELERATED", "MANIFESTLY_UNFOUNDED", "APPEAL_SHORT"),
    ("BORDER", "IMPLICITLY_WITHDRAWN", "APPEAL_SHORT"),
    ("REGULAR", "UNFOUNDED", "APPEAL_STANDARD"),
    ("ACCELERATED", "SUBSIDIARY_PROTECTION", "APPEAL_STANDARD"),
    ("REGULAR", "REFUGEE_STATUS", None),
    ("REGULAR", "EXPLICITLY_WITHDRAWN", None),
])
def test_appeal_window_by_decision_and_procedure(procedure: str, decision: str,
                                                 window: str | None) -> None:
    s = lodged(T)
    s.add("ProcedureAssigned", T + timedelta(days=1), procedure=procedure)
    notified = T + timedelta(days=31)
    s.add("DecisionIssued", T + timedelta(days=30), decision_type=decision, notified_at=notified)
    windows = [x for x in s.track().deadlines if x.code.startswith("APPEAL")]
    assert [x.code for x in windows] == ([window] if window else [])
    if windows:
        assert windows[0].started_at == notified  # from notification, not from the decision


def test_a_decision_notified_twice_opens_one_window_and_a_new_decision_another() -> None:
    s = lodged(T)
    s.add("ProcedureAssigned", T + timedelta(days=1), procedure="REGULAR")
    s.add("DecisionIssued", T + timedelta(days=30), notified_at=T + timedelta(days=30))
    s.add("DecisionNotified", T + timedelta(days=32))
    assert len(only(s, "APPEAL_STANDARD")) == 1
    s.add("AppealLodged", T + timedelta(days=40))
    s.add("AppealDecided", T + timedelta(days=90), outcome="REMITTED")
    s.add("DecisionIssued", T + timedelta(days=120), decision_no=2,
          notified_at=T + timedelta(days=121))
    first, second = only(s, "APPEAL_STANDARD")
    assert first.met_by == "AppealLodged" and second.is_open
    assert second.started_at == T + timedelta(days=121)


def test_voluntary_departure_runs_for_the_granted_days() -> None:
    s = opened()
    s.add("VoluntaryDepartureGranted", T, days=7)
    [deadline] = only(s, "VOLUNTARY_DEPARTURE")
    assert deadline.due_at == end(12)  # from Monday 5 January, to the end of Monday 12


# --- crisis overlay: the version is chosen once -----------------------------------------------
def test_a_deadline_keeps_the_version_it_was_computed_with() -> None:
    in_force: set[str] = set()
    tracker = DeadlineTracker(lambda ms, moment: frozenset(in_force))
    s = opened()
    s.add("ApplicationMade", T)
    for position, event in enumerate(s.events, start=1):
        tracker.observe(event, position)
    in_force.add("REGISTRATION")  # a crisis is recorded afterwards
    s.add("ApplicationRegistered", T + timedelta(days=8))
    changed = tracker.observe(s.events[-1], 3)
    registration = next(x for x in tracker.deadlines if x.code == "REGISTRATION")
    assert registration.version == "2024" and registration.due_at == end(12)  # Sat 10: Monday
    assert registration.status(T + timedelta(days=8)) is DeadlineStatus.MET_LATE
    assert registration in changed  # met by this event
    assert {x.code for x in changed} >= {"LODGING", "TAKE_CHARGE_REQUEST"}  # opened by it


def test_the_tracker_starts_with_the_opening_of_the_case() -> None:
    s = Story()
    s.add("ApplicationMade", T)
    with pytest.raises(ValueError):
        s.track()


# --- late recording -------------------------------------------------------------------------
def test_recorded_late_after_the_grace() -> None:
    assert not recorded_late(T, T + timedelta(hours=24))
    assert recorded_late(T, T + timedelta(hours=24, seconds=1))
    assert recorded_late(T, T + timedelta(hours=2), grace=timedelta(hours=1))


def test_a_record_just_after_the_due_moment_within_the_grace_is_not_marked() -> None:
    s = opened()
    s.add("ApplicationMade", T)
    due = T + timedelta(days=5)
    s.add("ApplicationRegistered", due - timedelta(hours=1), recorded=due + timedelta(hours=2))
    [registration] = only(s, "REGISTRATION")
    assert registration.status(due + timedelta(hours=2)) is DeadlineStatus.MET
    assert not registration.met_recorded_late
