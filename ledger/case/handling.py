"""What the case handlers share: finding, loading and opening a case."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from ledger.case.aggregate import Case
from ledger.case.person import Person
from ledger.envelope import LegalBasis, Step
from ledger.errors import CaseNotFound
from ledger.personal_data.sealing import seal_person

if TYPE_CHECKING:
    from ledger.application import Ledger


def existing_case(ledger: Ledger, member_state: str, reference: str) -> Case | None:
    """The case a command names by its national reference, lent to decide on as `loaded`'s
    (None: no such case yet)."""
    try:
        return ledger.case_to_decide_on(Case.create_id(member_state, reference))
    except CaseNotFound:
        return None


def open_case(ledger: Ledger, member_state: str, national_reference: str, person: Person,
              step: Step, basis: LegalBasis) -> Case:
    """Names and date of birth are sealed before the event is created (`ledger.personal_data`)."""
    case_id = Case.create_id(member_state, national_reference)
    person_id, sealed = seal_person(ledger, case_id, person)
    return Case.open(step, basis, member_state=member_state,
                     national_reference=national_reference,
                     nationality=person.nationality,
                     unaccompanied_minor=person.unaccompanied_minor,
                     person_id=person_id, personal_data=sealed)


def loaded(ledger: Ledger, case_id: UUID, step: Step) -> tuple[Case, bool]:
    """The case, and whether this step's command was already processed (a replay)."""
    case = ledger.case_to_decide_on(case_id)
    return case, case.has_processed(step.command_id)
