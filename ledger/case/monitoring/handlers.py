"""How each monitoring command is carried out on the `Case`: one handler per
command, each calling the aggregate's command method by name (go-to-definition works)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.handling import loaded
from ledger.case.monitoring import commands as c
from ledger.envelope import Step
from ledger.handling import Changes, Registration
from ledger.validation import check_command

if TYPE_CHECKING:
    from ledger.application import Ledger


def receive_monitoring_allegation(ledger: Ledger, cmd: c.ReceiveMonitoringAllegation,
                                  step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.receive_monitoring_allegation(step, source=cmd.source, concerns=cmd.concerns,
                                           substantiated=cmd.substantiated)
    return Changes(case, replayed=replayed)


def trigger_investigation(ledger: Ledger, cmd: c.TriggerInvestigation, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.trigger_investigation(step, allegation_no=cmd.allegation_no, body=cmd.body)
    return Changes(case, replayed=replayed)


def record_investigation_progress(ledger: Ledger, cmd: c.RecordInvestigationProgress,
                                  step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.record_investigation_progress(step, allegation_no=cmd.allegation_no)
    return Changes(case, replayed=replayed)


def close_investigation(ledger: Ledger, cmd: c.CloseInvestigation, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.close_investigation(step, allegation_no=cmd.allegation_no, outcome=cmd.outcome,
                                 referral=cmd.referral)
    return Changes(case, replayed=replayed)


#: Command class -> its shape check and handler.
HANDLERS: dict[type, Registration] = {
    c.ReceiveMonitoringAllegation: Registration(receive_monitoring_allegation, check_command),
    c.TriggerInvestigation: Registration(trigger_investigation, check_command),
    c.RecordInvestigationProgress: Registration(record_investigation_progress, check_command),
    c.CloseInvestigation: Registration(close_investigation, check_command),
}
