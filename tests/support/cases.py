"""Cases brought to a given stage on an in-memory ledger, for the rule tests of each phase.

The ledger's clock is fixed well after T0, so that a test may place steps months or years after
T0 without the date the suite runs on deciding whether a step lies in the future.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.case.aggregate import Case
from ledger.command_meta import CommandMeta
from ledger.vocabulary import DecisionType
from tests.support.acting import handle
from tests.support.steps import CASE_WORKER, T0, at

#: The ledger's "now" in unit tests: ten years after T0.
NOW = T0 + timedelta(days=3650)

#: EU-wide recognition rates used by the tests: BD low (mandatory border procedure), SY high.
RATES = {"BD": Decimal("0.05"), "PK": Decimal("0.12"), "SY": Decimal("0.90")}


def memory_ledger(rates: Callable[[str], Decimal | None] = RATES.get) -> Ledger:
    return Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=lambda: NOW,
                  recognition_rate=rates)


def day(days: float) -> datetime:
    return T0 + timedelta(days=days)


def end_of(year: int, month: int, day_: int, zone: str = "Europe/Rome") -> datetime:
    """The last instant of a day in a member state's calendar, where a period in days, weeks or
    months ends (Reg. 1182/71 Art 3(2)); the test cases are Italian unless said otherwise."""
    return datetime(year, month, day_, 23, 59, 59, 999999, tzinfo=ZoneInfo(zone))


def meta_at(when: float | datetime) -> CommandMeta:
    """Command metadata at `when`: days after T0, or an exact legal time."""
    if isinstance(when, datetime):
        return CommandMeta(actor=CASE_WORKER, occurred_at=when)
    return at(when)


def step(ledger: Ledger, command: object, when: float | datetime) -> tuple[str, ...]:
    """Record a command that must be allowed (at days after T0, or an exact legal time);
    return the types of the events it recorded."""
    return handle(ledger, command, meta_at(when)).event_types


def applied(ledger: Ledger, reference: str, ms: str = "IT", nationality: str = "SY",
            minor: bool = False, born: date | None = None) -> UUID:
    """An application made at an office (no screening) on day 0."""
    person = c.Person(nationality, date_of_birth=born, unaccompanied_minor=minor)
    return handle(ledger, c.MakeApplication(ms, reference, "Questura", person), at(0)).aggregate_id


def registered(ledger: Ledger, reference: str, **person: object) -> UUID:
    """Made on day 0, registered on day 1."""
    case_id = applied(ledger, reference, **person)  # type: ignore[arg-type]
    step(ledger, c.RegisterApplication(case_id), 1)
    return case_id


def lodged(ledger: Ledger, reference: str, **person: object) -> UUID:
    """Made on day 0, registered on day 1, lodged on day 2."""
    case_id = registered(ledger, reference, **person)
    step(ledger, c.LodgeApplication(case_id), 2)
    return case_id


def examined(ledger: Ledger, reference: str, procedure: str = "REGULAR",
             **person: object) -> UUID:
    """Lodged on day 2, `procedure` assigned on day 3."""
    case_id = lodged(ledger, reference, **person)
    step(ledger, c.AssignProcedure(case_id, procedure), 3)
    return case_id


def at_border(ledger: Ledger, reference: str, nationality: str = "BD", **person: object) -> UUID:
    """Registered on day 1, border procedure assigned on day 1 (APR Art 51(2)), lodged on
    day 2."""
    case_id = registered(ledger, reference, nationality=nationality, **person)
    step(ledger, c.AssignProcedure(case_id, "BORDER", ("APR Art 45(1)(c)",)), 1)
    step(ledger, c.LodgeApplication(case_id), 2)
    return case_id


def decide(ledger: Ledger, case_id: UUID, decision_type: str, days: float = 30,
           notified: bool = True) -> tuple[str, ...]:
    """Issue a decision on `days`, notified the same moment (or not); a rejection comes with its
    return decision."""
    rejection = DecisionType(decision_type).is_rejection
    return step(ledger, c.IssueDecision(case_id, decision_type, "ground",
                                        day(days) if notified else None,
                                        with_return_decision=rejection), days)


def decided(ledger: Ledger, reference: str, decision_type: str = "UNFOUNDED",
            procedure: str = "REGULAR", notified: bool = True, **person: object) -> UUID:
    """Examined under `procedure` (border: from registration) and decided on day 30."""
    if procedure == "BORDER":
        case_id = at_border(ledger, reference, **person)
    else:
        case_id = examined(ledger, reference, procedure, **person)
    decide(ledger, case_id, decision_type, 30, notified)
    return case_id


def case_of(ledger: Ledger, case_id: UUID) -> Case:
    return ledger.get_case(case_id)


def version(ledger: Ledger, case_id: UUID) -> int:
    return ledger.get_case(case_id).version
