"""`Admission`: one admission file under the framework, from registration to the arrival (or a
refusal or discontinuance). Command methods check the rules and trigger the events of
`ledger.resettlement.events`; legal time moves forward only."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.case.guards import check_time
from ledger.envelope import LegalBasis, Step
from ledger.errors import RuleViolation
from ledger.resettlement import events as ev
from ledger.resettlement import rules
from ledger.resettlement.parameters import (
    DEFAULT_LUMP_SUMS,
    DEFAULT_PROCEDURE,
    DEFAULT_SOLIDARITY_LINK,
    REFUSAL_LOOKBACK_YEARS,
    URF,
    LumpSums,
    ProcedureParameters,
    SolidarityLink,
)
from ledger.resettlement.plan import UnionPlan
from ledger.resettlement.vocabulary import LOOKBACK_GROUNDS, RefusalGround

_NAMESPACE = uuid5(NAMESPACE_URL, "https://pact-ledger.eu/resettlement/admission")
_CLOSED = ("ADMISSION_REFUSED", "ARRIVED", "DISCONTINUED")
_DECIDED = ("ADMISSION_GRANTED", *_CLOSED)


def _unconfirmed(what: str) -> LegalBasis:
    """The basis of a step whose article our sources do not name (§6 item 4)."""
    return LegalBasis(URF, f"{what}: article not found (pact-rules-procedures.md §6 item 4, "
                           "unconfirmed)")


def refused_within_lookback(earlier_on: date | None, ground: str | None, now: datetime) -> bool:
    """Art 6(1)(f): a member state refused the person under (c) or (d) in the previous three
    years (counted back from the assessment's legal date)."""
    if earlier_on is None or ground not in LOOKBACK_GROUNDS:
        return False
    today = now.date()
    try:
        limit = today.replace(year=today.year - REFUSAL_LOOKBACK_YEARS)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year - REFUSAL_LOOKBACK_YEARS, day=28)
    return limit <= earlier_on <= today


def lump_sum(admission_type: str, vulnerable: bool, sums: LumpSums = DEFAULT_LUMP_SUMS) -> int:
    """URF Art 14 amending AMIF Art 19: EUR 10 000 per person resettled, EUR 6 000 per person
    admitted on humanitarian grounds, EUR 8 000 for a vulnerable group (emergency: a
    parameter)."""
    if admission_type == "RESETTLEMENT":
        return sums.resettlement
    if admission_type == "EMERGENCY_ADMISSION":
        return sums.emergency
    return sums.humanitarian_vulnerable if vulnerable else sums.humanitarian


class Admission(Aggregate):
    TOPIC = "pact-ledger:resettlement.Admission"

    if TYPE_CHECKING:
        member_state: str
        reference: str
        admission_type: str
        vulnerable: bool
        status: str
        refusal_grounds: tuple[str, ...]
        consented: bool
        assessed: bool
        command_ids: set[str]
        last_occurred_at: datetime

    class Created(Aggregate.Created):
        """Never triggered (a file opens with `AdmissionRegistered`); the library wants a topic."""

        TOPIC = "pact-ledger:resettlement.Admission.Created"

    @staticmethod
    def create_id(member_state: str, reference: str) -> UUID:  # type: ignore[override]
        """Deterministic: a member state's reference names one file."""
        return uuid5(_NAMESPACE, f"{member_state}/{reference}")

    def has_processed(self, command_id: str) -> bool:
        return command_id in self.command_ids

    # --- the steps ---------------------------------------------------------------------------
    @classmethod
    def register(cls, step: Step, plan: UnionPlan | None, member_state: str, reference: str,
                 admission_type: str, procedure: str, plan_period_start: int, referred_by: str,
                 referral_ref: str, nationality: str, country_of_residence: str,
                 vulnerable: bool, persons: int) -> Admission:
        check_time(step, last=None)
        if plan is None:
            raise RuleViolation(rules.PLAN_NOT_ADOPTED, f"plan from {plan_period_start}")
        if not plan.covers(step.occurred_at, member_state):
            raise RuleViolation(rules.ADMISSION_OUTSIDE_PLAN,
                                f"the plan covers {plan.period_start}-{plan.period_end}")
        return cls._create(ev.AdmissionRegistered, id=cls.create_id(member_state, reference),
                           envelope=step.envelope(_unconfirmed("registration")),
                           member_state=member_state, reference=reference,
                           admission_type=admission_type, procedure=procedure,
                           plan_period_start=plan_period_start, referred_by=referred_by,
                           referral_ref=referral_ref, nationality=nationality,
                           country_of_residence=country_of_residence, vulnerable=vulnerable,
                           persons=persons)

    def assess(self, step: Step, grounds: tuple[str, ...], earlier_on: date | None,
               earlier_ground: str | None) -> None:
        self._guard(step)
        if self.status in _DECIDED:
            raise RuleViolation(rules.ADMISSION_ALREADY_DECIDED, self._status())
        if self.assessed:
            raise RuleViolation(rules.ADMISSION_ALREADY_ASSESSED)
        found = list(dict.fromkeys(grounds))
        if refused_within_lookback(earlier_on, earlier_ground, step.occurred_at):
            found.append(RefusalGround.REFUSED_IN_PREVIOUS_YEARS.value)
        self.trigger_event(ev.AdmissionAssessed, envelope=step.envelope(LegalBasis(URF,
                           "Art 6(1)")), refusal_grounds=list(dict.fromkeys(found)),
                           earlier_refusal_on=earlier_on, earlier_refusal_ground=earlier_ground)

    def record_consent(self, step: Step) -> None:
        self._guard(step)
        if self.status in _DECIDED:
            raise RuleViolation(rules.ADMISSION_ALREADY_DECIDED, self._status())
        self.trigger_event(ev.AdmissionConsentRecorded,
                           envelope=step.envelope(_unconfirmed("consent")))

    def decide(self, step: Step, granted: bool,
               p: ProcedureParameters = DEFAULT_PROCEDURE) -> None:
        self._guard(step)
        if self.status in _DECIDED:
            raise RuleViolation(rules.ADMISSION_ALREADY_DECIDED, self._status())
        if p.decision_requires_assessment and not self.assessed:
            raise RuleViolation(rules.DECISION_REQUIRES_ASSESSMENT, self._status())
        if granted and self.refusal_grounds:
            raise RuleViolation(rules.GRANT_DESPITE_REFUSAL_GROUND,
                                ", ".join(self.refusal_grounds))
        if granted and p.grant_requires_consent and not self.consented:
            raise RuleViolation(rules.GRANT_REQUIRES_CONSENT, self._status())
        article = "Art 1(2)-(4)" if granted or not self.refusal_grounds else "Art 6(1)"
        self.trigger_event(ev.AdmissionDecided, envelope=step.envelope(LegalBasis(URF, article)),
                           granted=granted,
                           refusal_grounds=[] if granted else list(self.refusal_grounds))

    def record_arrival(self, step: Step, protection_status: str,
                       p: ProcedureParameters = DEFAULT_PROCEDURE,
                       sums: LumpSums = DEFAULT_LUMP_SUMS,
                       link: SolidarityLink = DEFAULT_SOLIDARITY_LINK) -> None:
        self._guard(step)
        if self.status != "ADMISSION_GRANTED":
            raise RuleViolation(rules.ARRIVAL_REQUIRES_GRANT, self._status())
        if protection_status not in p.statuses.get(self.admission_type, frozenset()):
            raise RuleViolation(rules.STATUS_NOT_FOR_ADMISSION_TYPE,
                                f"{self.admission_type} leads to "
                                f"{', '.join(sorted(p.statuses.get(self.admission_type, ())))}")
        self.trigger_event(ev.AdmittedPersonArrived,
                           envelope=step.envelope(LegalBasis(URF, "Art 14")),
                           protection_status=protection_status,
                           lump_sum_cents=lump_sum(self.admission_type, self.vulnerable, sums),
                           counts_toward_solidarity=link.counts, solidarity_basis=link.basis)

    def discontinue(self, step: Step, reason: str) -> None:
        self._guard(step)
        self.trigger_event(ev.AdmissionDiscontinued,
                           envelope=step.envelope(_unconfirmed("discontinuance")), reason=reason)

    # --- shared ------------------------------------------------------------------------------
    def _guard(self, step: Step) -> None:
        if self.status in _CLOSED:
            raise RuleViolation(rules.ADMISSION_CLOSED, self._status())
        check_time(step, last=self.last_occurred_at)

    def _status(self) -> str:
        return f"admission status is {self.status}"
