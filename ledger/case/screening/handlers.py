"""How each screening command is carried out on the `Case`: one handler per
command, each calling the aggregate's command method by name (go-to-definition works)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.handling import existing_case, loaded, open_case
from ledger.case.screening import commands as c
from ledger.case.screening.steps import SCREENING_BASIS
from ledger.envelope import Step
from ledger.errors import CaseAlreadyExists
from ledger.handling import Changes, Registration
from ledger.validation import check_command

if TYPE_CHECKING:
    from ledger.application import Ledger


def start_screening(ledger: Ledger, cmd: c.StartScreening, step: Step) -> Changes:
    existing = existing_case(ledger, cmd.member_state, cmd.national_reference)
    if existing is not None:
        if existing.has_processed(step.command_id):
            return Changes(existing, replayed=True)
        raise CaseAlreadyExists(cmd.member_state, cmd.national_reference)
    case = open_case(
        cmd.member_state, cmd.national_reference, cmd.person, step, SCREENING_BASIS[cmd.trigger]
    )
    case.start_screening(step, cmd.trigger, cmd.location, cmd.held_over_72h)
    return Changes(case)


def record_health_check(ledger: Ledger, cmd: c.RecordHealthCheck, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.record_health_check(step, result=cmd.result)
    return Changes(case, replayed=replayed)


def record_vulnerability_check(
    ledger: Ledger, cmd: c.RecordVulnerabilityCheck, step: Step
) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.record_vulnerability_check(step, needs=cmd.needs)
    return Changes(case, replayed=replayed)


def record_identity_check(ledger: Ledger, cmd: c.RecordIdentityCheck, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.record_identity_check(step, method=cmd.method, established=cmd.established)
    return Changes(case, replayed=replayed)


def record_security_check(ledger: Ledger, cmd: c.RecordSecurityCheck, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.record_security_check(step, hit=cmd.hit, databases=cmd.databases)
    return Changes(case, replayed=replayed)


def provide_information(ledger: Ledger, cmd: c.ProvideInformation, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.provide_information(step, topics=cmd.topics, language=cmd.language)
    return Changes(case, replayed=replayed)


def assign_representative(ledger: Ledger, cmd: c.AssignRepresentative, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.assign_representative(step, kind=cmd.kind, representative_ref=cmd.representative_ref)
    return Changes(case, replayed=replayed)


def complete_screening(ledger: Ledger, cmd: c.CompleteScreening, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.complete_screening(
            step,
            outcome=cmd.outcome,
            form_ref=cmd.form_ref,
            incomplete_checks=cmd.incomplete_checks,
        )
    return Changes(case, replayed=replayed)


#: Command class -> its shape check and handler.
HANDLERS: dict[type, Registration] = {
    c.StartScreening: Registration(start_screening, check_command),
    c.RecordHealthCheck: Registration(record_health_check, check_command),
    c.RecordVulnerabilityCheck: Registration(record_vulnerability_check, check_command),
    c.RecordIdentityCheck: Registration(record_identity_check, check_command),
    c.RecordSecurityCheck: Registration(record_security_check, check_command),
    c.ProvideInformation: Registration(provide_information, check_command),
    c.AssignRepresentative: Registration(assign_representative, check_command),
    c.CompleteScreening: Registration(complete_screening, check_command),
}
