"""Free text of a step (a `reason` a case worker writes) may name or describe the person (a
security flag's grounds, say): it is sealed with the case's data key like the names, and erased
with them. Codes, references and places stay in clear: they are the legal trail.

Sealed in the handler, before the event is created; bound to the case, the field and the
command id (in the event's envelope), so that a reader can open it and nobody can move it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger import commands as c
from ledger.case.guards import require
from ledger.personal_data.sealed import associated_data
from ledger.rules import define_rule

if TYPE_CHECKING:
    from ledger.application import Ledger
    from ledger.case import Case
    from ledger.envelope import Step

#: Command type -> its free-text fields that are sealed.
SEALED_TEXT: dict[type, tuple[str, ...]] = {
    c.RecordSecurityFlag: ("reason",),
    c.UnmarkInEurodac: ("reason",),
    c.ReplyToTakeCharge: ("reason",),
    c.ReplyToTakeBack: ("reason",),
    c.ExtendExamination: ("reason",),
    c.EndRightToRemain: ("reason",),
    c.CancelRelocation: ("reason",),
}

#: The topic-like label free text is bound to (beside the case, the field and the command id).
FREE_TEXT = "pact-ledger:free-text"

TEXT_AFTER_ERASURE = define_rule(
    "TEXT_AFTER_ERASURE", "GDPR (EU) 2016/679 Art 17",
    "The case's personal data were erased: no free text about the person can be recorded in it "
    "any more (refer to a document in `evidenceRefs` instead)")


def text_aad(case_id: object, command_id: str, field: str) -> bytes:
    return associated_data(str(case_id), FREE_TEXT, f"{field}|{command_id}")


def seal_texts(ledger: Ledger, case: Case, command_type: type, step: Step,
               values: dict[str, Any]) -> dict[str, Any]:
    """`values` (a step's arguments) with their non-empty free text sealed."""
    for field in SEALED_TEXT.get(command_type, ()):
        text = values.get(field)
        if not isinstance(text, str) or not text.strip():
            continue
        require(not case.personal_data.get("erased_at"), TEXT_AFTER_ERASURE)
        values[field] = ledger.personal_data.seal(
            str(case.id), case.personal_data["person_id"], text.encode(),
            text_aad(case.id, step.command_id, field))
    return values
