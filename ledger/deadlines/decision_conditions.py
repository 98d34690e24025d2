"""Conditions of the deadlines from the examination on: procedures, the end of the border
procedure and the appeal windows. Registered in `ledger.deadlines.conditions.CONDITIONS`."""

from __future__ import annotations

from typing import Any

from ledger.case.state import CaseState
from ledger.vocabulary import DecisionType, Procedure


def _is(event: Any, name: str) -> bool:
    return type(event).__name__ == name


# --- examination (APR Arts 35, 51) ----------------------------------------------------------
def _procedure(event: Any, procedure: Procedure) -> bool:
    return _is(event, "ProcedureAssigned") and event.procedure == procedure.value


def _ground_38_1_e(event: Any) -> bool:
    return any("38(1)(e)" in ground for ground in event.grounds)


def admissibility(event: Any, before: CaseState) -> bool:
    return _procedure(event, Procedure.ADMISSIBILITY) and not _ground_38_1_e(event)


def admissibility_38_1_e(event: Any, before: CaseState) -> bool:
    """Art 35(1): 10 working days on the ground of Art 38(1)(e)."""
    return _procedure(event, Procedure.ADMISSIBILITY) and _ground_38_1_e(event)


def accelerated(event: Any, before: CaseState) -> bool:
    return _procedure(event, Procedure.ACCELERATED)


def regular(event: Any, before: CaseState) -> bool:
    return _procedure(event, Procedure.REGULAR)


def border(event: Any, before: CaseState) -> bool:
    """Art 51(2): 12 weeks, unless the person was transferred here under the AMMR."""
    return _procedure(event, Procedure.BORDER) and before.responsibility.arrived_from is None


def border_after_transfer(event: Any, before: CaseState) -> bool:
    """Art 51(2): 16 weeks for a person transferred here under the AMMR."""
    return (_procedure(event, Procedure.BORDER)
            and before.responsibility.arrived_from is not None)


def undecided(event: Any, before: CaseState) -> bool:
    """Arts 35(4), 51(2): the regular examination after entry, where nothing was decided."""
    return before.standing_decision_no is None


def border_procedure_ends(event: Any, before: CaseState) -> bool:
    """Art 51(2): the border procedure ends when the right to remain ends, or with protection."""
    if _is(event, "RightToRemainEnded"):
        return True
    return _is(event, "DecisionIssued") and DecisionType(event.decision_type).grants_protection


# --- remedies (APR Art 67(7)) -----------------------------------------------------------------
_SHORT_PROCEDURES = (Procedure.ACCELERATED.value, Procedure.BORDER.value)


def _notified_decision(event: Any, before: CaseState) -> tuple[DecisionType, str | None] | None:
    """The (type, procedure) of the decision this event notifies, if it notifies one."""
    if _is(event, "DecisionIssued") and event.notified_at is not None:
        return DecisionType(event.decision_type), before.procedure
    if _is(event, "DecisionNotified"):
        decision = next((d for d in before.decisions if d.decision_no == event.decision_no),
                        None)
        if decision is not None:
            return DecisionType(decision.decision_type), decision.procedure
    return None


def _short(kind: DecisionType, procedure: str | None) -> bool:
    return kind is DecisionType.INADMISSIBLE or (kind.is_rejection
                                                and procedure in _SHORT_PROCEDURES)


def appealable_short(event: Any, before: CaseState) -> bool:
    """Art 67(7): the short period for inadmissibility and accelerated or border rejections."""
    notified = _notified_decision(event, before)
    return notified is not None and notified[0].is_appealable and _short(*notified)


def appealable_standard(event: Any, before: CaseState) -> bool:
    """Art 67(7): the standard period for every other appealable decision."""
    notified = _notified_decision(event, before)
    return notified is not None and notified[0].is_appealable and not _short(*notified)


DECISION_CONDITIONS = {f.__name__: f for f in (
    admissibility,
    admissibility_38_1_e,
    accelerated,
    regular,
    border,
    border_after_transfer,
    undecided,
    border_procedure_ends,
    appealable_short,
    appealable_standard,
)}
