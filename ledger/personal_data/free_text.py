"""Free text of a step (a `reason` a case worker writes) may name or describe the person (a
security flag's grounds, say): it is sealed with the case's data key like the names, and erased
with them. Codes, references and places stay in clear: they are the legal trail.

Sealed in the handler, before the event is created; bound to the case, the field and the
command id (in the event's envelope), so that a reader can open it and nobody can move it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.guards import require
from ledger.personal_data.sealed import SealedValue, associated_data
from ledger.rules import define_rule

if TYPE_CHECKING:
    from ledger.application import Ledger
    from ledger.case import Case
    from ledger.envelope import Step

#: The topic-like label free text is bound to (beside the case, the field and the command id).
FREE_TEXT = "pact-ledger:free-text"

TEXT_AFTER_ERASURE = define_rule(
    "TEXT_AFTER_ERASURE", "GDPR (EU) 2016/679 Art 17",
    "The case's personal data were erased: no free text about the person can be recorded in it "
    "any more (refer to a document in `evidenceRefs` instead)")


def text_aad(case_id: object, command_id: str, field: str) -> bytes:
    return associated_data(str(case_id), FREE_TEXT, f"{field}|{command_id}")


def sealed_text(ledger: Ledger, case: Case, step: Step, field: str, text: str
                ) -> str | SealedValue:
    """`text` sealed with the case's key (empty text stays as it is). Every handler of a step
    with free text calls it: security flag, unmarking, extension, take charge/back replies,
    end of the right to remain, relocation cancelled."""
    if not text.strip():
        return text
    require(not case.personal_data.erased, TEXT_AFTER_ERASURE)
    return ledger.personal_data.seal(str(case.id), case.personal_data.person_id,
                                     text.encode(), text_aad(case.id, step.command_id, field))
