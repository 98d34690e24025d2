"""How each resettlement command is checked for shape and carried out on the Union plan or an
admission file (`RESETTLEMENT_HANDLERS`, merged into `ledger.handlers.COMMAND_HANDLERS`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from eventsourcing.application import AggregateNotFoundError

from ledger.envelope import Step
from ledger.errors import RuleViolation
from ledger.handling import Changes, Registration
from ledger.resettlement import commands as r
from ledger.resettlement import rules
from ledger.resettlement.admission import Admission
from ledger.resettlement.plan import UnionPlan
from ledger.resettlement.vocabulary import RefusalGround
from ledger.validation import Problems, check_command

if TYPE_CHECKING:
    from ledger.application import Ledger

#: A plan's figures are Union-wide totals: larger than the generic bound of a count.
MAX_PERSONS = 1_000_000


def find_plan(ledger: Ledger, period_start: int) -> UnionPlan | None:
    try:
        return ledger.repository.get(UnionPlan.create_id(period_start))  # type: ignore[no-any-return]
    except AggregateNotFoundError:
        return None


def find_admission(ledger: Ledger, member_state: str, reference: str) -> Admission | None:
    try:
        return ledger.repository.get(  # type: ignore[no-any-return]
            Admission.create_id(member_state, reference))
    except AggregateNotFoundError:
        return None


# --- shape checks ----------------------------------------------------------------------------
def _counts(p: Problems, **counts: int) -> None:
    for field, value in counts.items():
        if not 0 <= value <= MAX_PERSONS:
            p.add(field, f"must be between 0 and {MAX_PERSONS}")


def _period(p: Problems, field: str, year: int) -> None:
    if not 2024 <= year <= 2100:
        p.add(field, "must be a year from 2024 (the framework's) to 2100")


def _check_plan(p: Problems, cmd: r.AdoptUnionPlan, today: date) -> None:
    _period(p, "periodStart", cmd.period_start)
    p.identifier("councilAct", cmd.council_act)
    _counts(p, resettlement=cmd.resettlement, humanitarianAdmission=cmd.humanitarian_admission,
            emergencyAdmission=cmd.emergency_admission)


def _check_contribution(p: Problems, cmd: r.RecordPlanContribution, today: date) -> None:
    _period(p, "periodStart", cmd.period_start)
    p.member_state("memberState", cmd.member_state)
    _counts(p, resettlement=cmd.resettlement, humanitarianAdmission=cmd.humanitarian_admission,
            emergencyAdmission=cmd.emergency_admission)


def _check_registration(p: Problems, cmd: r.RegisterAdmission, today: date) -> None:
    check_command(p, cmd, today)
    p.country("countryOfResidence", cmd.country_of_residence)
    _period(p, "planPeriodStart", cmd.plan_period_start)
    if cmd.persons < 1:
        p.add("persons", "an admission file covers at least one person")


def _check_assessment(p: Problems, cmd: r.AssessAdmission, today: date) -> None:
    check_command(p, cmd, today)
    for i, ground in enumerate(cmd.refusal_grounds):
        p.choice(f"refusalGrounds[{i}]", ground, RefusalGround)
    if (cmd.earlier_refusal_on is None) != (cmd.earlier_refusal_ground is None):
        p.add("earlierRefusalGround", "give the earlier refusal's date and ground together")
    if cmd.earlier_refusal_on is not None and cmd.earlier_refusal_on > today:
        p.add("earlierRefusalOn", "must not be in the future")


# --- handlers --------------------------------------------------------------------------------
def adopt_plan(ledger: Ledger, cmd: r.AdoptUnionPlan, step: Step) -> Changes:
    existing = find_plan(ledger, cmd.period_start)
    if existing is not None:
        if existing.has_processed(step.command_id):
            return Changes(existing, replayed=True)
        raise RuleViolation(rules.PLAN_ALREADY_ADOPTED, f"plan from {cmd.period_start}")
    neighbours = [plan for start in (cmd.period_start - 1, cmd.period_start + 1)
                  if (plan := find_plan(ledger, start)) is not None]
    return Changes(UnionPlan.adopt(step, cmd.period_start, cmd.council_act, cmd.resettlement,
                                   cmd.humanitarian_admission, cmd.emergency_admission,
                                   neighbours))


def record_contribution(ledger: Ledger, cmd: r.RecordPlanContribution, step: Step) -> Changes:
    plan = find_plan(ledger, cmd.period_start)
    if plan is None:
        raise RuleViolation(rules.PLAN_NOT_ADOPTED, f"plan from {cmd.period_start}")
    if plan.has_processed(step.command_id):
        return Changes(plan, replayed=True)
    plan.record_contribution(step, cmd.member_state, cmd.resettlement,
                             cmd.humanitarian_admission, cmd.emergency_admission)
    return Changes(plan)


def register_admission(ledger: Ledger, cmd: r.RegisterAdmission, step: Step) -> Changes:
    existing = find_admission(ledger, cmd.member_state, cmd.reference)
    if existing is not None:
        if existing.has_processed(step.command_id):
            return Changes(existing, replayed=True)
        raise RuleViolation(rules.ADMISSION_ALREADY_REGISTERED, cmd.reference)
    return Changes(Admission.register(
        step, find_plan(ledger, cmd.plan_period_start), cmd.member_state, cmd.reference,
        cmd.admission_type, cmd.procedure, cmd.plan_period_start, cmd.referred_by,
        cmd.referral_ref, cmd.nationality, cmd.country_of_residence, cmd.vulnerable,
        cmd.persons))


def _on_admission(apply: Callable[[Admission, Step, Any], None]) -> Callable[..., Changes]:
    """A step on an existing admission file of the command's member state."""

    def handler(ledger: Ledger, cmd: Any, step: Step) -> Changes:
        admission = find_admission(ledger, cmd.member_state, cmd.reference)
        if admission is None:
            raise RuleViolation(rules.ADMISSION_NOT_REGISTERED, cmd.reference)
        if admission.has_processed(step.command_id):
            return Changes(admission, replayed=True)
        apply(admission, step, cmd)
        return Changes(admission)

    return handler


def _assess(a: Admission, step: Step, cmd: r.AssessAdmission) -> None:
    a.assess(step, cmd.refusal_grounds, cmd.earlier_refusal_on, cmd.earlier_refusal_ground)


def _consent(a: Admission, step: Step, cmd: r.RecordAdmissionConsent) -> None:
    a.record_consent(step)


def _decide(a: Admission, step: Step, cmd: r.DecideAdmission) -> None:
    a.decide(step, cmd.granted)


def _arrive(a: Admission, step: Step, cmd: r.RecordAdmissionArrival) -> None:
    a.record_arrival(step, cmd.protection_status)


def _discontinue(a: Admission, step: Step, cmd: r.DiscontinueAdmission) -> None:
    a.discontinue(step, cmd.reason)


#: Resettlement command class -> its shape check and handler.
RESETTLEMENT_HANDLERS: dict[type, Registration] = {
    r.AdoptUnionPlan: Registration(adopt_plan, _check_plan),
    r.RecordPlanContribution: Registration(record_contribution, _check_contribution),
    r.RegisterAdmission: Registration(register_admission, _check_registration),
    r.AssessAdmission: Registration(_on_admission(_assess), _check_assessment),
    r.RecordAdmissionConsent: Registration(_on_admission(_consent), check_command),
    r.DecideAdmission: Registration(_on_admission(_decide), check_command),
    r.RecordAdmissionArrival: Registration(_on_admission(_arrive), check_command),
    r.DiscontinueAdmission: Registration(_on_admission(_discontinue), check_command),
}
