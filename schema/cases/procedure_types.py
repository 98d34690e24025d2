"""GraphQL types of the procedures added by issue 11 part 5 that run beside the case:
safeguards (APR Arts 8(2), 15-19), fundamental-rights monitoring (Screening Art 10, APR Art
43(4)) and withdrawal of protection (QR Arts 14, 19; APR Art 66)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from ledger.case.monitoring.values import (
    Allegation,
    AllegationSource,
    InvestigationOutcome,
    MonitoredRight,
    Referral,
)
from ledger.case.safeguards.values import (
    InterpreterRefusalGround,
    LegalAidKind,
    LegalAidRefusalGround,
    Safeguards,
)
from ledger.case.withdrawal.values import Withdrawal, WithdrawalGround
from schema.enums import enum_or_none


@strawberry.type(description="A request for free legal aid (APR Arts 15-17, 19).")
class LegalAidRequest:
    kind: LegalAidKind = strawberry.field(
        description="Counselling (Art 16) or assistance (Art 17)."
    )
    requested_at: datetime = strawberry.field(description="When it was asked for.")
    state: str = strawberry.field(description="REQUESTED, GRANTED, REFUSED or CHALLENGED.")
    provider: str | None = strawberry.field(
        description="Who provides it, once granted (APR Art 19(1))."
    )
    refusal_ground: LegalAidRefusalGround | None = strawberry.field(
        description="Why it was refused (APR Art 17(2))."
    )
    by_court: bool = strawberry.field(
        description="A refusal brought before a court (APR Art 17(3))."
    )


@strawberry.type(description="An interpreter asked for (APR Art 8(2)).")
class InterpreterRequest:
    language: str = strawberry.field(description="The language asked for.")
    requested_at: datetime = strawberry.field(description="When it was asked for.")
    state: str = strawberry.field(description="REQUESTED, PROVIDED or REFUSED.")
    interpreter_ref: str | None = strawberry.field(
        description="The interpreter provided (a reference)."
    )
    refusal_ground: InterpreterRefusalGround | None = strawberry.field(
        description="Why none is provided."
    )


@strawberry.type(description="Safeguards recorded for the applicant (APR Arts 8(2), 15-19).")
class SafeguardRecord:
    informed_of_legal_counselling_at: datetime | None = strawberry.field(
        description="When told of free legal counselling (at the latest at registration, "
        "Art 15(2))."
    )
    legal_aid: list[LegalAidRequest] = strawberry.field(
        description="Requests for free legal aid (Arts 15-17)."
    )
    interpreters: list[InterpreterRequest] = strawberry.field(
        description="Interpreters asked for (Art 8(2))."
    )


@strawberry.type(
    description="An allegation to the independent monitoring mechanism (Screening "
    "Art 10; APR Art 43(4)), with its investigation."
)
class MonitoringAllegation:
    allegation_no: int = strawberry.field(description="The allegation's number within the case.")
    source: AllegationSource = strawberry.field(description="Who brought it (Screening Art 10(2)).")
    concerns: MonitoredRight = strawberry.field(
        description="The right it concerns (Screening Art 10(2)(a))."
    )
    substantiated: bool = strawberry.field(
        description="Whether it is substantiated (Screening Art 10(2)(b))."
    )
    scope: str = strawberry.field(description="SCREENING or BORDER_PROCEDURE.")
    received_at: datetime = strawberry.field(description="When the mechanism received it.")
    state: str = strawberry.field(description="RECEIVED, INVESTIGATING or CLOSED.")
    investigating_body: str | None = strawberry.field(description="The body investigating it.")
    progress_reports: int = strawberry.field(description="Progress reports recorded.")
    outcome: InvestigationOutcome | None = strawberry.field(
        description="What the investigation found."
    )
    referral: Referral | None = strawberry.field(description="NONE, CIVIL or CRIMINAL (Art 10(1)).")
    closed_at: datetime | None = strawberry.field(description="When the investigation closed.")


@strawberry.type(
    description="The latest reconsideration of protection (QR Arts 14, 19; APR Art 66)."
)
class ProtectionWithdrawal:
    ground: WithdrawalGround = strawberry.field(description="The ground (QR Arts 11, 14, 16, 19).")
    status_reconsidered: str = strawberry.field(
        description="The status reconsidered: REFUGEE_STATUS or SUBSIDIARY_PROTECTION."
    )
    started_at: datetime = strawberry.field(description="When the reconsideration began.")
    state: str = strawberry.field(description="OPEN, INFORMED, WITHDRAWN or DISCONTINUED.")
    informed_at: datetime | None = strawberry.field(
        description="When the person was informed (APR Art 66(1)(a))."
    )
    observations_at: datetime | None = strawberry.field(
        description="When the person presented reasons (APR Art 66(1)(d))."
    )
    decided_at: datetime | None = strawberry.field(description="When it was decided.")




def safeguard_record(s: Safeguards) -> SafeguardRecord:
    return SafeguardRecord(
        informed_of_legal_counselling_at=s.informed_at,
        legal_aid=[
            LegalAidRequest(
                kind=LegalAidKind(a.kind),
                requested_at=a.requested_at,
                state=a.state,
                provider=a.provider,
                refusal_ground=enum_or_none(LegalAidRefusalGround, a.refusal_ground),
                by_court=a.by_court,
            )
            for a in s.legal_aid
        ],
        interpreters=[
            InterpreterRequest(
                language=i.language,
                requested_at=i.requested_at,
                state=i.state,
                interpreter_ref=i.ref,
                refusal_ground=enum_or_none(InterpreterRefusalGround, i.refusal_ground),
            )
            for i in s.interpreters
        ],
    )


def monitoring_allegations(allegations: tuple[Allegation, ...]) -> list[MonitoringAllegation]:
    return [
        MonitoringAllegation(
            allegation_no=a.allegation_no,
            source=AllegationSource(a.source),
            concerns=MonitoredRight(a.concerns),
            substantiated=a.substantiated,
            scope=a.scope,
            received_at=a.received_at,
            state=a.state,
            investigating_body=a.body,
            progress_reports=a.progress_reports,
            outcome=enum_or_none(InvestigationOutcome, a.outcome),
            referral=enum_or_none(Referral, a.referral),
            closed_at=a.closed_at,
        )
        for a in allegations
    ]


def protection_withdrawal(w: Withdrawal | None) -> ProtectionWithdrawal | None:
    return (
        None
        if w is None
        else ProtectionWithdrawal(
            ground=WithdrawalGround(w.ground),
            status_reconsidered=w.status_type,
            started_at=w.started_at,
            state=w.state,
            informed_at=w.informed_at,
            observations_at=w.observations_at,
            decided_at=w.decided_at,
        )
    )
