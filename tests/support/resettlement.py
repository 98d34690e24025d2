"""A Union plan and admission files brought to a given step, shared by the resettlement tests
(unit, integration and end-to-end)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ledger.command_meta import CommandMeta
from ledger.envelope import Actor
from ledger.resettlement import commands as r
from tests.support.acting import handle

PERIOD = 2026
COUNCIL = Actor("eu-sc-01", "SOLIDARITY_COORDINATOR", "Council of the EU", "EU")
CASE_WORKER = Actor("it-cw-01", "CASE_WORKER", "IT test authority", "IT")


def on(day: str, hour: int = 10) -> datetime:
    """Legal time: `day` (YYYY-MM-DD) at `hour` UTC."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def meta(day: str | datetime, actor: Actor = CASE_WORKER, **kwargs: Any) -> CommandMeta:
    return CommandMeta(actor=actor, occurred_at=day if isinstance(day, datetime) else on(day),
                       **kwargs)


def plan(period_start: int = PERIOD) -> r.AdoptUnionPlan:
    return r.AdoptUnionPlan(period_start, f"Council Implementing Regulation {period_start}/1",
                            resettlement=10_000, humanitarian_admission=5_000,
                            emergency_admission=1_000)


def registration(reference: str = "IT-RS-1", admission_type: str = "RESETTLEMENT",
                 procedure: str = "ORDINARY", ms: str = "IT",
                 vulnerable: bool = False) -> r.RegisterAdmission:
    return r.RegisterAdmission(ms, reference, admission_type, procedure, PERIOD, "UNHCR",
                               f"RRF-{reference}", "SY", "LB", vulnerable=vulnerable)


def adopted(service: Any, period_start: int = PERIOD) -> None:
    handle(service, plan(period_start), meta(f"{period_start - 1}-11-20", COUNCIL))


#: The steps of a granted admission up to the arrival, with their legal dates.
def granted_through(service: Any, reference: str = "IT-RS-1", upto: str = "DECIDED",
                    **registration_fields: Any) -> None:
    """Register, assess (no ground), consent and grant; `upto` stops after that step."""
    steps = [
        ("REGISTERED", registration(reference, **registration_fields), "2026-02-02"),
        ("ASSESSED", r.AssessAdmission("IT", reference), "2026-03-02"),
        ("CONSENTED", r.RecordAdmissionConsent("IT", reference), "2026-03-09"),
        ("DECIDED", r.DecideAdmission("IT", reference, granted=True), "2026-04-01"),
        ("ARRIVED", r.RecordAdmissionArrival("IT", reference, "REFUGEE"), "2026-05-04"),
    ]
    for name, command, day in steps:
        handle(service, command, meta(day))
        if name == upto:
            return
