"""The `Case` aggregate: one person's application for protection in one member state.

Each phase of the procedure is a mixin of command methods (screening, Eurodac, access,
responsibility, examination, remedies, after the decision, relocation) that check the rules,
each refusal naming its article, and then trigger events; the events in `ledger.case.<phase>.events`
change the state (`CaseState`). Rules live in the undecorated command methods so that a rule may
change without changing how stored events replay.
"""

from __future__ import annotations

import threading
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.case.access_to_procedure.steps import AccessToProcedureSteps
from ledger.case.after_decision.steps import AfterDecisionSteps
from ledger.case.age_assessment.steps import AgeAssessmentSteps
from ledger.case.copying import copied_state
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
from ledger.envelope import LegalBasis, Step, chained
from ledger.integrity import event_hash, new_event_hash
from ledger.personal_data.sealed import SealedValue

_CASE_NAMESPACE = uuid5(NAMESPACE_URL, "https://pact-ledger.eu/case")
#: Guards the two attributes of the hash chain together (`Case.chain_to`, `Case.last_hash`).
_CHAIN_LOCK = threading.Lock()


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

    #: The hash chain (`ledger.integrity`): the latest event, hashed only when the next event
    #: needs it (`last_hash`), so that replaying a stream hashes its last event only and a
    #: fresh event is hashed once.
    #: (No annotations: the aggregate's metaclass would read them as constructor arguments.)
    _chain_event = None
    _chain_hash = None
    #: Set when an event failed half-way through changing the case: such a case is never
    #: lent again (`ledger.case.decided_cases`).
    _torn = False

    def chain_to(self, event: Any) -> None:
        with _CHAIN_LOCK:
            self._chain_event = event
            self._chain_hash = None

    @property
    def last_hash(self) -> str | None:
        """The latest event's chain hash (`ledger.integrity.event_hash`): the next event's
        `previous_hash`."""
        with _CHAIN_LOCK:
            event, digest = self._chain_event, self._chain_hash
        if event is None:
            return digest
        digest = event_hash(event)
        with _CHAIN_LOCK:  # a cached case may be fast-forwarded by another thread meanwhile
            if self._chain_event is event:
                self._chain_event, self._chain_hash = None, digest
        return digest

    def __deepcopy__(self, memo: dict[int, Any]) -> Case:
        """The copy a command decides on (the repository hands out copies of cached cases):
        frozen values are shared, containers copied, anything else deep-copied (a full
        `deepcopy` of a case took ~80 us per command)."""
        self.last_hash  # noqa: B018 (hash once here, not again in every copy)
        with _CHAIN_LOCK:  # the chain's two attributes as one
            attributes = dict(vars(self))
        twin = object.__new__(type(self))
        vars(twin).update(copied_state(attributes, memo))
        return twin

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Case):
            _ = self.last_hash, other.last_hash  # compare hashes, however far each has got
        return super().__eq__(other)

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        """Chain each new event to the one before it (`ledger.integrity`)."""
        envelope = kwargs.get("envelope")
        if envelope is not None:
            kwargs["envelope"] = chained(envelope, self.last_hash)
        try:
            super().trigger_event(event_class, **kwargs)
        except BaseException:
            self._torn = True
            raise
        self._hash_new()

    def _hash_new(self) -> None:
        """Hash the event just triggered now, from the bytes the store will hold, which are kept
        for the mapper (`ledger.event_bytes.BytesMapper`): a new event is encoded once."""
        with _CHAIN_LOCK:
            event = self._chain_event
        pending = self._pending_events
        if event is None or not pending or event is not pending[-1]:
            return
        digest = new_event_hash(event)
        with _CHAIN_LOCK:
            if self._chain_event is event:
                self._chain_event, self._chain_hash = None, digest

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
        case = cls._create(
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
        case._hash_new()
        return case
