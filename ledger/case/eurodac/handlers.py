"""How each eurodac command is carried out on the `Case`: one handler per
command, each calling the aggregate's command method by name (go-to-definition works)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.eurodac import commands as c
from ledger.case.handling import loaded
from ledger.envelope import Step
from ledger.handling import Changes, Registration
from ledger.validation import check_command

if TYPE_CHECKING:
    from ledger.application import Ledger


def capture_biometrics(ledger: Ledger, cmd: c.CaptureBiometrics, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.capture_biometrics(step, category=cmd.category, age=cmd.age)
    return Changes(case, replayed=replayed)


def transmit_to_eurodac(ledger: Ledger, cmd: c.TransmitToEurodac, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.transmit_to_eurodac(step, reference=cmd.reference)
    return Changes(case, replayed=replayed)


def record_eurodac_hit(ledger: Ledger, cmd: c.RecordEurodacHit, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.record_eurodac_hit(
            step,
            category=cmd.category,
            origin_member_state=cmd.origin_member_state,
            hit_ref=cmd.hit_ref,
        )
    return Changes(case, replayed=replayed)


def record_security_flag(ledger: Ledger, cmd: c.RecordSecurityFlag, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.record_security_flag(step, reason=cmd.reason)
    return Changes(case, replayed=replayed)


def mark_in_eurodac(ledger: Ledger, cmd: c.MarkInEurodac, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.mark_in_eurodac(step)
    return Changes(case, replayed=replayed)


def unmark_in_eurodac(ledger: Ledger, cmd: c.UnmarkInEurodac, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.unmark_in_eurodac(step, reason=cmd.reason)
    return Changes(case, replayed=replayed)


#: Command class -> its shape check and handler.
HANDLERS: dict[type, Registration] = {
    c.CaptureBiometrics: Registration(capture_biometrics, check_command),
    c.TransmitToEurodac: Registration(transmit_to_eurodac, check_command),
    c.RecordEurodacHit: Registration(record_eurodac_hit, check_command),
    c.RecordSecurityFlag: Registration(record_security_flag, check_command),
    c.MarkInEurodac: Registration(mark_in_eurodac, check_command),
    c.UnmarkInEurodac: Registration(unmark_in_eurodac, check_command),
}
