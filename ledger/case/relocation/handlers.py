"""How each relocation command is carried out on the `Case`: one handler per
command, each calling the aggregate's command method by name (go-to-definition works)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.handling import loaded
from ledger.case.relocation import commands as c
from ledger.envelope import Step
from ledger.handling import Changes, Registration
from ledger.validation import check_command

if TYPE_CHECKING:
    from ledger.application import Ledger


def select_for_relocation(ledger: Ledger, cmd: c.SelectForRelocation, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.select_for_relocation(step, relocation_member_state=cmd.relocation_member_state)
    return Changes(case, replayed=replayed)


def accept_relocation(ledger: Ledger, cmd: c.AcceptRelocation, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.accept_relocation(step)
    return Changes(case, replayed=replayed)


def transfer_for_relocation(ledger: Ledger, cmd: c.TransferForRelocation, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.transfer_for_relocation(step)
    return Changes(case, replayed=replayed)


def record_relocation_arrival(
    ledger: Ledger, cmd: c.RecordRelocationArrival, step: Step
) -> Changes:
    """The arrival and the credit to the relocation member state's solidarity account are
    recorded in one transaction: both or neither (AMMR Art 68(1))."""
    from ledger.solidarity.crediting import credit_relocation

    case, replayed = loaded(ledger, cmd.case_id, step)
    if replayed:
        return Changes(case, replayed=True)
    case.record_relocation_arrival(step)
    account = credit_relocation(
        ledger,
        relocation_member_state=case.relocation["member_state"],  # type: ignore[index]
        benefiting_member_state=case.member_state,
        case_id=case.id,
        arrived_at=step.occurred_at,
        step=step,
    )
    return Changes(case, others=(account,))


def record_relocation_no_show(ledger: Ledger, cmd: c.RecordRelocationNoShow, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.record_relocation_no_show(step)
    return Changes(case, replayed=replayed)


def cancel_relocation(ledger: Ledger, cmd: c.CancelRelocation, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.cancel_relocation(step, reason=cmd.reason)
    return Changes(case, replayed=replayed)


#: Command class -> its shape check and handler.
HANDLERS: dict[type, Registration] = {
    c.SelectForRelocation: Registration(select_for_relocation, check_command),
    c.AcceptRelocation: Registration(accept_relocation, check_command),
    c.TransferForRelocation: Registration(transfer_for_relocation, check_command),
    c.RecordRelocationArrival: Registration(record_relocation_arrival, check_command),
    c.RecordRelocationNoShow: Registration(record_relocation_no_show, check_command),
    c.CancelRelocation: Registration(cancel_relocation, check_command),
}
