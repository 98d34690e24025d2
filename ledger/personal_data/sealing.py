"""Where a case's personal data meet the vault: sealed before the opening event is created,
opened only while a step needs them (the date of birth, for the age rules), never kept in the
aggregate's state."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from ledger.case.aggregate import Case
from ledger.case.person import Person
from ledger.case.screening.events import CaseOpened, person_id_for
from ledger.personal_data.sealed import PersonalDetails, SealedValue, associated_data

if TYPE_CHECKING:
    from ledger.application import Ledger

#: The one sealed field of the case's opening event.
OPENING_FIELD = "personal_data"

_UNKNOWN = object()


def opening_aad(case_id: UUID | str) -> bytes:
    return associated_data(str(case_id), CaseOpened.TOPIC, OPENING_FIELD)  # type: ignore[attr-defined]


def seal_person(ledger: Ledger, case_id: UUID, person: Person) -> tuple[str, SealedValue | None]:
    """(person id, sealed names and date of birth) for the opening event of `case_id`. The data
    key is the case's (`key_id` = the case id), so each case's data can be erased on its own
    schedule; the person id groups a person's cases."""
    person_id = person.person_id or person_id_for(case_id)
    details = PersonalDetails(person.family_name, person.given_names, person.date_of_birth)
    if details.is_empty():
        return person_id, None
    sealed = ledger.personal_data.seal(str(case_id), person_id, details.to_bytes(),
                                       opening_aad(case_id))
    return person_id, sealed


def opening_seal(ledger: Ledger, case_id: UUID) -> SealedValue | None:
    """The sealed value of the case's opening event (None: none was sealed). Remembered per
    case: a stored event never changes, and what is remembered is ciphertext only (opening it
    still asks the key store, so a destroyed key still erases)."""
    known = ledger.opening_seals.get(case_id, _UNKNOWN)
    if known is not _UNKNOWN:
        return known  # type: ignore[return-value]
    for event in ledger.events.get(case_id, lte=1):  # the opening event
        if isinstance(event, CaseOpened):
            ledger.remember_opening_seal(case_id, event.personal_data)
            return event.personal_data
    return None  # (not stored yet: nothing remembered)


def opened_details(ledger: Ledger, case: Case) -> PersonalDetails | None:
    """The case's personal data, while its key exists and no erasure is recorded."""
    if case.personal_data.erased:
        return None
    sealed = opening_seal(ledger, case.id)
    if sealed is None:
        return None
    plain = ledger.personal_data.open(sealed, opening_aad(case.id))
    return PersonalDetails.from_bytes(plain) if plain is not None else None


def birth_date(ledger: Ledger, case: Case) -> date | None:
    details = opened_details(ledger, case)
    return details.date_of_birth if details else None
