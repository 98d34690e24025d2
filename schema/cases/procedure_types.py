"""GraphQL types of the procedures added by issue 11 part 5 that run beside the case:
safeguards (APR Arts 8(2), 15-19), fundamental-rights monitoring (Screening Art 10, APR Art
43(4)) and withdrawal of protection (QR Arts 14, 19; APR Art 66)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from ledger.case.monitoring.values import Allegation
from ledger.case.safeguards.values import Safeguards
from ledger.case.withdrawal.values import Withdrawal


@strawberry.type(description="A request for free legal aid (APR Arts 15-17, 19).")
class LegalAidRequest:
    kind: str = strawberry.field(description="COUNSELLING (Art 16) or ASSISTANCE (Art 17).")
    requested_at: datetime
    state: str = strawberry.field(description="REQUESTED, GRANTED, REFUSED or CHALLENGED.")
    provider: str | None
    refusal_ground: str | None
    by_court: bool


@strawberry.type(description="An interpreter asked for (APR Art 8(2)).")
class InterpreterRequest:
    language: str
    requested_at: datetime
    state: str = strawberry.field(description="REQUESTED, PROVIDED or REFUSED.")
    interpreter_ref: str | None
    refusal_ground: str | None


@strawberry.type(description="Safeguards recorded for the applicant (APR Arts 8(2), 15-19).")
class SafeguardRecord:
    informed_of_legal_counselling_at: datetime | None = strawberry.field(
        description="When told of free legal counselling (at the latest at registration, "
                    "Art 15(2)).")
    legal_aid: list[LegalAidRequest]
    interpreters: list[InterpreterRequest]


@strawberry.type(description="An allegation to the independent monitoring mechanism (Screening "
                              "Art 10; APR Art 43(4)), with its investigation.")
class MonitoringAllegation:
    allegation_no: int
    source: str
    concerns: str
    substantiated: bool
    scope: str = strawberry.field(description="SCREENING or BORDER_PROCEDURE.")
    received_at: datetime
    state: str = strawberry.field(description="RECEIVED, INVESTIGATING or CLOSED.")
    investigating_body: str | None
    progress_reports: int
    outcome: str | None
    referral: str | None = strawberry.field(description="NONE, CIVIL or CRIMINAL (Art 10(1)).")
    closed_at: datetime | None


@strawberry.type(description="The latest reconsideration of protection (QR Arts 14, 19; APR "
                              "Art 66).")
class ProtectionWithdrawal:
    ground: str
    status_reconsidered: str
    started_at: datetime
    state: str = strawberry.field(description="OPEN, INFORMED, WITHDRAWN or DISCONTINUED.")
    informed_at: datetime | None
    observations_at: datetime | None
    decided_at: datetime | None


def safeguard_record(s: Safeguards) -> SafeguardRecord:
    return SafeguardRecord(
        informed_of_legal_counselling_at=s.informed_at,
        legal_aid=[LegalAidRequest(kind=a.kind, requested_at=a.requested_at, state=a.state,
                                   provider=a.provider, refusal_ground=a.refusal_ground,
                                   by_court=a.by_court) for a in s.legal_aid],
        interpreters=[InterpreterRequest(language=i.language, requested_at=i.requested_at,
                                         state=i.state, interpreter_ref=i.ref,
                                         refusal_ground=i.refusal_ground)
                      for i in s.interpreters])


def monitoring_allegations(allegations: tuple[Allegation, ...]) -> list[MonitoringAllegation]:
    return [MonitoringAllegation(
        allegation_no=a.allegation_no, source=a.source, concerns=a.concerns,
        substantiated=a.substantiated, scope=a.scope, received_at=a.received_at, state=a.state,
        investigating_body=a.body, progress_reports=a.progress_reports, outcome=a.outcome,
        referral=a.referral, closed_at=a.closed_at) for a in allegations]


def protection_withdrawal(w: Withdrawal | None) -> ProtectionWithdrawal | None:
    return None if w is None else ProtectionWithdrawal(
        ground=w.ground, status_reconsidered=w.status_type, started_at=w.started_at,
        state=w.state, informed_at=w.informed_at, observations_at=w.observations_at,
        decided_at=w.decided_at)
