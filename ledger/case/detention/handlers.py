"""How each detention command is carried out on the `Case`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.detention import commands as c
from ledger.case.handling import loaded
from ledger.envelope import Step
from ledger.handling import Changes, Registration
from ledger.validation import check_command

if TYPE_CHECKING:
    from ledger.application import Ledger


def order_detention(ledger: Ledger, cmd: c.OrderDetention, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.order_detention(step, ground=cmd.ground, ordered_by=cmd.ordered_by,
                             order_ref=cmd.order_ref,
                             alternatives_ineffective=cmd.alternatives_ineffective,
                             protects_minor=cmd.protects_minor,
                             exceptional_situation=cmd.exceptional_situation)
    return Changes(case, replayed=replayed)


def request_detention_review(ledger: Ledger, cmd: c.RequestDetentionReview,
                             step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.request_detention_review(step)
    return Changes(case, replayed=replayed)


def decide_detention_review(ledger: Ledger, cmd: c.DecideDetentionReview, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.decide_detention_review(step, lawful=cmd.lawful)
    return Changes(case, replayed=replayed)


def release_from_detention(ledger: Ledger, cmd: c.ReleaseFromDetention, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.release_from_detention(step, reason=cmd.reason)
    return Changes(case, replayed=replayed)


#: Command class -> its shape check and handler.
HANDLERS: dict[type, Registration] = {
    c.OrderDetention: Registration(order_detention, check_command),
    c.RequestDetentionReview: Registration(request_detention_review, check_command),
    c.DecideDetentionReview: Registration(decide_detention_review, check_command),
    c.ReleaseFromDetention: Registration(release_from_detention, check_command),
}
