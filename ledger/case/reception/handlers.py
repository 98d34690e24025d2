"""How each reception command is carried out on the `Case`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.handling import loaded
from ledger.case.reception import commands as c
from ledger.envelope import Step
from ledger.handling import Changes, Registration
from ledger.personal_data.free_text import sealed_text
from ledger.validation import check_command

if TYPE_CHECKING:
    from ledger.application import Ledger


def allocate_reception(ledger: Ledger, cmd: c.AllocateReception, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.allocate_reception(step, kind=cmd.kind, place=cmd.place,
                                residence_ground=cmd.residence_ground)
    return Changes(case, replayed=replayed)


def assess_special_reception_needs(ledger: Ledger, cmd: c.AssessSpecialReceptionNeeds,
                                   step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.assess_special_reception_needs(step, needs=tuple(cmd.needs))
    return Changes(case, replayed=replayed)


def reduce_material_conditions(ledger: Ledger, cmd: c.ReduceMaterialConditions,
                               step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        reason = sealed_text(ledger, case, step, "reason", cmd.reason)
        case.reduce_material_conditions(step, measure=cmd.measure, ground=cmd.ground,
                                        reason=reason)
    return Changes(case, replayed=replayed)


def grant_labour_market_access(ledger: Ledger, cmd: c.GrantLabourMarketAccess,
                               step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.grant_labour_market_access(step)
    return Changes(case, replayed=replayed)


#: Command class -> its shape check and handler.
HANDLERS: dict[type, Registration] = {
    c.AllocateReception: Registration(allocate_reception, check_command),
    c.AssessSpecialReceptionNeeds: Registration(assess_special_reception_needs, check_command),
    c.ReduceMaterialConditions: Registration(reduce_material_conditions, check_command),
    c.GrantLabourMarketAccess: Registration(grant_labour_market_access, check_command),
}

