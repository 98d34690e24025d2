"""Import lines (`pact_ledger.import_format`) for tests: the steps of IT cases, each by a
principal whose role may take it, so that the same lines can also be sent as mutations."""

from __future__ import annotations

from datetime import timedelta

from ledger.authorization.policy import WRITES
from ledger.case import commands as c
from ledger.case.aggregate import Case
from ledger.command_meta import CommandMeta
from pact_ledger.import_format import line_of
from tests.support.acting import PREFERRED, principal
from tests.support.steps import T0


def case_lines(reference: str, prefix: str | None = None, first_day: float = 0) -> list[str]:
    """Screening to an assigned procedure for the IT case `reference` (5 commands)."""
    case_id = Case.create_id("IT", reference)
    steps = [
        (0, c.StartScreening("IT", reference, c.Person("SY"), "SEARCH_AND_RESCUE",
                             "Lampedusa hotspot")),
        (1, c.MakeApplication("IT", reference, "Lampedusa hotspot")),
        (2, c.CompleteScreening(case_id, "REFER_TO_REGISTRATION", "SF-1")),
        (3, c.RegisterApplication(case_id)),
        (6, c.LodgeApplication(case_id)),
    ]
    lines = []
    for n, (days, command) in enumerate(steps):
        role = next(r for r in PREFERRED if r in WRITES[type(command)])
        meta = CommandMeta(actor=principal(role, "IT"),
                           occurred_at=T0 + timedelta(days=first_day + days),
                           command_id=f"{prefix or reference}/{n}")
        lines.append(line_of(command, meta))
    return lines
