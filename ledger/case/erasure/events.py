"""The erasure event: which personal data of a case were erased, on which legal basis, when.

It holds no personal data (the key's id, the names of the erased fields, the basis); the key
itself is destroyed by the vault once this event is recorded. A case event like any other: it
is in the case's hash chain, so the erasure is part of the legal trail.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from typing import TYPE_CHECKING

from ledger.case.event_base import CaseEvent, stable
from ledger.case.phase import Phase

if TYPE_CHECKING:
    from ledger.case.state import CaseState


@stable("PersonalDataErased")
class PersonalDataErased(CaseEvent):
    """The person's data key was destroyed: the sealed fields no longer open, anywhere."""

    phase = Phase.ERASURE

    basis: str  # an `ErasureBasis` code
    key_id: str
    erased_fields: tuple[str, ...]  # e.g. ("CaseOpened.personal_data",)

    def apply_step(self, case: CaseState) -> None:
        case.personal_data = replace(case.personal_data,
                                     erased_at=self.envelope.occurred_at.astimezone(UTC),
                                     erasure_basis=self.basis)


#: The events of this phase, for the catalogue (`ledger.case.events.CASE_EVENT_TYPES`).
EVENTS: tuple[type[CaseEvent], ...] = (PersonalDataErased,)
