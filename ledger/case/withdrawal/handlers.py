"""How each withdrawal command is carried out on the `Case`: one handler per
command, each calling the aggregate's command method by name (go-to-definition works)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.handling import loaded
from ledger.case.withdrawal import commands as c
from ledger.envelope import Step
from ledger.handling import Changes, Registration
from ledger.validation import check_command

if TYPE_CHECKING:
    from ledger.application import Ledger


def start_withdrawal_procedure(ledger: Ledger, cmd: c.StartWithdrawalProcedure,
                               step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.start_withdrawal_procedure(step, ground=cmd.ground)
    return Changes(case, replayed=replayed)


def inform_of_withdrawal(ledger: Ledger, cmd: c.InformOfWithdrawal, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.inform_of_withdrawal(step, language=cmd.language)
    return Changes(case, replayed=replayed)


def submit_withdrawal_observations(ledger: Ledger, cmd: c.SubmitWithdrawalObservations,
                                   step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.submit_withdrawal_observations(step)
    return Changes(case, replayed=replayed)


def decide_withdrawal(ledger: Ledger, cmd: c.DecideWithdrawal, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.decide_withdrawal(step, withdrawn=cmd.withdrawn,
                               compelling_reasons=cmd.compelling_reasons)
    return Changes(case, replayed=replayed)


#: Command class -> its shape check and handler.
HANDLERS: dict[type, Registration] = {
    c.StartWithdrawalProcedure: Registration(start_withdrawal_procedure, check_command),
    c.InformOfWithdrawal: Registration(inform_of_withdrawal, check_command),
    c.SubmitWithdrawalObservations: Registration(submit_withdrawal_observations, check_command),
    c.DecideWithdrawal: Registration(decide_withdrawal, check_command),
}
