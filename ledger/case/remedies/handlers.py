"""How each remedies command is carried out on the `Case`: one handler per
command, each calling the aggregate's command method by name (go-to-definition works)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.handling import loaded
from ledger.case.remedies import commands as c
from ledger.envelope import Step
from ledger.handling import Changes, Registration
from ledger.validation import check_command

if TYPE_CHECKING:
    from ledger.application import Ledger


def lodge_appeal(ledger: Ledger, cmd: c.LodgeAppeal, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.lodge_appeal(step, appeal_body=cmd.appeal_body)
    return Changes(case, replayed=replayed)


def lodge_request_to_remain(ledger: Ledger, cmd: c.LodgeRequestToRemain, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.lodge_request_to_remain(step)
    return Changes(case, replayed=replayed)


def decide_request_to_remain(ledger: Ledger, cmd: c.DecideRequestToRemain, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.decide_request_to_remain(step, granted=cmd.granted)
    return Changes(case, replayed=replayed)


def decide_appeal(ledger: Ledger, cmd: c.DecideAppeal, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.decide_appeal(
            step, outcome=cmd.outcome, substituted_decision_type=cmd.substituted_decision_type
        )
    return Changes(case, replayed=replayed)


def declare_decision_final(ledger: Ledger, cmd: c.DeclareDecisionFinal, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.declare_decision_final(step)
    return Changes(case, replayed=replayed)


#: Command class -> its shape check and handler.
HANDLERS: dict[type, Registration] = {
    c.LodgeAppeal: Registration(lodge_appeal, check_command),
    c.LodgeRequestToRemain: Registration(lodge_request_to_remain, check_command),
    c.DecideRequestToRemain: Registration(decide_request_to_remain, check_command),
    c.DecideAppeal: Registration(decide_appeal, check_command),
    c.DeclareDecisionFinal: Registration(declare_decision_final, check_command),
}
