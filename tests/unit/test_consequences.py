"""The law's consequences of expired limits, derived from the deadlines and the clock
(`ledger.consequences`): a lapsed take charge request (AMMR Art 39(1)), silence on a request or
notification (Arts 40, 41(2)) and the transfer limit from there (Art 46(1)), a missed transfer
(Arts 37(1), 46(2)). T is Monday 5 January 2026; the case is Italian, the other state Greece."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ledger.consequences import consequences, responsibility_by_law, transfer_due
from tests.support.case_events import Story, T, opened

H = timedelta(hours=1)


def registered() -> Story:
    s = opened(T - timedelta(days=2))
    s.add("ApplicationMade", T - timedelta(days=1))
    s.add("ApplicationRegistered", T)
    return s


def found(story: Story, now: datetime) -> list[tuple[str, str, str | None]]:
    return [(c.kind, c.cause, c.responsible)
            for c in consequences(story.track().deadlines, "IT", "EL", now)]


def due(story: Story, code: str) -> datetime:
    return next(d.due_at for d in story.track().deadlines if d.code == code)


def test_no_take_charge_request_in_time_leaves_the_state_of_registration_responsible() -> None:
    s = registered()
    limit = due(s, "TAKE_CHARGE_REQUEST")
    assert found(s, limit) == []
    assert found(s, limit + H) == [
        ("RESPONSIBLE_AS_STATE_OF_REGISTRATION", "TAKE_CHARGE_REQUEST", "IT")]
    [consequence] = consequences(s.track().deadlines, "IT", None, limit + H)
    assert consequence.since == limit and consequence.article.endswith("Art 39(1)")
    assert responsibility_by_law("UNDETERMINED", [consequence]) == ("RESPONSIBLE_HERE",
                                                                     consequence)


def test_silence_is_acceptance_at_the_end_of_the_reply_period_then_the_transfer_limit_runs()\
        -> None:
    s = registered()
    s.add("TakeChargeRequested", T + timedelta(days=3))
    reply = due(s, "TAKE_CHARGE_REPLY")
    [deemed] = consequences(s.track().deadlines, "IT", "EL", reply + H)
    assert (deemed.kind, deemed.since, deemed.responsible) == ("DEEMED_ACCEPTED", reply, "EL")
    assert not deemed.confirmed  # Art 40 on silence: unconfirmed for non-detained persons
    assert responsibility_by_law("TAKE_CHARGE_REQUESTED", [deemed])[0] == "TRANSFER_PENDING"
    # requested Thursday 8 January: the reply was due by Monday 9 February (Sunday 8 moved);
    # six months from then: Sunday 9 August, so Monday 10 August in Italy, which transfers
    assert reply.astimezone(ZoneInfo("Europe/Athens")).date() == date(2026, 2, 9)
    transfer = transfer_due(reply, "IT", "EL")
    assert transfer.astimezone(ZoneInfo("Europe/Rome")).date() == date(2026, 8, 10)
    assert found(s, transfer) == [("DEEMED_ACCEPTED", "TAKE_CHARGE_REPLY", "EL")]
    later = consequences(s.track().deadlines, "IT", "EL", transfer + H)
    assert [c.kind for c in later] == ["DEEMED_ACCEPTED", "RESPONSIBILITY_SHIFTED"]
    assert responsibility_by_law("TAKE_CHARGE_REQUESTED", later)[0] == "RESPONSIBLE_HERE"


def test_silence_on_a_take_back_notification_is_confirmation() -> None:
    s = registered()
    s.add("TakeBackNotified", T + timedelta(days=3))
    [confirmed] = consequences(s.track().deadlines, "IT", "EL",
                               due(s, "TAKE_BACK_CONFIRMATION") + H)
    assert (confirmed.kind, confirmed.confirmed) == ("DEEMED_CONFIRMED", True)


def test_a_reply_in_time_leaves_nothing_to_derive() -> None:
    s = registered()
    s.add("TakeChargeRequested", T + timedelta(days=3))
    s.add("TakeChargeRefused", T + timedelta(days=10))
    assert found(s, T + timedelta(days=400))[1:] == []  # only the lapsed request limit remains


def test_a_missed_transfer_shifts_responsibility_from_the_end_of_the_limit() -> None:
    s = registered()
    s.add("TakeChargeRequested", T + timedelta(days=3))
    s.add("TakeChargeAccepted", T + timedelta(days=10))
    limit = due(s, "TRANSFER")
    assert found(s, limit) == []
    [shifted] = consequences(s.track().deadlines, "IT", "EL", limit + H)
    assert (shifted.kind, shifted.since, shifted.cause) == ("RESPONSIBILITY_SHIFTED", limit,
                                                            "TRANSFER")
    assert responsibility_by_law("TRANSFER_PENDING", [shifted]) == ("RESPONSIBLE_HERE", shifted)
    # recorded later, the shift agrees; the expired limit stays visible as its cause
    s.add("ResponsibilityShifted", limit + timedelta(days=30))
    after = consequences(s.track().deadlines, "IT", "EL", limit + timedelta(days=31))
    assert [c.kind for c in after] == ["RESPONSIBILITY_SHIFTED"]
    assert responsibility_by_law("RESPONSIBLE_HERE", after) == ("RESPONSIBLE_HERE", None)


def test_a_deemed_acceptance_recorded_late_starts_the_transfer_limit_at_the_reply_end() -> None:
    s = registered()
    s.add("TakeChargeRequested", T + timedelta(days=3))
    reply = due(s, "TAKE_CHARGE_REPLY")
    s.add("TakeChargeDeemedAccepted", reply + timedelta(days=60), effective_at=reply)
    deadlines = s.track().deadlines
    [transfer] = [d for d in deadlines if d.code == "TRANSFER"]
    [answered] = [d for d in deadlines if d.code == "TAKE_CHARGE_REPLY"]
    assert transfer.started_at == reply and transfer.due_at == transfer_due(reply, "IT", "EL")
    assert answered.met_at == reply and answered.met_by == "TakeChargeDeemedAccepted"


def test_a_suspended_transfer_runs_again_from_the_final_appeal_decision() -> None:
    """AMMR Arts 43(3), 46(1): the court suspends the transfer; meanwhile the limit does not run
    out (no shift); from the final decision on the appeal six months run again."""
    s = registered()
    s.add("TakeChargeRequested", T + timedelta(days=3))
    s.add("TakeChargeAccepted", T + timedelta(days=10))
    s.add("TransferDecisionIssued", T + timedelta(days=12))
    s.add("TransferAppealLodged", T + timedelta(days=15), suspension_requested=True)
    s.add("TransferSuspensionDecided", T + timedelta(days=20), suspended=True)
    first = due(s, "TRANSFER")
    assert found(s, first + timedelta(days=30))[1:] == []  # suspended: nothing shifts
    decided = T + timedelta(days=250)
    s.add("TransferAppealDecided", decided, annulled=False)
    transfers = [d for d in s.track().deadlines if d.code == "TRANSFER"]
    assert [d.stopped_at for d in transfers] == [T + timedelta(days=20), None]
    assert transfers[1].started_at == decided
    assert transfers[1].due_at == transfer_due(decided, "IT", "EL")
    assert [c.kind for c in consequences(s.track().deadlines, "IT", "EL",
                                         transfers[1].due_at + H)][-1] == "RESPONSIBILITY_SHIFTED"
