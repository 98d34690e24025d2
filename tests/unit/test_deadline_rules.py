"""One test set per deadline rule of the catalogue, normal and crisis versions: the due moment
(computed from legal time, counted as Reg. 1182/71 counts periods in Italy's calendar, Greece's
for the replies of the requested state), met, met late, breached and stopped; fed to the pure
engine as real event objects. T is Monday 5 January 2026; 6 January (Epiphany) and Easter
Monday 6 April 2026 are Italian public holidays."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ledger.deadlines.catalogue import PERSONS_PERIODS, RULES
from ledger.deadlines.conditions import CONDITIONS
from ledger.deadlines.deadline import Deadline, DeadlineStatus
from tests.support.case_events import Story, T, opened

H = timedelta(hours=1)


def d(day: int, month: int = 1, year: int = 2026, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


ROME, ATHENS = ZoneInfo("Europe/Rome"), ZoneInfo("Europe/Athens")


def end(day: int, month: int = 1, year: int = 2026, zone: ZoneInfo = ROME) -> datetime:
    """The end of a day in a member state's calendar: where a period in days, weeks or months
    ends (Reg. 1182/71 Art 3(2)); the cases are Italian, the other state Greece."""
    return datetime(year, month, day, 23, 59, 59, 999999, tzinfo=zone)


def days(n: float) -> timedelta:
    return timedelta(days=n)


@dataclass(frozen=True)
class Scenario:
    """The events up to the one that starts the deadline; the due moment expected; the event
    that meets it (and its payload); an event that stops it."""

    code: str
    story: Callable[[], Story]
    due: datetime
    meet: str
    meet_payload: tuple[tuple[str, object], ...] = ()
    stop: str = "Absconded"
    start: datetime = T

    def build(self) -> Story:
        return self.story()

    def met(self, story: Story, at: datetime, recorded: datetime | None = None) -> None:
        story.add(self.meet, at, recorded, **dict(self.meet_payload))


def _screening(trigger: str, held: bool = False) -> Callable[[], Story]:
    def story() -> Story:
        s = opened()
        s.add("ScreeningStarted", T, trigger=trigger, held_over_72h=held)
        return s
    return story


def _minor() -> Story:
    return opened(unaccompanied_minor=True)


def _made() -> Story:
    s = opened(T - days(1))
    s.add("ApplicationMade", T)
    return s


def _registered() -> Story:
    s = opened(T - days(2))
    s.add("ApplicationMade", T - days(1))
    s.add("ApplicationRegistered", T)
    return s


def _after_registration(name: str, **payload: object) -> Callable[[], Story]:
    def story() -> Story:
        s = opened(T - days(3))
        s.add("ApplicationMade", T - days(3))
        s.add("ApplicationRegistered", T - days(2))
        s.add(name, T, **payload)
        return s
    return story


def _examined(procedure: str, *grounds: str) -> Callable[[], Story]:
    """Lodged at T (the clock's start, Art 35), procedure assigned three days later."""
    def story() -> Story:
        s = opened(T - days(3))
        s.add("ApplicationMade", T - days(3))
        s.add("ApplicationRegistered", T - days(2))
        s.add("ApplicationLodged", T)
        s.add("ProcedureAssigned", T + days(3), procedure=procedure, grounds=grounds)
        return s
    return story


def _border() -> Story:
    """Registered at T (Art 51(2) counts from registration), border procedure at T + 2."""
    s = _registered()
    s.add("ApplicationLodged", T + days(1))
    s.add("ProcedureAssigned", T + days(2), procedure="BORDER")
    return s


def _decided(decision_type: str, procedure: str) -> Callable[[], Story]:
    """Decided at T + 40, notified a day later (the appeal period runs from notification)."""
    def story() -> Story:
        s = _examined(procedure)()
        s.add("DecisionIssued", T + days(40), decision_type=decision_type)
        s.add("DecisionNotified", T + days(41))
        return s
    return story


def _return_border() -> Story:
    s = _border()
    s.add("RightToRemainEnded", T + days(60))
    s.add("ReturnBorderProcedureStarted", T + days(61))
    return s


def _voluntary() -> Story:
    s = _registered()
    s.add("VoluntaryDepartureGranted", T + days(30), days=15)
    return s


def _transfer_decided(suspension: bool = False) -> Callable[[], Story]:
    """Accepted the day before T, transfer decision at T (or, with `suspension`, an appeal with
    a request to suspend the transfer at T)."""
    def story() -> Story:
        s = opened(T - days(4))
        s.add("ApplicationMade", T - days(4))
        s.add("ApplicationRegistered", T - days(3))
        s.add("TakeChargeRequested", T - days(2))
        s.add("TakeChargeAccepted", T - days(1) - (days(1) if suspension else days(0)))
        s.add("TransferDecisionIssued", T - (days(1) if suspension else days(0)))
        if suspension:
            s.add("TransferAppealLodged", T, suspension_requested=True)
        return s
    return story


def _border_after_transfer() -> Story:
    """Transferred here under the AMMR, registered at T, border procedure at T + 2."""
    s = opened(T - days(2))
    s.add("ApplicationMade", T - days(1))
    s.add("ArrivedByTransfer", T - days(1))
    s.add("ApplicationRegistered", T)
    s.add("ApplicationLodged", T + days(1))
    s.add("ProcedureAssigned", T + days(2), procedure="BORDER")
    return s


def _entry_authorised() -> Story:
    """Border procedure from T - 2; entry authorised at T (APR Art 51(2))."""
    s = _registered_at(T - days(2))
    s.add("ProcedureAssigned", T - days(2), procedure="BORDER")
    s.add("EntryAuthorised", T)
    return s


def _registered_at(at: datetime) -> Story:
    s = opened(at - days(1))
    s.add("ApplicationMade", at - days(1))
    s.add("ApplicationRegistered", at)
    return s


def _allegation() -> Story:
    s = opened(T - days(5))
    s.add("ScreeningStarted", T - days(5), trigger="SEARCH_AND_RESCUE", held_over_72h=False)
    s.add("MonitoringAllegationReceived", T)
    return s


def _withdrawal_informed() -> Story:
    s = _registered_at(T - days(90))
    s.add("WithdrawalProcedureStarted", T - days(1), ground="CESSATION_CIRCUMSTANCES",
          status_type="REFUGEE_STATUS")
    s.add("PersonInformedOfWithdrawal", T)
    return s


def _relocation() -> Story:
    s = _registered()
    s.add("RelocationSelected", T - days(1))
    s.add("RelocationAccepted", T)
    return s


def _detained(ground: str = "IDENTITY", ordered_by: str = "ADMINISTRATIVE",
              exceptional: bool = False, after: Callable[[], Story] | None = None,
              at: datetime = T) -> Callable[[], Story]:
    """Detained at `at` (after `after`'s events, by default registered at T)."""
    def story() -> Story:
        s = (after or _registered)()
        s.add("DetentionOrdered", at, ground=ground, ordered_by=ordered_by,
              exceptional_situation=exceptional)
        return s
    return story


def _review_requested() -> Story:
    s = _detained(ordered_by="JUDICIAL", at=T - days(1))()
    s.add("DetentionReviewRequested", T)
    return s


SCENARIOS = [
    Scenario("SCREENING_BORDER", _screening("SEARCH_AND_RESCUE"), end(12), "ScreeningCompleted",
             (("outcome", "REFER_TO_RETURN"),)),
    Scenario("SCREENING_HELD_OVER_72H", _screening("IRREGULAR_CROSSING", held=True), end(9),
             "ScreeningCompleted", (("outcome", "REFER_TO_RETURN"),)),
    Scenario("SCREENING_TERRITORY", _screening("WITHIN_TERRITORY"), end(8), "ScreeningCompleted",
             (("outcome", "REFER_TO_RETURN"),)),
    Scenario("REPRESENTATIVE", _minor, d(6), "RepresentativeAssigned"),
    Scenario("REGISTRATION", _made, end(12), "ApplicationRegistered"),  # Sat 10: Monday
    Scenario("EURODAC_TRANSMISSION", _registered, d(8), "EurodacTransmitted"),
    Scenario("LODGING", _registered, end(26), "ApplicationLodged"),
    Scenario("TAKE_CHARGE_REQUEST", _registered, end(5, 3), "TakeChargeRequested"),
    Scenario("TAKE_CHARGE_REQUEST_HIT", _after_registration("EurodacHitReceived"), end(5, 2),
             "TakeChargeRequested", (("hit_based", True),)),
    Scenario("TAKE_CHARGE_REPLY", _after_registration("TakeChargeRequested"),
             end(5, 2, zone=ATHENS),
             "TakeChargeAccepted"),
    Scenario("TAKE_CHARGE_REPLY_HIT",
             _after_registration("TakeChargeRequested", hit_based=True), end(19, zone=ATHENS),
             "TakeChargeRefused"),
    Scenario("TAKE_BACK_NOTIFICATION",
             _after_registration("EurodacHitReceived", category="APPLICANT"), end(19),
             "TakeBackNotified"),
    Scenario("TAKE_BACK_CONFIRMATION", _after_registration("TakeBackNotified"),
             end(19, zone=ATHENS),
             "TakeBackDeemedConfirmed"),
    Scenario("TRANSFER", _after_registration("TakeChargeAccepted"), end(6, 7), "TransferExecuted",
             stop="ResponsibilityShifted"),
    Scenario("ADMISSIBILITY", _examined("ADMISSIBILITY", "APR Art 38(1)(b)"), end(5, 3),
             "DecisionIssued", (("decision_type", "INADMISSIBLE"),)),
    Scenario("ADMISSIBILITY_38_1_E", _examined("ADMISSIBILITY", "APR Art 38(1)(e)"), end(20),
             "DecisionIssued", (("decision_type", "INADMISSIBLE"),)),
    Scenario("ACCELERATED", _examined("ACCELERATED", "APR Art 42(1)(j)"), end(7, 4),
             "DecisionIssued", (("decision_type", "MANIFESTLY_UNFOUNDED"),)),
    Scenario("REGULAR", _examined("REGULAR"), end(6, 7), "DecisionIssued",
             (("decision_type", "REFUGEE_STATUS"),), stop="CaseClosed"),
    Scenario("BORDER_PROCEDURE", _border, end(30, 3), "RightToRemainEnded",
             stop="EntryAuthorised"),
    Scenario("APPEAL_SHORT", _decided("UNFOUNDED", "BORDER"), end(25, 2), "AppealLodged",
             stop="DecisionFinal", start=d(15, 2)),
    Scenario("APPEAL_STANDARD", _decided("UNFOUNDED", "REGULAR"), end(16, 3), "AppealLodged",
             stop="DecisionFinal", start=d(15, 2)),
    Scenario("RETURN_BORDER_PROCEDURE", _return_border, end(29, 5),
             "Returned", start=d(6, 3)),
    Scenario("VOLUNTARY_DEPARTURE", _voluntary, end(19, 2), "Returned",
             stop="CaseClosed", start=d(4, 2)),
    Scenario("TRANSFER_APPEAL", _transfer_decided(), end(26), "TransferAppealLodged"),
    Scenario("TRANSFER_SUSPENSION_DECISION", _transfer_decided(suspension=True), end(5, 2),
             "TransferSuspensionDecided"),
    Scenario("RELOCATION_TRANSFER", _relocation, end(2, 2), "RelocationTransferred",
             stop="RelocationCancelled"),
    # RCD Art 11(3): 15 days (21 exceptionally) from detention, or from the request.
    Scenario("DETENTION_REVIEW", _detained(), end(20), "DetentionReviewed", stop="DetentionEnded"),
    Scenario("DETENTION_REVIEW_EXCEPTIONAL", _detained(exceptional=True), end(26),
             "DetentionReviewed", stop="DetentionEnded"),
    Scenario("DETENTION_REVIEW_ON_REQUEST", _review_requested, end(20), "DetentionReviewed",
             stop="DetentionEnded"),
    # The border procedure's 12 weeks from registration (APR Art 51(2)); AMMR Art 45(3): 5 weeks
    # (a parameter); RBPR Art 4(2): 12 weeks from the end of the right to remain.
    Scenario("DETENTION_MAX_BORDER", _detained("BORDER_PROCEDURE", after=_border,
                                               at=T + days(2)), end(30, 3), "DetentionEnded"),
    Scenario("DETENTION_MAX_TRANSFER", _detained("TRANSFER_ABSCONDING"), end(9, 2),
             "DetentionEnded"),
    Scenario("DETENTION_MAX_RETURN_BORDER", _detained("RETURN_BORDER_PROCEDURE",
                                                      after=_return_border, at=T + days(62)),
             end(29, 5), "DetentionEnded", start=d(6, 3)),
    # RCD Art 25(1): 30 days from the making; Art 17(1): 6 months from registration (Sunday 5
    # July: Monday).
    Scenario("SPECIAL_RECEPTION_NEEDS", _made, end(4, 2), "SpecialReceptionNeedsAssessed"),
    Scenario("LABOUR_MARKET_ACCESS", _registered, end(6, 7), "LabourMarketAccessGranted",
             stop="DecisionIssued"),
    # issue 11 part 5: 16 weeks from Monday 5 January end on Monday 27 April (APR Art 51(2))
    Scenario("BORDER_PROCEDURE_AFTER_TRANSFER", _border_after_transfer, end(27, 4),
             "RightToRemainEnded", stop="EntryAuthorised"),
    Scenario("REGULAR_AFTER_ENTRY", _entry_authorised, end(6, 7), "DecisionIssued",
             (("decision_type", "REFUGEE_STATUS"),), stop="CaseClosed"),
    Scenario("LEGAL_COUNSELLING_INFORMATION", _registered, T, "LegalCounsellingInformed"),
    Scenario("MONITORING_ALLEGATION", _allegation, end(4, 2), "MonitoringInvestigationTriggered",
             stop="MonitoringInvestigationClosed"),
    Scenario("WITHDRAWAL_OBSERVATIONS", _withdrawal_informed, end(4, 2),
             "WithdrawalObservationsSubmitted", stop="WithdrawalDiscontinued"),
]
BY_CODE = {s.code: s for s in SCENARIOS}


def the(tracker_deadlines: list[Deadline], code: str) -> Deadline:
    found = [x for x in tracker_deadlines if x.code == code]
    assert len(found) == 1, (code, found)
    return found[0]


def test_every_rule_has_a_scenario() -> None:
    assert sorted(BY_CODE) == sorted({r.code for r in RULES})


def test_every_condition_named_in_the_catalogue_exists() -> None:
    named = {n for r in RULES for n in (r.when, r.met_when, r.stopped_when) if n is not None}
    assert named <= set(CONDITIONS), named - set(CONDITIONS)


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s.code)
def test_due_moment_from_legal_time(s: Scenario) -> None:
    deadline = the(s.build().track().deadlines, s.code)
    rule = next(r for r in RULES if r.code == s.code and r.derogation is None)
    assert (deadline.version, deadline.article, deadline.act) == (rule.version, rule.article,
                                                                  rule.act)
    assert deadline.started_at == s.start
    assert deadline.due_at == s.due
    assert deadline.status(s.due) is DeadlineStatus.RUNNING  # due at that moment, not before
    assert not deadline.breached(s.due)


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s.code)
def test_met_in_time(s: Scenario) -> None:
    story = s.build()
    s.met(story, s.due - H)
    deadline = the(story.track().deadlines, s.code)
    assert deadline.met_at == s.due - H and deadline.met_by == s.meet
    assert deadline.met_position == len(story.events)
    assert deadline.status(s.due + days(400)) is DeadlineStatus.MET
    assert not deadline.breached(s.due + days(400)) and not deadline.met_recorded_late


AUTHORITY_LIMITS = [s for s in SCENARIOS if s.code not in PERSONS_PERIODS]
PERSONS = [s for s in SCENARIOS if s.code in PERSONS_PERIODS]


@pytest.mark.parametrize("s", AUTHORITY_LIMITS, ids=lambda s: s.code)
def test_met_late_is_a_breach(s: Scenario) -> None:
    story = s.build()
    s.met(story, s.due + H)
    deadline = the(story.track().deadlines, s.code)
    assert deadline.status(s.due + H) is DeadlineStatus.MET_LATE
    assert deadline.breached(s.due + H)


@pytest.mark.parametrize("s", AUTHORITY_LIMITS, ids=lambda s: s.code)
def test_unmet_after_due_is_breached(s: Scenario) -> None:
    deadline = the(s.build().track().deadlines, s.code)
    assert deadline.status(s.due - H) is DeadlineStatus.RUNNING
    assert deadline.status(s.due + H) is DeadlineStatus.BREACHED
    assert deadline.breached(s.due + H)


@pytest.mark.parametrize("s", PERSONS, ids=lambda s: s.code)
def test_a_period_open_to_the_person_expires_and_is_no_breach(s: Scenario) -> None:
    """Appeal periods and voluntary departure are the person's to use, not time limits on the
    authorities: unused, they expire; used late, they are met late (a court decides)."""
    deadline = the(s.build().track().deadlines, s.code)
    assert deadline.status(s.due + H) is DeadlineStatus.EXPIRED
    assert not deadline.breached(s.due + H)
    story = s.build()
    s.met(story, s.due + H)
    late = the(story.track().deadlines, s.code)
    assert late.status(s.due + H) is DeadlineStatus.MET_LATE and not late.breached(s.due + H)


def test_periods_that_expire_are_the_persons_and_the_take_charge_request() -> None:
    """The take charge request's limit lapses with its own consequence (AMMR Art 39(1): the
    state of registration is responsible); it is no breach."""
    assert PERSONS_PERIODS == {"APPEAL_SHORT", "APPEAL_STANDARD", "VOLUNTARY_DEPARTURE",
                               "TAKE_CHARGE_REQUEST", "TAKE_CHARGE_REQUEST_HIT",
                               "TRANSFER_APPEAL", "WITHDRAWAL_OBSERVATIONS"}


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s.code)
def test_stopped_is_not_breached(s: Scenario) -> None:
    story = s.build()
    story.add(s.stop, s.due - H)
    deadline = the(story.track().deadlines, s.code)
    assert deadline.stopped_at == s.due - H and deadline.met_at is None
    assert deadline.status(s.due + days(400)) is DeadlineStatus.STOPPED
    assert not deadline.breached(s.due + days(400))


@pytest.mark.parametrize("s", AUTHORITY_LIMITS, ids=lambda s: s.code)
def test_a_breach_is_history_stopped_after_the_due_moment_stays_breached(s: Scenario) -> None:
    """Closing the case or leaving the path after the due moment does not undo the breach."""
    story = s.build()
    story.add(s.stop, s.due + H)
    deadline = the(story.track().deadlines, s.code)
    assert deadline.stopped_at == s.due + H and deadline.met_at is None
    assert deadline.status(s.due + days(400)) is DeadlineStatus.BREACHED
    assert deadline.breached(s.due + days(400))


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s.code)
def test_met_in_time_but_recorded_after_the_due_moment(s: Scenario) -> None:
    story = s.build()
    s.met(story, s.due - H, recorded=s.due + days(3))
    deadline = the(story.track().deadlines, s.code)
    assert deadline.status(s.due + days(3)) is DeadlineStatus.MET
    assert deadline.met_recorded_late and not deadline.breached(s.due + days(3))


#: Crisis versions (Crisis Regulation (EU) 2024/1359): (code, derogation, due under it).
CRISIS = [
    ("REGISTRATION", "REGISTRATION", end(2, 2)),  # Art 10: 4 weeks
    ("TAKE_CHARGE_REQUEST", "AMMR_TIME_LIMITS", end(5, 5)),  # Art 12: 4 months
    ("TAKE_CHARGE_REPLY", "AMMR_TIME_LIMITS", end(5, 3, zone=ATHENS)),  # 2 months
    ("TAKE_CHARGE_REPLY_HIT", "AMMR_TIME_LIMITS", end(5, 3, zone=ATHENS)),  # 2 months (Art 12)
    ("TAKE_BACK_NOTIFICATION", "AMMR_TIME_LIMITS", end(5, 2)),  # 1 month
    ("TAKE_BACK_CONFIRMATION", "AMMR_TIME_LIMITS", end(5, 2, zone=ATHENS)),  # 1 month
    ("TRANSFER", "AMMR_TIME_LIMITS", end(5, 1, 2027)),  # 1 year
    ("BORDER_PROCEDURE", "BORDER_PROCEDURE", end(11, 5)),  # Art 11(1): 12 + 6 weeks
    ("RETURN_BORDER_PROCEDURE", "RETURN_BORDER_PROCEDURE", end(10, 7)),  # RBPR Art 6
    ("DETENTION_MAX_BORDER", "BORDER_PROCEDURE", end(11, 5)),  # Crisis Art 11(1)
    ("DETENTION_MAX_RETURN_BORDER", "RETURN_BORDER_PROCEDURE", end(10, 7)),  # RBPR Art 6
]


def test_every_crisis_version_is_tested() -> None:
    crisis = {(r.code, r.derogation) for r in RULES if r.derogation is not None}
    assert crisis == {(code, derogation) for code, derogation, _ in CRISIS}


@pytest.mark.parametrize(("code", "derogation", "due"), CRISIS, ids=[c[0] for c in CRISIS])
def test_crisis_version_applies_while_its_derogation_is_in_force(
        code: str, derogation: str, due: datetime) -> None:
    s = BY_CODE[code]
    asked: list[tuple[str, datetime]] = []

    def in_crisis(member_state: str, moment: datetime) -> frozenset[str]:
        asked.append((member_state, moment))
        return frozenset({derogation})

    story = s.build()
    deadline = the(story.track(in_crisis).deadlines, code)
    assert deadline.version == "2024+crisis" and "2024/1359" in deadline.act
    assert deadline.due_at == due
    assert ("IT", s.start) in asked  # chosen at the deadline's start moment
    s.met(story, due - H)
    assert the(story.track(in_crisis).deadlines, code).status(due) is DeadlineStatus.MET
    other = the(s.build().track(lambda ms, m: frozenset({"SOMETHING_ELSE"})).deadlines, code)
    assert other.version == "2024" and other.due_at == s.due
