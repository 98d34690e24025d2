"""How each step of the annual cycle is checked for shape and carried out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Aggregate

from ledger.envelope import Step
from ledger.errors import RuleViolation
from ledger.handling import Changes, Check, Registration
from ledger.solidarity import checks, rules
from ledger.solidarity import commands as c
from ledger.solidarity.cycle import SolidarityCycle
from ledger.solidarity.fair_share import stored_shares
from ledger.solidarity.store import account_for, find_account, find_cycle, load_cycle
from ledger.validation import Problems
from ledger.vocabulary import MEMBER_STATES

if TYPE_CHECKING:
    from ledger.application import Ledger

Apply = Callable[[Any, SolidarityCycle, Step, Any], tuple[Aggregate, ...] | None]


def _on_cycle(apply: Apply, check: Check | None = None) -> Registration:
    """A step on an existing cycle; `apply` calls the cycle's method and returns any other
    aggregates it changed."""

    def handler(ledger: Ledger, cmd: Any, step: Step) -> Changes:
        cycle = load_cycle(ledger, cmd.year)
        if cycle.has_processed(step.command_id):
            return Changes(cycle, replayed=True)
        return Changes(cycle, apply(ledger, cycle, step, cmd) or ())

    return Registration(handler, check)


def _check_report(p: Problems, cmd: c.AdoptAnnualReport, today: date) -> None:
    checks.year(p, cmd.year)
    p.text("reportRef", cmd.report_ref)


def adopt_annual_report(ledger: Ledger, cmd: c.AdoptAnnualReport, step: Step) -> Changes:
    """Opens the cycle of the year."""
    existing = find_cycle(ledger, cmd.year)
    if existing is not None:
        if existing.has_processed(step.command_id):
            return Changes(existing, replayed=True)
        raise RuleViolation(rules.REPORT_ALREADY_ADOPTED, f"cycle {cmd.year}")
    return Changes(SolidarityCycle.open(step, cmd.year, cmd.report_ref))


def _check_decision(p: Problems, cmd: c.AdoptMigratoryPressureDecision, today: date) -> None:
    checks.year(p, cmd.year)
    p.text("decisionRef", cmd.decision_ref)
    lists = {"underPressure": cmd.under_pressure, "atRisk": cmd.at_risk,
             "significantSituation": cmd.significant_situation}
    for field, codes in lists.items():
        checks.member_states(p, field, codes)
    listed = [code for codes in lists.values() for code in codes]
    if len(listed) != len(set(listed)):
        p.add("underPressure", "a member state is listed at most once across the three lists")


def _decide(ledger: Ledger, cycle: SolidarityCycle, step: Step,
            cmd: c.AdoptMigratoryPressureDecision) -> None:
    cycle.adopt_pressure_decision(step, cmd.decision_ref, sorted(cmd.under_pressure),
                                  sorted(cmd.at_risk), sorted(cmd.significant_situation))


def _check_inputs(p: Problems, cmd: c.RecordFairShareInputs, today: date) -> None:
    checks.year(p, cmd.year)
    p.text("source", cmd.source)
    codes = [i.member_state for i in cmd.inputs]
    if sorted(codes) != sorted(MEMBER_STATES):
        p.add("inputs", "must give each of the 27 member states exactly once")
    for n, item in enumerate(cmd.inputs):
        checks.positive(p, f"inputs[{n}].population", item.population)
        checks.positive(p, f"inputs[{n}].gdpEurMillions", item.gdp_eur_millions)


def _inputs(ledger: Ledger, cycle: SolidarityCycle, step: Step,
            cmd: c.RecordFairShareInputs) -> tuple[Aggregate, ...]:
    """Records the inputs on the cycle and each member state's share on its account."""
    population = {i.member_state: i.population for i in cmd.inputs}
    gdp = {i.member_state: i.gdp_eur_millions for i in cmd.inputs}
    cycle.record_key_inputs(step, cmd.source, population, gdp)
    inputs_ref = f"{cycle.id}/v{cycle.version}"
    accounts = []
    for ms, share in stored_shares(cycle.key()).items():
        account = account_for(ledger, step, cmd.year, ms)
        account.record_fair_share(step, share, population[ms], gdp[ms], inputs_ref)
        accounts.append(account)
    return tuple(accounts)


def _check_proposal(p: Problems, cmd: c.ProposePool, today: date) -> None:
    checks.year(p, cmd.year)
    p.text("proposalRef", cmd.proposal_ref)
    checks.positive(p, "relocations", cmd.relocations)
    checks.cents(p, "financialCents", cmd.financial_cents)
    checks.percent(p, "earmarkPercent", cmd.earmark_percent, required=False)


def _propose(ledger: Ledger, cycle: SolidarityCycle, step: Step,
             cmd: c.ProposePool) -> None:
    cycle.propose_pool(step, cmd.proposal_ref, cmd.relocations, cmd.financial_cents,
                       cmd.earmark_percent)


def _check_forum(p: Problems, cmd: c.ConveneForum, today: date) -> None:
    checks.year(p, cmd.year)
    if cmd.meeting not in (1, 2):
        p.add("meeting", "must be 1 (Art 13(2)) or 2 (Art 13(4))")


def _convene(ledger: Ledger, cycle: SolidarityCycle, step: Step,
             cmd: c.ConveneForum) -> None:
    cycle.convene_forum(step, cmd.meeting)


def _check_pool(p: Problems, cmd: c.EstablishPool, today: date) -> None:
    checks.year(p, cmd.year)
    p.text("councilAct", cmd.council_act)
    checks.positive(p, "relocations", cmd.relocations)
    checks.cents(p, "financialCents", cmd.financial_cents)
    checks.cents(p, "centsPerRelocation", cmd.cents_per_relocation)
    checks.percent(p, "sarSharePercent", cmd.sar_share_percent, required=False)


def _establish(ledger: Ledger, cycle: SolidarityCycle, step: Step,
               cmd: c.EstablishPool) -> None:
    """The act sets out the pledges each member state made at the Forum (Art 57(1))."""
    pledges = {}
    for ms in sorted(MEMBER_STATES):
        account = find_account(ledger, cmd.year, ms)
        if account is not None and account.pledged:
            pledges[ms] = dict(account.pledged)
    cycle.establish_pool(step, cmd.council_act, cmd.relocations, cmd.financial_cents,
                         cmd.cents_per_relocation, cmd.sar_share_percent, pledges)


def _close(ledger: Ledger, cycle: SolidarityCycle, step: Step,
           cmd: c.CloseCycle) -> None:
    cycle.close(step)


#: Command class -> its shape check and handler.
HANDLERS: dict[type, Registration] = {
    c.AdoptAnnualReport: Registration(adopt_annual_report, _check_report),
    c.AdoptMigratoryPressureDecision: _on_cycle(_decide, _check_decision),
    c.RecordFairShareInputs: _on_cycle(_inputs, _check_inputs),
    c.ProposePool: _on_cycle(_propose, _check_proposal),
    c.ConveneForum: _on_cycle(_convene, _check_forum),
    c.EstablishPool: _on_cycle(_establish, _check_pool),
    c.CloseCycle: _on_cycle(_close, lambda p, cmd, today: checks.year(p, cmd.year)),
}
