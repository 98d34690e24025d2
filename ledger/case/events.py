"""The catalogue of every case event: an explicit table of each phase's `EVENTS`.

Stored events name their class by topic (`pact-ledger:case.<Name>`, pinned by `stable`); this
table is what serialisers, the read models and the tests read to know every kind of case event.
"""

from __future__ import annotations

from ledger.case.access_to_procedure import events as access_to_procedure
from ledger.case.after_decision import events as after_decision
from ledger.case.age_assessment import events as age_assessment
from ledger.case.detention import events as detention
from ledger.case.erasure import events as erasure
from ledger.case.eurodac import events as eurodac
from ledger.case.event_base import CaseEvent
from ledger.case.examination import events as examination
from ledger.case.monitoring import events as monitoring
from ledger.case.phase import Phase
from ledger.case.reception import events as reception
from ledger.case.relocation import events as relocation
from ledger.case.remedies import events as remedies
from ledger.case.responsibility import events as responsibility
from ledger.case.safeguards import events as safeguards
from ledger.case.screening import events as screening
from ledger.case.withdrawal import events as withdrawal
from ledger.topics import topic_of

#: Every case event class, by the name in its stable topic, phase by phase.
CASE_EVENT_TYPES: dict[str, type[CaseEvent]] = {
    topic_of(cls).removeprefix("pact-ledger:case."): cls
    for cls in (
        *screening.EVENTS,
        *eurodac.EVENTS,
        *access_to_procedure.EVENTS,
        *responsibility.EVENTS,
        *examination.EVENTS,
        *remedies.EVENTS,
        *after_decision.EVENTS,
        *relocation.EVENTS,
        *erasure.EVENTS,
        *detention.EVENTS, *reception.EVENTS, *age_assessment.EVENTS,
        *safeguards.EVENTS, *monitoring.EVENTS, *withdrawal.EVENTS,
    )
}


def phase_of(event: CaseEvent | type[CaseEvent]) -> Phase:
    """The phase of the procedure an event belongs to, as its class declares it."""
    return event.phase
