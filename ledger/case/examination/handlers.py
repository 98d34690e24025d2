"""How each examination command is carried out on the `Case`: one handler per
command, each calling the aggregate's command method by name (go-to-definition works)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from ledger.case.examination import commands as c
from ledger.case.handling import loaded
from ledger.envelope import Step
from ledger.handling import Changes, Registration
from ledger.personal_data.free_text import sealed_text
from ledger.reference_data.handlers import latest_recognition_table
from ledger.validation import check_command

if TYPE_CHECKING:
    from ledger.application import Ledger

#: APR Arts 42(1)(j), 45(1): the EU-wide recognition rate at or below which the accelerated and
#: border procedures apply to a nationality (a parameter: crisis rules may change it).
RECOGNITION_THRESHOLD = Decimal("0.20")


def assign_procedure(ledger: Ledger, cmd: c.AssignProcedure, step: Step) -> Changes:
    """The EU-wide recognition rate of the nationality is the latest annual figure loaded as
    reference data (APR Arts 42(1)(j), 45(1)), never a read model; the event names the version
    it used in its evidence."""
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        if ledger.recognition_rate is not None:  # fixed by a test
            rate = ledger.recognition_rate(case.nationality)
        else:
            table = latest_recognition_table(ledger)
            rate = None if table is None else table.rate_of(case.nationality)
            if table is not None:
                step = replace(step, evidence_refs=(*step.evidence_refs, table.reference))
        case.assign_procedure(step, cmd.procedure, tuple(cmd.grounds), rate, RECOGNITION_THRESHOLD)
    return Changes(case, replayed=replayed)


def record_interview(ledger: Ledger, cmd: c.RecordInterview, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.record_interview(
            step,
            interview_ref=cmd.interview_ref,
            language=cmd.language,
            interpreter=cmd.interpreter,
        )
    return Changes(case, replayed=replayed)


def extend_examination(ledger: Ledger, cmd: c.ExtendExamination, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        reason = sealed_text(ledger, case, step, "reason", cmd.reason)
        case.extend_examination(step, reason=reason, days=cmd.days, months=cmd.months)
    return Changes(case, replayed=replayed)


def issue_decision(ledger: Ledger, cmd: c.IssueDecision, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.issue_decision(
            step,
            decision_type=cmd.decision_type,
            ground=cmd.ground,
            notified_at=cmd.notified_at,
            with_return_decision=cmd.with_return_decision,
            voluntary_departure_days=cmd.voluntary_departure_days,
            return_exception=cmd.return_exception,
        )
    return Changes(case, replayed=replayed)


def notify_decision(ledger: Ledger, cmd: c.NotifyDecision, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.notify_decision(step)
    return Changes(case, replayed=replayed)


#: Command class -> its shape check and handler.
HANDLERS: dict[type, Registration] = {
    c.AssignProcedure: Registration(assign_procedure, check_command),
    c.RecordInterview: Registration(record_interview, check_command),
    c.ExtendExamination: Registration(extend_examination, check_command),
    c.IssueDecision: Registration(issue_decision, check_command),
    c.NotifyDecision: Registration(notify_decision, check_command),
}
