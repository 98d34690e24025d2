"""Monitoring: what a caller asks the ledger to record, one dataclass per step.

Commands are plain data. Fields typed `Annotated[str, SomeEnum]` take that vocabulary's values;
`Doc` attaches the sentence an API shows for a field. The GraphQL schema is generated from these
classes; each docstring says what the step records and under which article.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from ledger.case.monitoring.values import (
    AllegationSource,
    InvestigationOutcome,
    MonitoredRight,
    Referral,
)
from ledger.command_meta import Doc


@dataclass(frozen=True)
class ReceiveMonitoringAllegation:
    """The independent monitoring mechanism receives an allegation that fundamental rights were
    not respected in this person's screening (Screening Reg Art 10(1)-(2)) or border procedure
    (APR Art 43(4))."""

    case_id: Annotated[UUID, Doc("The case the allegation concerns.")]
    source: Annotated[str, AllegationSource, Doc("Who brought the allegation.")]
    concerns: Annotated[str, MonitoredRight, Doc(
        "The right concerned (Screening Art 10(2)(a)).")]
    substantiated: Annotated[bool, Doc(
        "The allegation is substantiated: it must be dealt with without undue delay "
        "(Screening Art 10(2)(b)).")]


@dataclass(frozen=True)
class TriggerInvestigation:
    """The mechanism triggers an investigation of the allegation (Screening Art 10(2)(b))."""

    case_id: Annotated[UUID, Doc("The case the allegation concerns.")]
    allegation_no: Annotated[int, Doc("The allegation, numbered from 1 in the case.")]
    body: Annotated[str, Doc("The body that investigates.")]


@dataclass(frozen=True)
class RecordInvestigationProgress:
    """The mechanism monitors the progress of the investigation (Screening Art 10(2)(b))."""

    case_id: Annotated[UUID, Doc("The case the allegation concerns.")]
    allegation_no: Annotated[int, Doc("The allegation, numbered from 1 in the case.")]


@dataclass(frozen=True)
class CloseInvestigation:
    """The investigation ends with its outcome, and a referral for civil or criminal
    proceedings where appropriate (Screening Art 10(1))."""

    case_id: Annotated[UUID, Doc("The case the allegation concerns.")]
    allegation_no: Annotated[int, Doc("The allegation, numbered from 1 in the case.")]
    outcome: Annotated[str, InvestigationOutcome, Doc("What the investigation found.")]
    referral: Annotated[str, Referral, Doc(
        "Referral for civil or criminal proceedings (Screening Art 10(1)).")] = "NONE"


#: This phase's commands, in the order an API lists them.
COMMANDS: tuple[type, ...] = (
    ReceiveMonitoringAllegation,
    TriggerInvestigation,
    RecordInvestigationProgress,
    CloseInvestigation,
)
