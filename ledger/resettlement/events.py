"""The events of the Union plan and of admission files, each pinned to
`pact-ledger:resettlement.<Name>` and a version an upcaster must raise when its fields change;
payloads hold plain values (strings, integers, booleans, dates), never enum objects."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate

from ledger.envelope import Envelope
from ledger.recording_clock import recording_now
from ledger.topics import topic_of, topic_pinner

stable = topic_pinner("resettlement")


class ResettlementEvent(Aggregate.Event):
    """Base of plan and admission events: the envelope, and the command ids kept for replays."""

    envelope: Envelope

    @staticmethod
    def create_timestamp() -> Any:
        return recording_now()

    def apply(self, aggregate: Any) -> None:  # type: ignore[override]
        self.apply_step(aggregate)
        aggregate.command_ids.add(self.envelope.command_id)
        aggregate.last_occurred_at = self.envelope.occurred_at

    def apply_step(self, aggregate: Any) -> None:
        """The change this kind of step makes; overridden per event."""


# --- the Union plan ------------------------------------------------------------------------------
@stable("UnionPlanAdopted")
class UnionPlanAdopted(ResettlementEvent, Aggregate.Created):
    """The Council implementing act adopting the two-year plan (URF Art 8(1)-(3))."""

    period_start: int
    period_end: int
    council_act: str
    resettlement: int
    humanitarian_admission: int
    emergency_admission: int

    def apply_step(self, plan: Any) -> None:
        plan.period_start, plan.period_end = self.period_start, self.period_end
        plan.command_ids = set()
        plan.contributions = {}


@stable("PlanContributionRecorded")
class PlanContributionRecorded(ResettlementEvent):
    """A member state's voluntary contribution to the plan (URF Arts 1(4), 8(3))."""

    member_state: str
    resettlement: int
    humanitarian_admission: int
    emergency_admission: int

    def apply_step(self, plan: Any) -> None:
        plan.contributions[self.member_state] = (self.resettlement, self.humanitarian_admission,
                                                 self.emergency_admission)


# --- an admission file ---------------------------------------------------------------------------
@stable("AdmissionRegistered")
class AdmissionRegistered(ResettlementEvent, Aggregate.Created):
    """A referred person identified and registered; the decision's time limit runs from here."""

    member_state: str
    reference: str
    admission_type: str
    procedure: str
    plan_period_start: int
    referred_by: str
    referral_ref: str
    nationality: str
    country_of_residence: str
    vulnerable: bool
    persons: int

    def apply_step(self, admission: Any) -> None:
        admission.member_state, admission.reference = self.member_state, self.reference
        admission.admission_type = self.admission_type
        admission.vulnerable = self.vulnerable
        admission.status = "REGISTERED"
        admission.command_ids = set()
        admission.refusal_grounds = ()
        admission.consented = False
        admission.assessed = False


@stable("AdmissionAssessed")
class AdmissionAssessed(ResettlementEvent):
    """The assessment: the Art 6(1) grounds found, (f) included where the ledger derived it."""

    refusal_grounds: list[str]
    earlier_refusal_on: date | None
    earlier_refusal_ground: str | None

    def apply_step(self, admission: Any) -> None:
        admission.refusal_grounds = tuple(self.refusal_grounds)
        admission.assessed = True
        admission.status = "CONSENTED" if admission.consented else "ASSESSED"


@stable("AdmissionConsentRecorded")
class AdmissionConsentRecorded(ResettlementEvent):
    """The person consented to be admitted."""

    def apply_step(self, admission: Any) -> None:
        admission.consented = True
        if admission.status in ("REGISTERED", "ASSESSED"):
            admission.status = "CONSENTED"


@stable("AdmissionDecided")
class AdmissionDecided(ResettlementEvent):
    """Admission granted or refused; a refusal lists the Art 6(1) grounds it rests on (none:
    refused without a mandatory ground, Art 1(2)-(4))."""

    granted: bool
    refusal_grounds: list[str]

    def apply_step(self, admission: Any) -> None:
        admission.status = "ADMISSION_GRANTED" if self.granted else "ADMISSION_REFUSED"


@stable("AdmittedPersonArrived")
class AdmittedPersonArrived(ResettlementEvent):
    """The admitted person arrived and received `protection_status`; the AMIF lump sum
    (URF Art 14) and whether the arrival counts toward AMMR solidarity (a parameter, as it stood
    when recorded) are kept with it."""

    protection_status: str
    lump_sum_cents: int
    counts_toward_solidarity: bool
    solidarity_basis: str

    def apply_step(self, admission: Any) -> None:
        admission.status = "ARRIVED"


@stable("AdmissionDiscontinued")
class AdmissionDiscontinued(ResettlementEvent):
    """The procedure stopped before the arrival."""

    reason: str

    def apply_step(self, admission: Any) -> None:
        admission.status = "DISCONTINUED"


#: Every resettlement event, by the name in its stable topic (read by the projection).
RESETTLEMENT_EVENT_TYPES: dict[str, type[ResettlementEvent]] = {
    topic_of(cls).removeprefix("pact-ledger:resettlement."): cls
    for cls in (UnionPlanAdopted, PlanContributionRecorded, AdmissionRegistered,
                AdmissionAssessed, AdmissionConsentRecorded, AdmissionDecided,
                AdmittedPersonArrived, AdmissionDiscontinued)
}
