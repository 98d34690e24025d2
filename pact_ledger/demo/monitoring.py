"""The independent fundamental-rights monitoring mechanism (Screening Art 10; APR Art 43(4)): a
few screened or border cases draw an allegation; substantiated ones are investigated, followed
and closed, a few with a referral for proceedings."""

from __future__ import annotations

from ledger.case.commands import (
    CloseInvestigation,
    ReceiveMonitoringAllegation,
    RecordInvestigationProgress,
    TriggerInvestigation,
)
from ledger.vocabulary import Procedure as P
from pact_ledger.demo.catalogue import FM
from pact_ledger.demo.extra_steps import add, rng_for
from pact_ledger.demo.plan import CasePlan

ALLEGATION_SHARE = 0.04
SOURCES = ("APPLICANT", "NGO", "OMBUDSPERSON", "MONITOR")
RIGHTS = ("ACCESS_TO_ASYLUM", "NON_REFOULEMENT", "BEST_INTERESTS_OF_THE_CHILD", "DETENTION")


def allegations(case: CasePlan) -> None:
    """After the case's last planned step (the mechanism goes on after a case is closed)."""
    if case.trigger is None and case.procedure != P.BORDER.value:
        return  # outside the mechanism's scope
    rng = rng_for(case, "monitoring")
    if rng.random() >= ALLEGATION_SHARE:
        return
    substantiated = rng.random() < 0.7
    t = add(case, case.t + case.days(1, 20), ReceiveMonitoringAllegation(
        case.id, rng.choice(SOURCES), rng.choice(RIGHTS), substantiated), FM)
    if not substantiated:
        return
    body = f"{case.ms} national preventive mechanism"
    t = add(case, t + case.days(2, 40), TriggerInvestigation(case.id, 1, body), FM)
    t = add(case, t + case.days(20, 60), RecordInvestigationProgress(case.id, 1), FM)
    outcome = rng.choice(("FAILURE_ESTABLISHED", "NOT_ESTABLISHED", "INCONCLUSIVE"))
    referral = "CRIMINAL" if outcome == "FAILURE_ESTABLISHED" and rng.random() < 0.4 else "NONE"
    add(case, t + case.days(20, 90), CloseInvestigation(case.id, 1, outcome, referral), FM)
