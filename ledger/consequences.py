"""The law's consequences of expired limits, derived from a case's deadlines and the clock.

Where a regulation attaches a consequence to a limit passing, it takes effect by law at that
moment, whether or not anyone records it:

- a take charge request not made in time leaves the member state of registration responsible
  (AMMR Art 39(1));
- silence on a take charge request counts as acceptance (Art 40; for detained persons Art 45(2))
  and silence on a take back notification as confirmation (Art 41(2)), at the end of the reply
  period; the transfer time limit runs from there (Art 46(1));
- a transfer not made within the transfer time limit makes the requesting member state
  responsible (Arts 37(1), 46(2)).

**Derived state, not events, and why.** These are computed when read, from the deadlines (which
the engine derives from the events) and the moment asked about, by this one pure function. The
ledger does not record events of its own at the due moment: that needs a clock-driven writer
whose events depend on when it ran (a late or missed run, a step recorded late with an earlier
legal time) and which would race with the authorities' own steps; the law needs none of it,
since the consequence follows from the record and the time alone. A rebuild gives the same
deadlines, so the same consequences. The authorities' own records (`ShiftResponsibility`,
`DeemTakeChargeAccepted`, ... with Eurodac Art 16(3) marking) remain, and agree: a deemed
acceptance recorded late takes effect at the end of the reply period all the same
(`effective_at`), and the write side applies the same consequences (a late take charge request
is refused, `TAKE_CHARGE_REQUEST_LATE`; a merits decision is allowed once the transfer limit
has passed).

A consequence the law attaches to an *act* rather than to a limit (the Eurodac unmarking that a
withdrawal of protection implies, Eurodac Art 31) needs no clock: the command that records the
act records the consequence with it (`ledger.case.withdrawal.steps`), and a rebuild replays both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from ledger.deadlines.catalogue import calendar_state, derogations_for, version_for
from ledger.deadlines.deadline import Deadline
from ledger.deadlines.periods import due

AMMR = "AMMR (EU) 2024/1351"

#: Art 40: silence on a take charge request counts as acceptance. Confirmed in our sources only
#: for detained persons (Art 45(2)); for others it was the rule of Dublin III (Art 22(7)) and is
#: unconfirmed for the AMMR (pact-rules-procedures §4.5): a parameter.
DEEMED_ACCEPTANCE_ON_SILENCE = True

DerogationsAt = Callable[[str, datetime], frozenset[str]]


def _none(member_state: str, moment: datetime) -> frozenset[str]:
    return frozenset()


@dataclass(frozen=True)
class Consequence:
    kind: str  # RESPONSIBLE_AS_STATE_OF_REGISTRATION, DEEMED_ACCEPTED, DEEMED_CONFIRMED,
    #            RESPONSIBILITY_SHIFTED
    article: str
    since: datetime  # the moment the law attaches it to: the end of the expired limit
    cause: str  # the deadline rule whose expiry caused it
    cause_due: datetime
    responsible: str | None  # the member state responsible as a result
    confirmed: bool  # False: rests on a rule unconfirmed in our sources (a parameter)
    summary: str


def _latest(deadlines: Sequence[Deadline], code: str) -> Deadline | None:
    found = [d for d in deadlines if d.code == code]
    return found[-1] if found else None


def _expired_unmet(d: Deadline | None, now: datetime) -> bool:
    """Unmet once due; a later stop (the case closed, the path left) does not undo it."""
    return (d is not None and d.met_at is None and now > d.due_at
            and (d.stopped_at is None or d.stopped_at > d.due_at))


def transfer_due(start: datetime, member_state: str, other: str | None,
                 derogations_at: DerogationsAt = _none) -> datetime:
    """Art 46(1) (crisis: Crisis Regulation Art 12), counted as the deadline engine counts it."""
    base = version_for("TRANSFER", frozenset())
    rule = version_for("TRANSFER", derogations_for(base, derogations_at, member_state, other,
                                                   start))
    assert rule.duration is not None
    return due(rule.duration, start, calendar_state(rule, member_state, other))


def consequences(deadlines: Sequence[Deadline], member_state: str, other: str | None,
                 now: datetime, derogations_at: DerogationsAt = _none) -> list[Consequence]:
    """The consequences in force at `now`, in the order they took effect."""
    found: list[Consequence] = []
    for code in ("TAKE_CHARGE_REQUEST", "TAKE_CHARGE_REQUEST_HIT"):
        d = _latest(deadlines, code)
        if d is not None and _expired_unmet(d, now):
            found.append(Consequence(
                "RESPONSIBLE_AS_STATE_OF_REGISTRATION", f"{AMMR} Art 39(1)", d.due_at, code,
                d.due_at, member_state, True,
                "No take charge request in time: the member state of registration is "
                "responsible (an unaccompanied minor's request remains possible until the "
                "first decision, in the child's best interests)"))
            break
    for code, kind, article, confirmed in (
            ("TAKE_CHARGE_REPLY", "DEEMED_ACCEPTED", "Art 40(1)", False),
            ("TAKE_CHARGE_REPLY_HIT", "DEEMED_ACCEPTED", "Art 40(2)", False),
            ("TAKE_BACK_CONFIRMATION", "DEEMED_CONFIRMED", "Art 41(2)", True)):
        d = _latest(deadlines, code)
        if d is None or (kind == "DEEMED_ACCEPTED" and not DEEMED_ACCEPTANCE_ON_SILENCE):
            continue
        silent = d.met_at is None and d.stopped_at is None and now > d.due_at
        if not silent:
            continue
        found.append(Consequence(
            kind, f"{AMMR} {article}", d.due_at, code, d.due_at, other, confirmed,
            "No reply in time: silence counts as acceptance (confirmation), effective at the end "
            "of the reply period; the transfer time limit runs from there (Art 46(1))"))
        ends = transfer_due(d.due_at, member_state, other, derogations_at)
        if now > ends:
            found.append(_shifted("TRANSFER", ends, member_state))
    transfer = _latest(deadlines, "TRANSFER")
    if transfer is not None and _expired_unmet(transfer, now):
        found.append(_shifted("TRANSFER", transfer.due_at, member_state))
    return sorted(found, key=lambda c: c.since)


def _shifted(cause: str, at: datetime, member_state: str) -> Consequence:
    return Consequence(
        "RESPONSIBILITY_SHIFTED", f"{AMMR} Arts 37(1), 46(2)", at, cause, at, member_state, True,
        "The transfer time limit passed without a transfer: the requesting member state is "
        "responsible")


#: Recorded responsibility states that a consequence can overtake (the procedure still waits).
_WAITING = ("UNDETERMINED", "TAKE_CHARGE_REQUESTED", "TAKE_BACK_NOTIFIED", "TRANSFER_PENDING")
_STATE_AFTER = {"RESPONSIBLE_AS_STATE_OF_REGISTRATION": "RESPONSIBLE_HERE",
                "DEEMED_ACCEPTED": "TRANSFER_PENDING", "DEEMED_CONFIRMED": "TRANSFER_PENDING",
                "RESPONSIBILITY_SHIFTED": "RESPONSIBLE_HERE"}


def responsibility_by_law(recorded_state: str, found: Sequence[Consequence]
                          ) -> tuple[str, Consequence | None]:
    """The responsibility state as the law has it: the recorded one, unless the procedure still
    waits on a step and a consequence took effect; then the latest consequence's."""
    if recorded_state not in _WAITING or not found:
        return recorded_state, None
    latest = found[-1]
    if latest.kind == "RESPONSIBLE_AS_STATE_OF_REGISTRATION" and recorded_state != "UNDETERMINED":
        return recorded_state, None
    return _STATE_AFTER[latest.kind], latest
