"""Safeguards (APR (EU) 2024/1348 Arts 8(2), 15-19): legal counselling, assistance and
interpreters as recorded steps."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ledger.case.event_base import CaseEvent, stable
from ledger.case.phase import Phase
from ledger.case.safeguards.values import Interpreter, LegalAid

if TYPE_CHECKING:
    from ledger.case.state import CaseState


class SafeguardsEvent(CaseEvent):
    """An event of this phase; the timeline shows it under `SAFEGUARDS`."""

    phase = Phase.SAFEGUARDS


def _replace_last_aid(case: CaseState, kind: str, **changes: object) -> None:
    aids = list(case.safeguards.legal_aid)
    index = max(i for i, a in enumerate(aids) if a.kind == kind)
    aids[index] = replace(aids[index], **changes)  # type: ignore[arg-type]
    case.safeguards = replace(case.safeguards, legal_aid=tuple(aids))


@stable("LegalCounsellingInformed")
class LegalCounsellingInformed(SafeguardsEvent):
    """APR Art 15(2): told of free legal counselling (at the latest at registration)."""

    language: str

    def apply_step(self, case: CaseState) -> None:
        if case.safeguards.informed_at is None:
            case.safeguards = replace(case.safeguards, informed_at=self.envelope.occurred_at)


@stable("LegalAidRequested")
class LegalAidRequested(SafeguardsEvent):
    """APR Art 15(1): free counselling (Art 16) or assistance on appeal (Art 17) asked for."""

    kind: str

    def apply_step(self, case: CaseState) -> None:
        aid = LegalAid(kind=self.kind, requested_at=self.envelope.occurred_at)
        case.safeguards = replace(case.safeguards, legal_aid=(*case.safeguards.legal_aid, aid))


@stable("LegalAidGranted")
class LegalAidGranted(SafeguardsEvent):
    """APR Arts 16-17, 19(1): granted, with the provider."""

    kind: str
    provider: str
    by_court: bool

    def apply_step(self, case: CaseState) -> None:
        _replace_last_aid(case, self.kind, state="GRANTED", provider=self.provider,
                          by_court=self.by_court)


@stable("LegalAidRefused")
class LegalAidRefused(SafeguardsEvent):
    """APR Art 17(2): refused on a ground the law allows."""

    kind: str
    refusal_ground: str
    by_court: bool

    def apply_step(self, case: CaseState) -> None:
        _replace_last_aid(case, self.kind, state="REFUSED", refusal_ground=self.refusal_ground,
                          by_court=self.by_court)


@stable("LegalAidRefusalChallenged")
class LegalAidRefusalChallenged(SafeguardsEvent):
    """APR Art 17(3): the refusal is brought before a court, which decides it anew."""

    kind: str

    def apply_step(self, case: CaseState) -> None:
        _replace_last_aid(case, self.kind, state="CHALLENGED")


@stable("InterpreterRequested")
class InterpreterRequested(SafeguardsEvent):
    language: str

    def apply_step(self, case: CaseState) -> None:
        asked = Interpreter(language=self.language, requested_at=self.envelope.occurred_at)
        case.safeguards = replace(case.safeguards,
                                  interpreters=(*case.safeguards.interpreters, asked))


@stable("InterpreterDecided")
class InterpreterDecided(SafeguardsEvent):
    """The request for an interpreter met (`interpreter_ref`) or refused (`refusal_ground`)."""

    provided: bool
    interpreter_ref: str | None
    refusal_ground: str | None

    def apply_step(self, case: CaseState) -> None:
        *earlier, last = case.safeguards.interpreters
        decided = replace(last, state="PROVIDED" if self.provided else "REFUSED",
                          ref=self.interpreter_ref, refusal_ground=self.refusal_ground)
        case.safeguards = replace(case.safeguards, interpreters=(*earlier, decided))


#: This phase's events (each pinned to its stable topic).
EVENTS: tuple[type[SafeguardsEvent], ...] = (
    LegalCounsellingInformed,
    LegalAidRequested,
    LegalAidGranted,
    LegalAidRefused,
    LegalAidRefusalChallenged,
    InterpreterRequested,
    InterpreterDecided,
)
