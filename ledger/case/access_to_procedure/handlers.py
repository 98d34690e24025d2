"""How each access to the procedure command is carried out on the `Case`: one handler per
command, each calling the aggregate's command method by name (go-to-definition works)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.access_to_procedure import commands as c
from ledger.case.handling import existing_case, loaded, open_case
from ledger.envelope import LegalBasis, Step
from ledger.errors import FieldProblem, InvalidInput
from ledger.handling import Changes, Registration
from ledger.validation import check_command

if TYPE_CHECKING:
    from ledger.application import Ledger


def make_application(ledger: Ledger, cmd: c.MakeApplication, step: Step) -> Changes:
    """Continues the case opened by screening, or opens one for an application made directly."""
    case = existing_case(ledger, cmd.member_state, cmd.national_reference)
    if case is not None:
        if case.has_processed(step.command_id):
            return Changes(case, replayed=True)
    elif cmd.person is None:
        raise InvalidInput(
            [FieldProblem("person", "is required when the application opens a new case")]
        )
    else:
        case = open_case(
            cmd.member_state,
            cmd.national_reference,
            cmd.person,
            step,
            LegalBasis("APR (EU) 2024/1348", "Art 26"),
        )
    case.make_application(step, cmd.place)
    return Changes(case)


def register_application(ledger: Ledger, cmd: c.RegisterApplication, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.register_application(step)
    return Changes(case, replayed=replayed)


def lodge_application(ledger: Ledger, cmd: c.LodgeApplication, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.lodge_application(step)
    return Changes(case, replayed=replayed)


def make_subsequent_application(
    ledger: Ledger, cmd: c.MakeSubsequentApplication, step: Step
) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.make_subsequent_application(step, new_elements=cmd.new_elements)
    return Changes(case, replayed=replayed)


#: Command class -> its shape check and handler.
HANDLERS: dict[type, Registration] = {
    c.MakeApplication: Registration(make_application, check_command),
    c.RegisterApplication: Registration(register_application, check_command),
    c.LodgeApplication: Registration(lodge_application, check_command),
    c.MakeSubsequentApplication: Registration(make_subsequent_application, check_command),
}
