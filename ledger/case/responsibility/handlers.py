"""How each responsibility (ammr) command is carried out on the `Case`: one handler per
command, each calling the aggregate's command method by name (go-to-definition works)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.handling import loaded
from ledger.case.responsibility import commands as c
from ledger.envelope import Step
from ledger.handling import Changes, Registration
from ledger.personal_data.free_text import sealed_text
from ledger.validation import check_command

if TYPE_CHECKING:
    from ledger.application import Ledger


def request_take_charge(ledger: Ledger, cmd: c.RequestTakeCharge, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.request_take_charge(
            step,
            requested_member_state=cmd.requested_member_state,
            criterion=cmd.criterion,
            hit_based=cmd.hit_based,
        )
    return Changes(case, replayed=replayed)


def reply_to_take_charge(ledger: Ledger, cmd: c.ReplyToTakeCharge, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        reason = sealed_text(ledger, case, step, "reason", cmd.reason)
        case.reply_to_take_charge(step, accepted=cmd.accepted, reason=reason)
    return Changes(case, replayed=replayed)


def deem_take_charge_accepted(ledger: Ledger, cmd: c.DeemTakeChargeAccepted, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.deem_take_charge_accepted(step)
    return Changes(case, replayed=replayed)


def notify_take_back(ledger: Ledger, cmd: c.NotifyTakeBack, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.notify_take_back(
            step, notified_member_state=cmd.notified_member_state, hit_ref=cmd.hit_ref
        )
    return Changes(case, replayed=replayed)


def reply_to_take_back(ledger: Ledger, cmd: c.ReplyToTakeBack, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        reason = sealed_text(ledger, case, step, "reason", cmd.reason)
        case.reply_to_take_back(step, confirmed=cmd.confirmed, reason=reason)
    return Changes(case, replayed=replayed)


def deem_take_back_confirmed(ledger: Ledger, cmd: c.DeemTakeBackConfirmed, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.deem_take_back_confirmed(step)
    return Changes(case, replayed=replayed)


def issue_transfer_decision(ledger: Ledger, cmd: c.IssueTransferDecision, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.issue_transfer_decision(step)
    return Changes(case, replayed=replayed)


def execute_transfer(ledger: Ledger, cmd: c.ExecuteTransfer, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.execute_transfer(step)
    return Changes(case, replayed=replayed)


def lodge_transfer_appeal(ledger: Ledger, cmd: c.LodgeTransferAppeal, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.lodge_transfer_appeal(step, court=cmd.court,
                                   suspension_requested=cmd.suspension_requested)
    return Changes(case, replayed=replayed)


def decide_transfer_suspension(ledger: Ledger, cmd: c.DecideTransferSuspension,
                               step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.decide_transfer_suspension(step, suspended=cmd.suspended)
    return Changes(case, replayed=replayed)


def decide_transfer_appeal(ledger: Ledger, cmd: c.DecideTransferAppeal, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.decide_transfer_appeal(step, annulled=cmd.annulled)
    return Changes(case, replayed=replayed)


def establish_responsibility(ledger: Ledger, cmd: c.EstablishResponsibility, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.establish_responsibility(step, basis=cmd.basis)
    return Changes(case, replayed=replayed)


def shift_responsibility(ledger: Ledger, cmd: c.ShiftResponsibility, step: Step) -> Changes:
    """A solidarity offset (AMMR Art 63) moves responsibility here instead of a transfer to the
    benefiting state, and credits this state's account once, in the same transaction."""
    from ledger.solidarity.crediting import credit_offset

    case, replayed = loaded(ledger, cmd.case_id, step)
    if replayed:
        return Changes(case, replayed=True)
    benefiting = case.responsibility.other
    case.shift_responsibility(step, cmd.cause, cmd.offset_mode)
    if cmd.offset_mode is None or benefiting is None:
        return Changes(case)
    account = credit_offset(
        ledger,
        taking_member_state=case.member_state,
        benefiting_member_state=benefiting,
        case_id=case.id,
        mode=cmd.offset_mode,
        at=step.occurred_at,
        step=step,
    )
    return Changes(case, others=(account,))


def request_transfer_suspension(ledger: Ledger, cmd: c.RequestTransferSuspension,
                                step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.request_transfer_suspension(step)
    return Changes(case, replayed=replayed)


def record_arrival_by_transfer(ledger: Ledger, cmd: c.RecordArrivalByTransfer,
                               step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.record_arrival_by_transfer(step, from_member_state=cmd.from_member_state)
    return Changes(case, replayed=replayed)


#: Command class -> its shape check and handler.
HANDLERS: dict[type, Registration] = {
    c.RequestTakeCharge: Registration(request_take_charge, check_command),
    c.ReplyToTakeCharge: Registration(reply_to_take_charge, check_command),
    c.DeemTakeChargeAccepted: Registration(deem_take_charge_accepted, check_command),
    c.NotifyTakeBack: Registration(notify_take_back, check_command),
    c.ReplyToTakeBack: Registration(reply_to_take_back, check_command),
    c.DeemTakeBackConfirmed: Registration(deem_take_back_confirmed, check_command),
    c.IssueTransferDecision: Registration(issue_transfer_decision, check_command),
    c.LodgeTransferAppeal: Registration(lodge_transfer_appeal, check_command),
    c.DecideTransferSuspension: Registration(decide_transfer_suspension, check_command),
    c.DecideTransferAppeal: Registration(decide_transfer_appeal, check_command),
    c.ExecuteTransfer: Registration(execute_transfer, check_command),
    c.EstablishResponsibility: Registration(establish_responsibility, check_command),
    c.ShiftResponsibility: Registration(shift_responsibility, check_command),
    c.RequestTransferSuspension: Registration(request_transfer_suspension, check_command),
    c.RecordArrivalByTransfer: Registration(record_arrival_by_transfer, check_command),
}
