"""How each safeguards command is carried out on the `Case`: one handler per
command, each calling the aggregate's command method by name (go-to-definition works)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.handling import loaded
from ledger.case.safeguards import commands as c
from ledger.envelope import Step
from ledger.handling import Changes, Registration
from ledger.validation import check_command

if TYPE_CHECKING:
    from ledger.application import Ledger


def inform_of_legal_counselling(ledger: Ledger, cmd: c.InformOfLegalCounselling,
                                step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.inform_of_legal_counselling(step, language=cmd.language)
    return Changes(case, replayed=replayed)


def request_legal_aid(ledger: Ledger, cmd: c.RequestLegalAid, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.request_legal_aid(step, kind=cmd.kind)
    return Changes(case, replayed=replayed)


def decide_legal_aid(ledger: Ledger, cmd: c.DecideLegalAid, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.decide_legal_aid(step, kind=cmd.kind, granted=cmd.granted, provider=cmd.provider,
                              refusal_ground=cmd.refusal_ground, by_court=cmd.by_court)
    return Changes(case, replayed=replayed)


def challenge_legal_aid_refusal(ledger: Ledger, cmd: c.ChallengeLegalAidRefusal,
                                step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.challenge_legal_aid_refusal(step)
    return Changes(case, replayed=replayed)


def request_interpreter(ledger: Ledger, cmd: c.RequestInterpreter, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.request_interpreter(step, language=cmd.language)
    return Changes(case, replayed=replayed)


def decide_interpreter(ledger: Ledger, cmd: c.DecideInterpreter, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.decide_interpreter(step, provided=cmd.provided,
                                interpreter_ref=cmd.interpreter_ref,
                                refusal_ground=cmd.refusal_ground)
    return Changes(case, replayed=replayed)


#: Command class -> its shape check and handler.
HANDLERS: dict[type, Registration] = {
    c.InformOfLegalCounselling: Registration(inform_of_legal_counselling, check_command),
    c.RequestLegalAid: Registration(request_legal_aid, check_command),
    c.DecideLegalAid: Registration(decide_legal_aid, check_command),
    c.ChallengeLegalAidRefusal: Registration(challenge_legal_aid_refusal, check_command),
    c.RequestInterpreter: Registration(request_interpreter, check_command),
    c.DecideInterpreter: Registration(decide_interpreter, check_command),
}
