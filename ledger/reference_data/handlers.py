"""How reference data is loaded, and how the write side reads it (never from a read model)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from eventsourcing.application import AggregateNotFoundError

from ledger.envelope import Step
from ledger.errors import InvalidInput
from ledger.handling import Changes, Registration
from ledger.reference_data.commands import LoadRecognitionRates
from ledger.reference_data.recognition import (
    RecognitionRateTable,
    RecognitionReference,
    parse_table,
)
from ledger.validation import Problems

if TYPE_CHECKING:
    from ledger.application import Ledger


def recognition_reference(ledger: Ledger) -> RecognitionReference | None:
    try:
        return ledger.repository.get(RecognitionReference.create_id())  # type: ignore[no-any-return]
    except AggregateNotFoundError:
        return None


def latest_recognition_table(ledger: Ledger) -> RecognitionRateTable | None:
    """The recognition rates the law refers to: the latest annual figures loaded."""
    reference = recognition_reference(ledger)
    return None if reference is None else reference.latest()


def _check(p: Problems, cmd: LoadRecognitionRates, today: date) -> None:
    try:
        parse_table(cmd.table)
    except InvalidInput as invalid:
        for problem in invalid.problems:
            p.add(problem.field, problem.message)


def load_recognition_rates(ledger: Ledger, cmd: LoadRecognitionRates, step: Step) -> Changes:
    existing = recognition_reference(ledger)
    table = parse_table(cmd.table)
    if existing is not None and any(
            t.version == table.version and t == table for t in existing.tables()):
        return Changes(existing, replayed=True)  # the same figures again: nothing to record
    return Changes(RecognitionReference.load(step, table, existing))


#: Reference-data command class -> its shape check and handler.
REFERENCE_HANDLERS: dict[type, Registration] = {
    LoadRecognitionRates: Registration(load_recognition_rates, _check),
}
