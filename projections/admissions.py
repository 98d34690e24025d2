"""The resettlement read model (URF (EU) 2024/1350): one row per admission file, one per Union
plan and member state's contribution, and every event in a timeline-shaped table.

The decision's time limit is computed when the registration is projected, from the admission
catalogue (`ledger.deadlines.catalogue.ADMISSION_RULES`) by Reg. 1182/71 in the member state's
calendar; the row keeps the rule's version and how the period was counted, so a rebuild gives
the same answer. Whether it is met, open or breached is read against the clock
(`projections.admission_queries`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, TypedDict

from ledger.deadlines.catalogue import ADMISSION_RULES, DeadlineRule
from ledger.deadlines.periods import period_end
from ledger.resettlement import events as ev
from projections.columns import BIGINT, FLAG, PRIMARY_KEY, UNIQUE, columns, create_table
from projections.db import Tx
from projections.encoding import dumps, envelope_columns, payload_of, time_text


class AdmissionRow(TypedDict):
    """A row of `admissions`: an admission file as its events leave it."""

    admission_id: Annotated[str, PRIMARY_KEY]
    seq: Annotated[int, BIGINT, UNIQUE]  # the registration's position: the list's order
    version: int
    member_state: str
    reference: str
    admission_type: str
    procedure: str
    plan_period_start: int
    referred_by: str
    referral_ref: str
    nationality: str
    country_of_residence: str
    vulnerable: Annotated[int, FLAG]
    persons: int
    status: str
    registered_at: str
    assessed_at: str | None
    consented_at: str | None
    decided_at: str | None
    granted: int | None
    refusal_grounds: str  # JSON list
    arrived_at: str | None
    protection_status: str | None
    lump_sum_cents: Annotated[int | None, BIGINT]
    counts_toward_solidarity: int | None
    solidarity_basis: str | None
    discontinued_at: str | None
    discontinuance_reason: str | None
    deadline_code: str
    deadline_version: str
    deadline_act: str
    deadline_article: str
    deadline_confirmed: Annotated[int, FLAG]
    decision_due_at: str
    deadline_counting: str  # JSON (ledger.deadlines.periods.Counting.to_dict)


class ResettlementEventRow(TypedDict):
    """A row of `resettlement_events`: one event of a plan or an admission file."""

    seq: Annotated[int, BIGINT, PRIMARY_KEY]
    aggregate_id: str
    version: int
    member_state: str | None  # None: a Union-level step (the plan's adoption)
    event_type: str
    topic: str
    occurred_at: str
    recorded_at: str
    actor_id: str
    actor_role: str
    actor_authority: str
    actor_member_state: str
    legal_basis: str
    command_id: str
    correlation_id: str
    causation_id: str
    evidence_refs: str
    payload: str


class UnionPlanRow(TypedDict):
    period_start: Annotated[int, PRIMARY_KEY]
    period_end: int
    council_act: str
    resettlement: int
    humanitarian_admission: int
    emergency_admission: int
    adopted_at: str
    plan_id: str


class PlanContributionRow(TypedDict):
    key: Annotated[str, PRIMARY_KEY]  # "<period_start>/<member state>"
    period_start: int
    member_state: str
    resettlement: int
    humanitarian_admission: int
    emergency_admission: int
    recorded_at: str


ADMISSION_COLUMNS = columns(AdmissionRow)
EVENT_COLUMNS = columns(ResettlementEventRow)

DDL = [
    create_table("admissions", AdmissionRow),
    "CREATE INDEX IF NOT EXISTS admissions_ms ON admissions (member_state, seq)",
    "CREATE INDEX IF NOT EXISTS admissions_plan ON admissions (plan_period_start, member_state)",
    create_table("resettlement_events", ResettlementEventRow),
    "CREATE INDEX IF NOT EXISTS resettlement_events_stream "
    "ON resettlement_events (aggregate_id, version)",
    create_table("union_plans", UnionPlanRow),
    create_table("plan_contributions", PlanContributionRow),
]


def decision_rule(procedure: str) -> DeadlineRule:
    """The catalogue's time limit for the decision in `procedure` (ORDINARY or EXPEDITED)."""
    return next(rule for rule in ADMISSION_RULES if rule.when == procedure)


def _registered(seq: int, e: ev.AdmissionRegistered) -> dict[str, Any]:
    rule = decision_rule(e.procedure)
    assert rule.duration is not None
    period = period_end(rule.duration, e.envelope.occurred_at, e.member_state)
    return {
        "admission_id": str(e.originator_id), "seq": seq, "version": e.originator_version,
        "member_state": e.member_state, "reference": e.reference,
        "admission_type": e.admission_type, "procedure": e.procedure,
        "plan_period_start": e.plan_period_start, "referred_by": e.referred_by,
        "referral_ref": e.referral_ref, "nationality": e.nationality,
        "country_of_residence": e.country_of_residence, "vulnerable": int(e.vulnerable),
        "persons": e.persons, "status": "REGISTERED",
        "registered_at": time_text(e.envelope.occurred_at), "assessed_at": None,
        "consented_at": None, "decided_at": None, "granted": None, "refusal_grounds": "[]",
        "arrived_at": None, "protection_status": None, "lump_sum_cents": None,
        "counts_toward_solidarity": None, "solidarity_basis": None, "discontinued_at": None,
        "discontinuance_reason": None, "deadline_code": rule.code,
        "deadline_version": rule.version, "deadline_act": rule.act,
        "deadline_article": rule.article, "deadline_confirmed": int(rule.confirmed),
        "decision_due_at": time_text(period.due_at),
        "deadline_counting": dumps({**period.counting.to_dict(),
                                    "explanation": period.counting.explanation()}),
    }


def _changes(e: Any, status: str) -> dict[str, Any]:
    """The columns an admission event after the registration changes."""
    at = time_text(e.envelope.occurred_at)
    match e:
        case ev.AdmissionAssessed():
            return {"assessed_at": at, "refusal_grounds": dumps(list(e.refusal_grounds)),
                    "status": "CONSENTED" if status == "CONSENTED" else "ASSESSED"}
        case ev.AdmissionConsentRecorded():
            return {"consented_at": at, "status": "CONSENTED"}
        case ev.AdmissionDecided():
            return {"decided_at": at, "granted": int(e.granted),
                    "status": "ADMISSION_GRANTED" if e.granted else "ADMISSION_REFUSED"}
        case ev.AdmittedPersonArrived():
            return {"arrived_at": at, "protection_status": e.protection_status,
                    "lump_sum_cents": e.lump_sum_cents,
                    "counts_toward_solidarity": int(e.counts_toward_solidarity),
                    "solidarity_basis": e.solidarity_basis, "status": "ARRIVED"}
        case ev.AdmissionDiscontinued():
            return {"discontinued_at": at, "discontinuance_reason": e.reason,
                    "status": "DISCONTINUED"}
    return {}


class AdmissionProjection:
    tables: tuple[str, ...] = ("admissions", "resettlement_events", "union_plans",
                               "plan_contributions")
    ddl = DDL

    def process(self, tx: Tx, batch: Sequence[tuple[int, Any]]) -> None:
        for seq, event in batch:
            if isinstance(event, ev.ResettlementEvent):
                self._apply(tx, seq, event)

    def _apply(self, tx: Tx, seq: int, e: Any) -> None:
        aggregate_id = str(e.originator_id)
        member_state: str | None = getattr(e, "member_state", None)
        if isinstance(e, ev.UnionPlanAdopted):
            tx.execute("INSERT INTO union_plans VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (e.period_start, e.period_end, e.council_act, e.resettlement,
                        e.humanitarian_admission, e.emergency_admission,
                        time_text(e.envelope.occurred_at), aggregate_id))
        elif isinstance(e, ev.PlanContributionRecorded):
            tx.execute("SELECT period_start FROM union_plans WHERE plan_id = ?", (aggregate_id,))
            start = tx.fetchone()["period_start"]  # type: ignore[index]
            tx.execute("DELETE FROM plan_contributions WHERE key = ?", (f"{start}/{member_state}",))
            tx.execute("INSERT INTO plan_contributions VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (f"{start}/{member_state}", start, member_state, e.resettlement,
                        e.humanitarian_admission, e.emergency_admission,
                        time_text(e.envelope.occurred_at)))
        elif isinstance(e, ev.AdmissionRegistered):
            row = _registered(seq, e)
            tx.execute(f"INSERT INTO admissions ({', '.join(ADMISSION_COLUMNS)}) VALUES "
                       f"({', '.join('?' for _ in ADMISSION_COLUMNS)})",
                       tuple(row[c] for c in ADMISSION_COLUMNS))
        else:
            tx.execute("SELECT member_state, status FROM admissions WHERE admission_id = ?",
                       (aggregate_id,))
            found = tx.fetchone()
            assert found is not None
            member_state = found["member_state"]
            changes = {**_changes(e, found["status"]), "version": e.originator_version}
            tx.execute(f"UPDATE admissions SET {', '.join(f'{c} = ?' for c in changes)} "
                       "WHERE admission_id = ?", (*changes.values(), aggregate_id))
        tx.execute(f"INSERT INTO resettlement_events ({', '.join(EVENT_COLUMNS)}) VALUES "
                   f"({', '.join('?' for _ in EVENT_COLUMNS)})",
                   (seq, aggregate_id, e.originator_version, member_state, type(e).__name__,
                    type(e).TOPIC, *envelope_columns(e), dumps(payload_of(e))))
