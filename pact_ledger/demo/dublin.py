"""Responsibility (AMMR (EU) 2024/1351 Arts 16, 33, 37, 39-46): who examines the application.

Most applications are examined where they were registered: responsibility is established
within two months of registration (four while a crisis derogation applies). A Eurodac hit on
an earlier application leads to a take back notification, a hit on an irregular entry to a
take charge request, and family links (or an unaccompanied minor's relatives) to a take charge
request without a hit. The other member state replies, or stays silent until its reply period
has passed (then the request counts as accepted). Accepted cases get a transfer decision; the
transfer happens, or the person absconds, or the six months (a year in crisis) run out and
responsibility shifts here (Art 37(1)).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ledger.case.commands import (
    CloseCase,
    DecideTransferAppeal,
    DecideTransferSuspension,
    DeemTakeBackConfirmed,
    DeemTakeChargeAccepted,
    EstablishResponsibility,
    ExecuteTransfer,
    IssueTransferDecision,
    LodgeTransferAppeal,
    NotifyTakeBack,
    RecordAbsconding,
    ReplyToTakeBack,
    ReplyToTakeCharge,
    RequestTakeCharge,
    RequestTransferSuspension,
    ShiftResponsibility,
)
from ledger.vocabulary import ClosureReason as C
from ledger.vocabulary import EurodacCategory as E
from ledger.vocabulary import ResponsibilityCause
from ledger.vocabulary import ScreeningTrigger as T
from pact_ledger.demo.catalogue import AB, CW, DM, DU, FAMILY_IN
from pact_ledger.demo.extra_steps import add, rng_for
from pact_ledger.demo.plan import CasePlan, office_hours

LATE_SHARE = 0.06  # requests, notifications and establishments made after their time limit
REFUSALS = ("No criterion of Chapter II designates the requested member state",
            "The family link could not be established (AMMR Art 26)")
CONTESTS = ("The person left the territory of the member states after the earlier application",
            "The earlier application was withdrawn before the responsibility procedure")


def basis(case: CasePlan) -> str:
    if case.security:
        return "Reasonable grounds to consider the applicant a security threat (AMMR Art 16(4))"
    if case.minor:
        return "Unaccompanied minor without family in another member state (AMMR Art 25)"
    if case.trigger in (T.IRREGULAR_CROSSING.value, T.SEARCH_AND_RESCUE.value):
        return "First member state entered irregularly (AMMR Art 33)"
    return "No other criterion applies: the member state of application (AMMR Art 16)"


def establish_here(case: CasePlan, reason: str | None = None) -> None:
    """This member state is responsible, mostly within the time limit for a request."""
    assert case.registered_at is not None
    limit = case.due("TAKE_CHARGE_REQUEST", case.registered_at)
    if case.chance(LATE_SHARE):
        t = limit + case.days(1, 25)
    else:
        t = min(case.t + case.days(0.5, 20), limit - case.days(0.5, 3))
    case.at(office_hours(max(t, case.t)), EstablishResponsibility(case.id, reason or basis(case)),
            DU)


def wants_family_transfer(case: CasePlan) -> bool:
    return not case.security and case.chance(0.12 if case.minor else 0.025)


def determine(case: CasePlan) -> bool:
    """The Dublin procedure for a hit or family link; True when the person left this state."""
    if case.hit is not None:
        category, origin, ref = case.hit
        if category == E.APPLICANT.value:
            return _take_back(case, origin, ref)
        return _take_charge(case, origin, hit=True)
    family = {ms: w for ms, w in FAMILY_IN.items() if ms != case.ms}
    return _take_charge(case, case.rng.choices(list(family), list(family.values()))[0], False)


def _within(case: CasePlan, start: timedelta, limit: timedelta) -> timedelta:
    """A delay from `start` (low, high as timedeltas), or after `limit` for a late share."""
    if case.chance(LATE_SHARE):
        return limit + case.days(1, 15)
    return case.days(start.total_seconds() / 86400, max(limit.days - 1, 2))


#: Member states under migratory pressure in the 2026 cycle (Decision (EU) 2025/2323).
OFFSET_FROM = frozenset({"EL", "CY", "ES", "IT"})


def _take_back(case: CasePlan, origin: str, ref: str) -> bool:
    assert case.transmitted_at is not None
    case.other = origin
    hit = case.transmitted_at
    limit = case.due("TAKE_BACK_NOTIFICATION", hit) - hit
    t = office_hours(max(hit + _within(case, timedelta(days=1), limit), case.t))
    requested = case.at(t, NotifyTakeBack(case.id, origin, ref), DU)
    due = case.due("TAKE_BACK_CONFIRMATION", requested)
    r = case.rng.random()
    if r < 0.1:
        case.at(requested + case.days(2, (due - requested).days - 1),
                ReplyToTakeBack(case.id, False, case.rng.choice(CONTESTS)), DU)
        establish_here(case, f"Take back contested by {origin}; {basis(case)}")
        return False
    if r < 0.8:
        case.at(requested + case.days(1, (due - requested).days - 0.5),
                ReplyToTakeBack(case.id, True), DU)
    else:
        case.at(office_hours(due + case.days(0.2, 4)), DeemTakeBackConfirmed(case.id), DU)
    accepted = None if r < 0.8 else due
    if origin in OFFSET_FROM and case.chance(0.5):
        # AMMR Art 63: this state keeps the case instead of transferring the applicant to a
        # state under pressure, and its solidarity account is credited for it.
        mode = "REQUESTED" if case.chance(0.4) else "VOLUNTARY"
        cause = ResponsibilityCause.SOLIDARITY_OFFSET.value
        case.step(case.rng.uniform(2, 20), ShiftResponsibility(case.id, cause, mode), DU)
        return False
    return _transfer(case, accepted)


def _take_charge(case: CasePlan, origin: str, hit: bool) -> bool:
    case.other = origin
    if hit:
        assert case.transmitted_at is not None
        start, code = case.transmitted_at, "TAKE_CHARGE_REQUEST_HIT"
        criterion = "Irregular entry (AMMR Art 33(1))"
    else:
        assert case.registered_at is not None
        start, code = case.registered_at, "TAKE_CHARGE_REQUEST"
        criterion = ("Family member of an unaccompanied minor (AMMR Art 25)" if case.minor
                     else "Family member who is a beneficiary or applicant (AMMR Arts 26-27)")
    limit = case.due(code, start) - start
    t = office_hours(max(start + _within(case, timedelta(days=3), limit), case.t))
    if t > case.due(code, start) and not case.minor:
        # AMMR Art 39(1): too late to ask; the member state of registration is responsible
        # (an unaccompanied minor's request remains possible until the first decision).
        establish_here(case, "No take charge request in time: the member state of "
                             "registration is responsible (AMMR Art 39(1))")
        return False
    requested = case.at(t, RequestTakeCharge(case.id, origin, criterion, hit), DU)
    due = case.due("TAKE_CHARGE_REPLY_HIT" if hit else "TAKE_CHARGE_REPLY", requested)
    window = (due - requested).days
    r = case.rng.random()
    if r < (0.15 if hit else 0.4):
        case.at(requested + case.days(3, window - 1),
                ReplyToTakeCharge(case.id, False, case.rng.choice(REFUSALS)), DU)
        establish_here(case, f"Take charge refused by {origin}; {basis(case)}")
        return False
    if r < (0.8 if hit else 0.87):
        case.at(requested + case.days(2, window - 0.5), ReplyToTakeCharge(case.id, True), DU)
    else:
        case.at(office_hours(due + case.days(0.2, 4)), DeemTakeChargeAccepted(case.id), DU)
        return _transfer(case, accepted=due)  # effective at the end of the reply period
    return _transfer(case)


#: Transfer decisions appealed (AMMR Art 43), and of those with a request to suspend.
APPEAL_SHARE, SUSPENSION_SHARE = 0.12, 0.6
#: Of the appeals without a request, those followed by one (AMMR Art 43(3)).
LATE_SUSPENSION_SHARE = 0.8


def _transfer_appeal(case: CasePlan) -> datetime | str | None:
    """An appeal within the period; a suspension asked for and decided; if suspended, the
    appeal decided: "ANNULLED", the decision's time (the limit runs again), or None."""
    court = case.staff[AB].authority
    limit = case.due("TRANSFER_APPEAL", case.t)
    asked = case.chance(SUSPENSION_SHARE)
    case.at(min(office_hours(case.t + case.days(1, 10)), limit - case.days(0.5, 1)),
            LodgeTransferAppeal(case.id, court, asked), AB)
    if not asked:
        later = rng_for(case, "suspension")
        if later.random() >= LATE_SUSPENSION_SHARE:
            return None
        # a request to suspend made after the appeal, within its period (Art 43(3))
        add(case, min(case.t + timedelta(days=later.uniform(0.5, 3)), limit - timedelta(hours=6)),
            RequestTransferSuspension(case.id), AB)
    case.step(case.rng.uniform(3, 20), DecideTransferSuspension(case.id, case.chance(0.5)), AB)
    if not case.steps[-1].command.suspended:
        return None
    annulled = case.chance(0.25)
    decided = case.step(case.rng.uniform(30, 120), DecideTransferAppeal(case.id, annulled), AB)
    return "ANNULLED" if annulled else decided


def _transfer(case: CasePlan, accepted: datetime | None = None) -> bool:
    """Transfer decision, then the transfer, absconding, or the time limit running out. The
    limit runs from acceptance (a deemed one: the end of the reply period, Art 46(1))."""
    due = case.due("TRANSFER", accepted or case.t)
    case.step(case.rng.uniform(3, 25), IssueTransferDecision(case.id), DM)
    if case.chance(APPEAL_SHARE):
        outcome = _transfer_appeal(case)
        if outcome == "ANNULLED":
            cause = ResponsibilityCause.DISCRETIONARY_CLAUSE.value
            case.step(case.rng.uniform(5, 30), ShiftResponsibility(case.id, cause), DU)
            return False
        if isinstance(outcome, datetime):  # suspended, then upheld: six months from the decision
            due = case.due("TRANSFER", outcome)
    r = case.rng.random()
    if r < 0.45:
        t = office_hours(case.t + case.days(10, 110))
        if t >= due:
            t = due - case.days(1, 6)
        case.at(t, ExecuteTransfer(case.id), DU)
        if case.chance(0.85):
            case.step(case.rng.uniform(1, 14), CloseCase(case.id, C.TRANSFERRED.value), CW)
        return True
    if r < 0.57:
        case.step(case.rng.uniform(5, 60), RecordAbsconding(case.id), DU)
        if case.chance(0.5):
            case.step(case.rng.uniform(30, 120), CloseCase(case.id, C.ABSCONDED.value), CW)
        return True
    cause = ResponsibilityCause.TRANSFER_TIME_LIMIT_EXPIRED.value
    case.at(office_hours(due + case.days(0.5, 12)), ShiftResponsibility(case.id, cause), DU)
    return False
