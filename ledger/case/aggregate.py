"""The `Case` aggregate: one person's application for protection in one member state.

Each phase of the procedure is a mixin of command methods (screening, Eurodac, access,
responsibility, examination, remedies, after the decision, relocation) that check the rules,
each refusal naming its article, and then trigger events; the events in `ledger.case.<phase>.events`
change the state (`CaseState`). Rules live in the undecorated command methods so that a rule may
change without changing how stored events replay.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.case.access_to_procedure.steps import AccessToProcedureSteps
from ledger.case.after_decision.steps import AfterDecisionSteps
from ledger.case.age_assessment.steps import AgeAssessmentSteps
from ledger.case.detention.steps import DetentionSteps
from ledger.case.erasure.steps import ErasureSteps
from ledger.case.eurodac.steps import EurodacSteps
from ledger.case.examination.steps import ExaminationSteps
from ledger.case.guards import check_time
from ledger.case.monitoring.steps import MonitoringSteps
from ledger.case.reception.steps import ReceptionSteps
from ledger.case.relocation.steps import RelocationSteps
from ledger.case.remedies.steps import RemedySteps
from ledger.case.responsibility.steps import ResponsibilitySteps
from ledger.case.safeguards.steps import SafeguardSteps
from ledger.case.screening.events import CaseOpened
from ledger.case.screening.steps import ScreeningSteps
from ledger.case.withdrawal.steps import WithdrawalSteps
from ledger.envelope import LegalBasis, Step
from ledger.personal_data.sealed import SealedValue

_CASE_NAMESPACE = uuid5(NAMESPACE_URL, "https://pact-ledger.eu/case")


class Case(
    ScreeningSteps,
    EurodacSteps,
    AccessToProcedureSteps,
    ResponsibilitySteps,
    ExaminationSteps,
    RemedySteps,
    AfterDecisionSteps,
    RelocationSteps,
    ErasureSteps,
    DetentionSteps, ReceptionSteps, AgeAssessmentSteps,
    SafeguardSteps, MonitoringSteps, WithdrawalSteps,
    Aggregate,
):
    TOPIC = "pact-ledger:case.Case"

    class Created(Aggregate.Created):
        """Never triggered (cases open with `CaseOpened`); the library wants it to have a topic."""

        TOPIC = "pact-ledger:case.Case.Created"

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        """Chain each new event to the one before it (`ledger.integrity`)."""
        envelope = kwargs.get("envelope")
        if envelope is not None:
            kwargs["envelope"] = replace(envelope, previous_hash=self.last_hash)
        super().trigger_event(event_class, **kwargs)

    @staticmethod
    def create_id(member_state: str, national_reference: str) -> UUID:  # type: ignore[override]
        """Deterministic: the same national case in the same member state is always one case."""
        return uuid5(_CASE_NAMESPACE, f"{member_state}/{national_reference}")

    @classmethod
    def open(cls, step: Step, basis: LegalBasis, member_state: str, national_reference: str,
             nationality: str, unaccompanied_minor: bool, person_id: str,
             personal_data: SealedValue | None) -> Case:
        """`personal_data`: the names and date of birth, already sealed by the handler."""
        check_time(step, last=None)
        return cls._create(
            CaseOpened,
            id=cls.create_id(member_state, national_reference),
            envelope=step.envelope(basis),
            member_state=member_state,
            national_reference=national_reference,
            nationality=nationality,
            unaccompanied_minor=unaccompanied_minor,
            person_id=person_id,
            personal_data=personal_data,
        )
