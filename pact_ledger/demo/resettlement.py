"""Demo data for resettlement and humanitarian admission (URF (EU) 2024/1350): the two-year
Union plan in force, a few member states' contributions, and admission files at every step,
from registration to arrival, with a refusal on a mandatory ground, one on ground (f) found from
an earlier refusal, a discontinuance and an expedited procedure.

SYNTHETIC throughout: the plan's figures, contributions, references and dates are made up and
labelled so; no person is named. Deterministic: command ids are stable, so seeding again records
nothing new; steps after `now` are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, uuid5

from ledger.command_meta import CommandMeta
from ledger.envelope import Actor
from ledger.errors import LedgerError
from ledger.resettlement import commands as r

if TYPE_CHECKING:
    from pact_ledger.wiring import Container

_NAMESPACE = uuid5(NAMESPACE_URL, "https://pact-ledger.eu/demo/resettlement")
COUNCIL = Actor("eu-council-demo", "SOLIDARITY_COORDINATOR", "Council of the EU (demo)", "EU")

#: member state: (resettlement, humanitarian admission, emergency admission), SYNTHETIC.
CONTRIBUTIONS = {"DE": (3_000, 1_500, 200), "FR": (2_000, 500, 100), "IT": (1_200, 800, 100),
                 "NL": (600, 0, 50), "SE": (900, 100, 50)}

#: (member state, type, procedure, vulnerable, persons, path), SYNTHETIC; the path says how far
#: each file goes (GRANTED / ARRIVED / REFUSED / REFUSED_F / DISCONTINUED / REGISTERED).
FILES = (
    ("IT", "RESETTLEMENT", "ORDINARY", False, 4, "ARRIVED"),
    ("IT", "HUMANITARIAN_ADMISSION", "EXPEDITED", True, 1, "ARRIVED"),
    ("IT", "RESETTLEMENT", "ORDINARY", False, 2, "REFUSED"),
    ("DE", "RESETTLEMENT", "ORDINARY", False, 5, "ARRIVED"),
    ("DE", "EMERGENCY_ADMISSION", "EXPEDITED", True, 1, "GRANTED"),
    ("DE", "HUMANITARIAN_ADMISSION", "ORDINARY", False, 3, "REFUSED_F"),
    ("FR", "RESETTLEMENT", "ORDINARY", False, 3, "DISCONTINUED"),
    ("FR", "RESETTLEMENT", "ORDINARY", False, 1, "REGISTERED"),
    ("NL", "RESETTLEMENT", "EXPEDITED", False, 2, "ARRIVED"),
    ("SE", "HUMANITARIAN_ADMISSION", "ORDINARY", False, 2, "ARRIVED"),
)


def plan_period(now: datetime) -> int:
    """The demo plan's first year: two-year periods from even years (2026-2027, ...)."""
    return now.year - now.year % 2


def _official(ms: str, role: str) -> Actor:
    return Actor(f"{ms.lower()}-{role.lower()}-demo", role, f"{ms} resettlement office (demo)",
                 ms)


def _file(n: int, period: int, spec: tuple[str, str, str, bool, int, str]
          ) -> Iterator[tuple[datetime, Actor, Any]]:
    ms, kind, procedure, vulnerable, persons, path = spec
    ref = f"{ms}-URF-{period}-{n:03d} (demo)"
    cw, dm = _official(ms, "CASE_WORKER"), _official(ms, "DECISION_MAKER")
    t = datetime(period, 1, 12, 9, tzinfo=UTC) + timedelta(days=19 * n)
    yield t, cw, r.RegisterAdmission(ms, ref, kind, procedure, period, "UNHCR",
                                     f"UNHCR-RRF-{n:05d} (demo)", "SY" if n % 3 else "AF",
                                     "TR" if n % 2 else "LB", vulnerable, persons)
    if path == "REGISTERED":
        return
    if path == "DISCONTINUED":
        yield t + timedelta(days=40), cw, r.DiscontinueAdmission(ms, ref, "CONSENT_WITHDRAWN")
        return
    grounds = ("DANGER_TO_COMMUNITY",) if path == "REFUSED" else ()
    earlier = (date(period - 1, 5, 4), "ENTRY_REFUSAL_ALERT") if path == "REFUSED_F" else (
        None, None)
    yield t + timedelta(days=30), cw, r.AssessAdmission(ms, ref, grounds, *earlier)
    yield t + timedelta(days=35), cw, r.RecordAdmissionConsent(ms, ref)
    granted = path in ("GRANTED", "ARRIVED")
    yield t + timedelta(days=50 if procedure == "EXPEDITED" else 90), dm, r.DecideAdmission(
        ms, ref, granted)
    if path == "ARRIVED":
        status = "NATIONAL_HUMANITARIAN_STATUS" if kind == "HUMANITARIAN_ADMISSION" else "REFUGEE"
        yield t + timedelta(days=130), cw, r.RecordAdmissionArrival(ms, ref, status)


def resettlement_script(now: datetime) -> Iterator[tuple[Any, CommandMeta]]:
    """The demo's commands in legal order, up to `now`."""
    period = plan_period(now)
    planned: list[tuple[datetime, Actor, Any]] = [
        (datetime(period - 1, 11, 20, 10, tzinfo=UTC), COUNCIL, r.AdoptUnionPlan(
            period, f"Council Implementing Regulation {period - 1}/0000 (demo, synthetic)",
            resettlement=15_000, humanitarian_admission=5_000, emergency_admission=1_000))]
    planned += [(datetime(period - 1, 12, 1, 10, tzinfo=UTC), _official(ms, "SOLIDARITY_"
                 "COORDINATOR"), r.RecordPlanContribution(period, ms, *figures))
                for ms, figures in sorted(CONTRIBUTIONS.items())]
    for n, spec in enumerate(FILES, 1):
        planned += list(_file(n, period, spec))
    for n, (when, actor, command) in enumerate(sorted(planned, key=lambda p: p[0])):
        if when > now:
            continue
        yield command, CommandMeta(actor=actor, occurred_at=when,
                                   command_id=str(uuid5(_NAMESPACE, f"{period}/{n}")),
                                   correlation_id=f"resettlement-demo-{period}")


@dataclass(frozen=True)
class ResettlementDemoResult:
    commands: int
    events: int  # newly recorded (a re-run records none)
    replayed: int
    refused: tuple[str, ...]  # a refusal is a bug in the script


def seed_resettlement_demo(container: Container,
                           now: datetime | None = None) -> ResettlementDemoResult:
    """Record the demo plan and admission files through the ledger."""
    script = list(resettlement_script(now or datetime.now(UTC)))
    events = replayed = 0
    refused: list[str] = []
    for command, meta in script:
        try:
            outcome = container.ledger.handle(command, meta)
        except LedgerError as error:
            refused.append(f"{type(command).__name__} {meta.occurred_at:%Y-%m-%d}: {error}")
            continue
        events += len(outcome.positions)
        replayed += outcome.replayed
    return ResettlementDemoResult(len(script), events, replayed, tuple(refused))
