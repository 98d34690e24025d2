"""How the erasure command is carried out on the `Case`."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ledger.case.aggregate import Case
from ledger.case.erasure import commands as c
from ledger.case.handling import loaded
from ledger.envelope import Step
from ledger.handling import Changes, Registration
from ledger.personal_data.bases import ERASURE_BASES
from ledger.personal_data.sealed import SealedValue
from ledger.validation import Problems

if TYPE_CHECKING:
    from ledger.application import Ledger


def check_erasure(problems: Problems, command: c.ErasePersonalData, today: date) -> None:
    if command.basis not in ERASURE_BASES:
        problems.add("basis", f"{command.basis!r} is not one of {', '.join(ERASURE_BASES)}")


def erase_personal_data(ledger: Ledger, cmd: c.ErasePersonalData, step: Step) -> Changes:
    """Records the erasure, then (after the commit) destroys the case's data key. Recording
    first means the record never claims less than was done; a crash between the two leaves an
    erasure recorded with its key still there, which the same command (or the erasure job)
    finishes: already erased, nothing is recorded twice and the key is destroyed."""
    case, replayed = loaded(ledger, cmd.case_id, step)
    key_id = case.personal_data.key_id

    def destroy() -> None:
        ledger.personal_data.destroy(key_id)

    if replayed or case.personal_data_erased:
        return Changes(case, replayed=True, after_commit=destroy)
    case.erase_personal_data(step, ERASURE_BASES[cmd.basis], sealed_fields(ledger, case))
    return Changes(case, after_commit=destroy)


def sealed_fields(ledger: Ledger, case: Case) -> tuple[str, ...]:
    """`Event.field` of every sealed value in the case's events, in order, once each."""
    found: dict[str, None] = {}
    for event in ledger.events.get(case.id):
        for name, value in vars(event).items():
            if isinstance(value, SealedValue):
                found[f"{type(event).__name__}.{name}"] = None
    return tuple(found)


#: Command class -> its shape check and handler.
HANDLERS: dict[type, Registration] = {
    c.ErasePersonalData: Registration(erase_personal_data, check_erasure),
}
