"""How each after the decision command is carried out on the `Case`: one handler per
command, each calling the aggregate's command method by name (go-to-definition works)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.after_decision import commands as c
from ledger.case.handling import loaded
from ledger.envelope import Step
from ledger.handling import Changes, Registration
from ledger.validation import check_command

if TYPE_CHECKING:
    from ledger.application import Ledger


def end_right_to_remain(ledger: Ledger, cmd: c.EndRightToRemain, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.end_right_to_remain(step, reason=cmd.reason)
    return Changes(case, replayed=replayed)


def authorise_entry(ledger: Ledger, cmd: c.AuthoriseEntry, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.authorise_entry(step)
    return Changes(case, replayed=replayed)


def issue_return_decision(ledger: Ledger, cmd: c.IssueReturnDecision, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.issue_return_decision(step, voluntary_departure_days=cmd.voluntary_departure_days)
    return Changes(case, replayed=replayed)


def start_return_border_procedure(
    ledger: Ledger, cmd: c.StartReturnBorderProcedure, step: Step
) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.start_return_border_procedure(step)
    return Changes(case, replayed=replayed)


def grant_voluntary_departure(
    ledger: Ledger, cmd: c.GrantVoluntaryDeparture, step: Step
) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.grant_voluntary_departure(step, days=cmd.days)
    return Changes(case, replayed=replayed)


def record_return(ledger: Ledger, cmd: c.RecordReturn, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.record_return(step, destination=cmd.destination)
    return Changes(case, replayed=replayed)


def record_absconding(ledger: Ledger, cmd: c.RecordAbsconding, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.record_absconding(step)
    return Changes(case, replayed=replayed)


def issue_residence_permit(ledger: Ledger, cmd: c.IssueResidencePermit, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.issue_residence_permit(step, permit_ref=cmd.permit_ref, valid_until=cmd.valid_until)
    return Changes(case, replayed=replayed)


def close_case(ledger: Ledger, cmd: c.CloseCase, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.close_case(step, reason=cmd.reason)
    return Changes(case, replayed=replayed)


#: Command class -> its shape check and handler.
HANDLERS: dict[type, Registration] = {
    c.EndRightToRemain: Registration(end_right_to_remain, check_command),
    c.AuthoriseEntry: Registration(authorise_entry, check_command),
    c.IssueReturnDecision: Registration(issue_return_decision, check_command),
    c.StartReturnBorderProcedure: Registration(start_return_border_procedure, check_command),
    c.GrantVoluntaryDeparture: Registration(grant_voluntary_departure, check_command),
    c.RecordReturn: Registration(record_return, check_command),
    c.RecordAbsconding: Registration(record_absconding, check_command),
    c.IssueResidencePermit: Registration(issue_residence_permit, check_command),
    c.CloseCase: Registration(close_case, check_command),
}
