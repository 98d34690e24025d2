"""A member state's crisis and force-majeure periods (Crisis Regulation (EU) 2024/1359).

One `CrisisRegime` stream per member state records each period: declared by a Council
implementing decision with the derogations it authorises (Art 4), extended (Art 5: once by
three months), ended. While a period runs, the crisis versions of the deadlines whose
derogation it authorises apply to that member state's cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger import rules
from ledger.deadlines.durations import months
from ledger.deadlines.periods import period_end
from ledger.envelope import Envelope, LegalBasis, Step
from ledger.errors import RuleViolation
from ledger.recording_clock import recording_now
from ledger.topics import topic_pinner

_NAMESPACE = uuid5(NAMESPACE_URL, "https://pact-ledger.eu/crisis")
CRISIS_ACT = "Crisis Regulation (EU) 2024/1359"

CRISIS_OVERLAPS = rules.define_rule(
    "CRISIS_OVERLAPS", f"{CRISIS_ACT} Art 5",
    "A crisis period is already running for this member state; extend or end it first")
CRISIS_NOT_RUNNING = rules.define_rule(
    "CRISIS_NOT_RUNNING", f"{CRISIS_ACT} Art 5", "No crisis period runs for this member state")
CRISIS_EXTENDED_ONCE = rules.define_rule(
    "CRISIS_EXTENDED_ONCE", f"{CRISIS_ACT} Art 5(2)",
    "A crisis decision can be extended once; a new decision is needed to go further")
CRISIS_PERIOD_INVALID = rules.define_rule(
    "CRISIS_PERIOD_INVALID", f"{CRISIS_ACT} Art 5(1)",
    "A crisis period ends after it starts and lasts at most three months per decision")


#: Art 5(1)-(2): a decision applies for up to three months, extendable once by up to three.
PERIOD = months(3)


def period_limit(member_state: str, starts_at: datetime) -> datetime:
    """The latest end of a crisis period (or extension) starting at `starts_at`: three calendar
    months in the member state's calendar (Reg. 1182/71 Art 3(2)(c); as the end of a period of
    application, without Art 3(4)'s move to a working day, Arts 4-5), not 92 days."""
    return period_end(PERIOD, starts_at, member_state, roll_forward=False).due_at


def derogations_in(periods: Iterable[Mapping[str, Any]], moment: datetime) -> frozenset[str]:
    """The derogations of the period running at `moment`: from `starts_at` until it ended or
    its (possibly extended) `until` passed, whichever came first (an end recorded after the
    period expired does not lengthen it). Shared by the aggregate and the read model."""
    for period in periods:
        ended = period["ended_at"]
        end = period["until"] if ended is None else min(ended, period["until"])
        if period["starts_at"] <= moment < end:
            return frozenset(period["derogations"])
    return frozenset()


_pin = topic_pinner("crisis")


class CrisisRegime(Aggregate):
    TOPIC = "pact-ledger:crisis.CrisisRegime"

    if TYPE_CHECKING:  # set by the events; not constructor arguments (the metaclass reads
        member_state: str  # class-level annotations as such)
        _periods: list[dict[str, Any]]

    class Created(Aggregate.Created):
        TOPIC = "pact-ledger:crisis.CrisisRegime.Created"

    @staticmethod
    def create_id(member_state: str) -> UUID:  # type: ignore[override]
        return uuid5(_NAMESPACE, member_state)

    # --- state --------------------------------------------------------------------------------
    def periods(self) -> list[dict[str, Any]]:
        return getattr(self, "_periods", [])

    def derogations_at(self, moment: datetime) -> frozenset[str]:
        """The derogations in force at `moment` (legal time)."""
        return derogations_in(self.periods(), moment)

    def running(self) -> dict[str, Any] | None:
        periods = self.periods()
        return periods[-1] if periods and periods[-1]["ended_at"] is None else None

    # --- commands -----------------------------------------------------------------------------
    @classmethod
    def declare(cls, step: Step, member_state: str, kind: str, starts_at: datetime,
                until: datetime, derogations: tuple[str, ...], decision_ref: str,
                existing: CrisisRegime | None) -> CrisisRegime:
        if not starts_at < until or until > period_limit(member_state, starts_at):
            raise RuleViolation(CRISIS_PERIOD_INVALID)
        regime = existing
        if regime is None:
            regime = cls._create(CrisisRegimeOpened, id=cls.create_id(member_state),
                                 envelope=step.envelope(LegalBasis(CRISIS_ACT, "Art 4")),
                                 member_state=member_state)
        if regime.running() is not None and regime.running()["until"] > starts_at:  # type: ignore[index]
            raise RuleViolation(CRISIS_OVERLAPS)
        regime.trigger_event(CrisisDeclared, envelope=step.envelope(LegalBasis(CRISIS_ACT,
                             "Art 4")), kind=kind, starts_at=starts_at, until=until,
                             derogations=derogations, decision_ref=decision_ref)
        return regime

    def extend(self, step: Step, until: datetime, decision_ref: str) -> None:
        running = self.running()
        if running is None:
            raise RuleViolation(CRISIS_NOT_RUNNING)
        if running["extended"]:
            raise RuleViolation(CRISIS_EXTENDED_ONCE)
        if not running["until"] < until or until > period_limit(self.member_state,
                                                                 running["until"]):
            raise RuleViolation(CRISIS_PERIOD_INVALID)
        self.trigger_event(CrisisExtended, envelope=step.envelope(LegalBasis(CRISIS_ACT,
                           "Art 5(2)")), until=until, decision_ref=decision_ref)

    def end(self, step: Step) -> None:
        if self.running() is None:
            raise RuleViolation(CRISIS_NOT_RUNNING)
        self.trigger_event(CrisisEnded, envelope=step.envelope(LegalBasis(CRISIS_ACT, "Art 5")))


class CrisisEvent(Aggregate.Event):
    envelope: Envelope

    @staticmethod
    def create_timestamp() -> datetime:
        return recording_now()


@_pin("CrisisRegimeOpened")
class CrisisRegimeOpened(CrisisEvent, Aggregate.Created):
    member_state: str

    def apply(self, regime: CrisisRegime) -> None:  # type: ignore[override]
        regime.member_state = self.member_state
        regime._periods = []


@_pin("CrisisDeclared")
class CrisisDeclared(CrisisEvent):
    kind: str  # CRISIS, FORCE_MAJEURE, INSTRUMENTALISATION
    starts_at: datetime
    until: datetime
    derogations: tuple[str, ...]
    decision_ref: str

    def apply(self, regime: CrisisRegime) -> None:  # type: ignore[override]
        regime._periods.append({
            "kind": self.kind, "starts_at": self.starts_at, "until": self.until,
            "derogations": list(self.derogations), "decision_ref": self.decision_ref,
            "extended": False, "ended_at": None,
        })


@_pin("CrisisExtended")
class CrisisExtended(CrisisEvent):
    until: datetime
    decision_ref: str

    def apply(self, regime: CrisisRegime) -> None:  # type: ignore[override]
        regime._periods[-1].update(until=self.until, extended=True)


@_pin("CrisisEnded")
class CrisisEnded(CrisisEvent):
    def apply(self, regime: CrisisRegime) -> None:  # type: ignore[override]
        regime._periods[-1]["ended_at"] = self.envelope.occurred_at
