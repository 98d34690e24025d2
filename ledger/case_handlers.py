"""How each case command is carried out on the `Case` aggregate.

Most steps are the same shape: load the case, skip a replayed command, call the command method
named after the command (`RecordHealthCheck` -> `record_health_check`) with the command's fields.
Those are registered generically; the few that open a case, read other data or change another
aggregate in the same transaction have their own handlers below.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ledger import commands as c
from ledger.case import SCREENING_BASIS, Case
from ledger.envelope import LegalBasis, Step
from ledger.errors import CaseAlreadyExists, CaseNotFound, FieldProblem, InvalidInput
from ledger.handling import Changes, handles
from ledger.reference_data.handlers import latest_recognition_table
from ledger.validation import check_command

if TYPE_CHECKING:
    from ledger.application import Ledger

#: APR Arts 42(1)(j), 45(1): the EU-wide recognition rate at or below which the accelerated and
#: border procedures apply to a nationality (a parameter: crisis rules may change it).
RECOGNITION_THRESHOLD = Decimal("0.20")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _existing(ledger: Ledger, member_state: str, reference: str) -> Case | None:
    try:
        return ledger.get_case(Case.create_id(member_state, reference))
    except CaseNotFound:
        return None


def _open(command: c.StartScreening | c.MakeApplication, person: c.Person, step: Step,
          basis: LegalBasis) -> Case:
    return Case.open(step, basis, member_state=command.member_state,
                     national_reference=command.national_reference,
                     nationality=person.nationality, date_of_birth=person.date_of_birth,
                     unaccompanied_minor=person.unaccompanied_minor,
                     family_name=person.family_name, given_names=person.given_names)


@handles(c.StartScreening, check_command)
def start_screening(ledger: Ledger, cmd: c.StartScreening, step: Step) -> Changes:
    existing = _existing(ledger, cmd.member_state, cmd.national_reference)
    if existing is not None:
        if existing.has_processed(step.command_id):
            return Changes(existing, replayed=True)
        raise CaseAlreadyExists(cmd.member_state, cmd.national_reference)
    case = _open(cmd, cmd.person, step, SCREENING_BASIS[cmd.trigger])
    case.start_screening(step, cmd.trigger, cmd.location, cmd.held_over_72h)
    return Changes(case)


@handles(c.MakeApplication, check_command)
def make_application(ledger: Ledger, cmd: c.MakeApplication, step: Step) -> Changes:
    """Continues the case opened by screening, or opens one for an application made directly."""
    case = _existing(ledger, cmd.member_state, cmd.national_reference)
    if case is not None:
        if case.has_processed(step.command_id):
            return Changes(case, replayed=True)
    elif cmd.person is None:
        raise InvalidInput(
            [FieldProblem("person", "is required when the application opens a new case")])
    else:
        case = _open(cmd, cmd.person, step, LegalBasis("APR (EU) 2024/1348", "Art 26"))
    case.make_application(step, cmd.place)
    return Changes(case)


def _loaded(ledger: Ledger, cmd: Any, step: Step) -> tuple[Case, bool]:
    case = ledger.get_case(cmd.case_id)
    return case, case.has_processed(step.command_id)


@handles(c.AssignProcedure, check_command)
def assign_procedure(ledger: Ledger, cmd: c.AssignProcedure, step: Step) -> Changes:
    """The EU-wide recognition rate of the nationality is the latest annual figure loaded as
    reference data (APR Arts 42(1)(j), 45(1)); the event names the version it used."""
    case, replayed = _loaded(ledger, cmd, step)
    if not replayed:
        if ledger.recognition_rate is not None:  # fixed by a test
            rate = ledger.recognition_rate(case.nationality)
        else:
            table = latest_recognition_table(ledger)
            rate = None if table is None else table.rate_of(case.nationality)
            if table is not None:
                step = replace(step, evidence_refs=(*step.evidence_refs, table.reference))
        case.assign_procedure(step, cmd.procedure, tuple(cmd.grounds), rate,
                              RECOGNITION_THRESHOLD)
    return Changes(case, replayed=replayed)


@handles(c.RecordRelocationArrival, check_command)
def record_relocation_arrival(ledger: Ledger, cmd: c.RecordRelocationArrival,
                              step: Step) -> Changes:
    """The arrival and the credit to the relocation member state's solidarity account are
    recorded in one transaction: both or neither (AMMR Art 68(1))."""
    from ledger.solidarity.crediting import credit_relocation

    case, replayed = _loaded(ledger, cmd, step)
    if replayed:
        return Changes(case, replayed=True)
    case.record_relocation_arrival(step)
    account = credit_relocation(
        ledger, relocation_member_state=case.relocation["member_state"],  # type: ignore[index]
        benefiting_member_state=case.member_state, case_id=case.id,
        arrived_at=step.occurred_at, step=step)
    return Changes(case, others=(account,))


@handles(c.ShiftResponsibility, check_command)
def shift_responsibility(ledger: Ledger, cmd: c.ShiftResponsibility, step: Step) -> Changes:
    """A solidarity offset (AMMR Art 63) moves responsibility here instead of a transfer to the
    benefiting state, and credits this state's account once, in the same transaction."""
    from ledger.solidarity.crediting import credit_offset

    case, replayed = _loaded(ledger, cmd, step)
    if replayed:
        return Changes(case, replayed=True)
    benefiting = case.responsibility.get("other")
    case.shift_responsibility(step, cmd.cause, cmd.offset_mode)
    if cmd.offset_mode is None or benefiting is None:
        return Changes(case)
    account = credit_offset(ledger, taking_member_state=case.member_state,
                            benefiting_member_state=benefiting, case_id=case.id,
                            mode=cmd.offset_mode, at=step.occurred_at, step=step)
    return Changes(case, others=(account,))


def _register_step(command_type: type) -> None:
    method = _snake(command_type.__name__)
    names = [f.name for f in fields(command_type) if f.name != "case_id"]
    if not callable(getattr(Case, method, None)):
        raise RuntimeError(f"Case has no command method {method} for {command_type.__name__}")

    def handler(ledger: Ledger, cmd: Any, step: Step) -> Changes:
        case, replayed = _loaded(ledger, cmd, step)
        if not replayed:
            getattr(case, method)(step, **{n: getattr(cmd, n) for n in names})
        return Changes(case, replayed=replayed)

    handles(command_type, check_command)(handler)


_SPECIAL = (c.StartScreening, c.MakeApplication, c.AssignProcedure, c.RecordRelocationArrival,
            c.ShiftResponsibility)
for _command in c.CASE_COMMANDS:
    if _command not in _SPECIAL:
        _register_step(_command)
