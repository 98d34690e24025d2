"""Detention (RCD (EU) 2024/1346 Arts 10-13; AMMR Art 44; RBPR Art 5): ordered, review asked,
reviewed, ended."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ledger.case.detention.values import Detention
from ledger.case.event_base import CaseEvent, stable
from ledger.case.phase import Phase

if TYPE_CHECKING:
    from ledger.case.state import CaseState


class DetentionEvent(CaseEvent):
    """An event of this phase; the timeline shows it under `DETENTION`."""

    phase = Phase.DETENTION


@stable("DetentionOrdered")
class DetentionOrdered(DetentionEvent):
    """RCD Art 11(2): a written order on a ground of Art 10(4) (or AMMR Art 44, RBPR Art 5)."""

    ground: str
    ordered_by: str
    order_ref: str
    minor_exception: bool
    exceptional_situation: bool

    def apply_step(self, case: CaseState) -> None:
        case.detention = Detention(ground=self.ground, ordered_by=self.ordered_by,
                                   order_ref=self.order_ref,
                                   started_at=self.envelope.occurred_at,
                                   minor_exception=self.minor_exception)


@stable("DetentionReviewRequested")
class DetentionReviewRequested(DetentionEvent):
    """RCD Art 11(3): review on request; its limit runs from the start of the proceedings."""

    def apply_step(self, case: CaseState) -> None:
        assert case.detention is not None
        case.detention = replace(case.detention, review_requested_at=self.envelope.occurred_at)


@stable("DetentionReviewed")
class DetentionReviewed(DetentionEvent):
    """RCD Art 11(3): the speedy judicial review concluded."""

    lawful: bool

    def apply_step(self, case: CaseState) -> None:
        assert case.detention is not None
        case.detention = replace(case.detention, reviewed_at=self.envelope.occurred_at,
                                 found_lawful=self.lawful, review_requested_at=None)


@stable("DetentionEnded")
class DetentionEnded(DetentionEvent):
    """The person is released (RCD Arts 11(1), 11(3), 13)."""

    reason: str

    def apply_step(self, case: CaseState) -> None:
        assert case.detention is not None
        case.detention = replace(case.detention, ended_at=self.envelope.occurred_at,
                                 release_reason=self.reason)


#: This phase's events (each pinned to its stable topic).
EVENTS: tuple[type[DetentionEvent], ...] = (DetentionOrdered, DetentionReviewRequested,
                                            DetentionReviewed, DetentionEnded)
