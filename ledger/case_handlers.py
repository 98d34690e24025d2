"""How each case command is checked for shape and carried out on the `Case` aggregate."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ledger import commands as c
from ledger.case import SCREENING_BASIS, Case
from ledger.envelope import LegalBasis, Step
from ledger.errors import CaseAlreadyExists, CaseNotFound, FieldProblem, InvalidInput
from ledger.handling import Changes, handles
from ledger.validation import Problems
from ledger.vocabulary import (
    AppealOutcome,
    ClosureReason,
    DecisionType,
    Procedure,
    ScreeningOutcome,
    ScreeningTrigger,
)

if TYPE_CHECKING:
    from ledger.application import Ledger


# --- opening a case ---------------------------------------------------------------------------
def _open(ledger: Ledger, command: c.StartScreening | c.MakeApplication, person: c.Person,
          step: Step, basis: LegalBasis) -> Case:
    return Case.open(
        step, basis,
        member_state=command.member_state,
        national_reference=command.national_reference,
        nationality=person.nationality,
        date_of_birth=person.date_of_birth,
        unaccompanied_minor=person.unaccompanied_minor,
        family_name=person.family_name,
        given_names=person.given_names,
    )


def _existing(ledger: Ledger, member_state: str, reference: str) -> Case | None:
    try:
        return ledger.get_case(Case.create_id(member_state, reference))
    except CaseNotFound:
        return None


def _check_start_screening(p: Problems, cmd: c.StartScreening, today: date) -> None:
    p.member_state("memberState", cmd.member_state)
    p.text("nationalReference", cmd.national_reference)
    p.person(cmd.person, today)
    p.choice("trigger", cmd.trigger, ScreeningTrigger)
    p.text("location", cmd.location)


@handles(c.StartScreening, _check_start_screening)
def start_screening(ledger: Ledger, cmd: c.StartScreening, step: Step) -> Changes:
    existing = _existing(ledger, cmd.member_state, cmd.national_reference)
    if existing is not None:
        if existing.has_processed(step.command_id):
            return Changes(existing, replayed=True)
        raise CaseAlreadyExists(cmd.member_state, cmd.national_reference)
    case = _open(ledger, cmd, cmd.person, step, SCREENING_BASIS[cmd.trigger])
    case.start_screening(step, cmd.trigger, cmd.location)
    return Changes(case)


def _check_make_application(p: Problems, cmd: c.MakeApplication, today: date) -> None:
    p.member_state("memberState", cmd.member_state)
    p.text("nationalReference", cmd.national_reference)
    p.text("place", cmd.place)
    if cmd.person is not None:
        p.person(cmd.person, today)


@handles(c.MakeApplication, _check_make_application)
def make_application(ledger: Ledger, cmd: c.MakeApplication, step: Step) -> Changes:
    """Continues the case opened by screening, or opens one for an application made directly."""
    case = _existing(ledger, cmd.member_state, cmd.national_reference)
    if case is not None:
        if case.has_processed(step.command_id):
            return Changes(case, replayed=True)
    elif cmd.person is None:
        raise InvalidInput(
            [FieldProblem("person", "is required when the application opens a new case")]
        )
    else:
        case = _open(ledger, cmd, cmd.person, step,
                     LegalBasis("APR (EU) 2024/1348", "Art 26"))
    case.make_application(step, cmd.place)
    return Changes(case)


# --- steps on an existing case ---------------------------------------------------------------
def _on_case(command_type: type, check=None):  # type: ignore[no-untyped-def]
    """Register a step on an existing case: load it, skip a replayed command, apply the step."""

    def register(apply):  # type: ignore[no-untyped-def]
        @handles(command_type, check)
        def handler(ledger: Ledger, cmd, step: Step) -> Changes:  # type: ignore[no-untyped-def]
            case = ledger.get_case(cmd.case_id)
            if case.has_processed(step.command_id):
                return Changes(case, replayed=True)
            apply(case, step, cmd)
            return Changes(case)

        return apply

    return register


@_on_case(c.CompleteScreening, lambda p, cmd, today: (
    p.choice("outcome", cmd.outcome, ScreeningOutcome),
    p.text("formRef", cmd.form_ref),
    p.texts("incompleteChecks", cmd.incomplete_checks),
))
def _complete_screening(case: Case, step: Step, cmd: c.CompleteScreening) -> None:
    case.complete_screening(step, cmd.outcome, cmd.form_ref, tuple(cmd.incomplete_checks))


@_on_case(c.RegisterApplication)
def _register(case: Case, step: Step, cmd: c.RegisterApplication) -> None:
    case.register_application(step)


@_on_case(c.LodgeApplication)
def _lodge(case: Case, step: Step, cmd: c.LodgeApplication) -> None:
    case.lodge_application(step)


@_on_case(c.AssignProcedure, lambda p, cmd, today: (
    p.choice("procedure", cmd.procedure, Procedure),
    p.texts("grounds", cmd.grounds),
))
def _assign(case: Case, step: Step, cmd: c.AssignProcedure) -> None:
    case.assign_procedure(step, cmd.procedure, tuple(cmd.grounds))


@_on_case(c.IssueDecision, lambda p, cmd, today: (
    p.choice("decisionType", cmd.decision_type, DecisionType),
    p.text("ground", cmd.ground),
    p.aware("notifiedAt", cmd.notified_at),
))
def _decide(case: Case, step: Step, cmd: c.IssueDecision) -> None:
    case.issue_decision(step, cmd.decision_type, cmd.ground, cmd.notified_at)


@_on_case(c.LodgeAppeal, lambda p, cmd, today: p.text("appealBody", cmd.appeal_body))
def _appeal(case: Case, step: Step, cmd: c.LodgeAppeal) -> None:
    case.lodge_appeal(step, cmd.appeal_body, cmd.suspensive)


@_on_case(c.DecideAppeal, lambda p, cmd, today: (
    p.choice("outcome", cmd.outcome, AppealOutcome),
    p.choice("substitutedDecisionType", cmd.substituted_decision_type, DecisionType),
))
def _decide_appeal(case: Case, step: Step, cmd: c.DecideAppeal) -> None:
    case.decide_appeal(step, cmd.outcome, cmd.substituted_decision_type)


def _check_return(p: Problems, cmd: c.IssueReturnDecision, today: date) -> None:
    days = cmd.voluntary_departure_days
    if days is not None and not 0 <= days <= 30:
        p.add("voluntaryDepartureDays", "must be between 0 and 30")


@_on_case(c.IssueReturnDecision, _check_return)
def _return(case: Case, step: Step, cmd: c.IssueReturnDecision) -> None:
    case.issue_return_decision(step, cmd.voluntary_departure_days)


@_on_case(c.CloseCase, lambda p, cmd, today: p.choice("reason", cmd.reason, ClosureReason))
def _close(case: Case, step: Step, cmd: c.CloseCase) -> None:
    case.close(step, cmd.reason)
