"""Relocation of the person (AMMR (EU) 2024/1351 Arts 67-68), a solidarity measure. It runs
beside the procedure (`case.relocation`); only the arrival ends the procedure here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.event_base import CaseEvent, stable
from ledger.case.phase import Phase
from ledger.vocabulary import CaseStatus

if TYPE_CHECKING:
    from ledger.case.state import CaseState


def _set(case: CaseState, state: str, **details: object) -> None:
    case.relocation = {**(case.relocation or {}), "state": state, **details}



class RelocationEvent(CaseEvent):
    """An event of this phase; the timeline shows it under `RELOCATION`."""

    phase = Phase.RELOCATION


@stable("RelocationSelected")
class RelocationSelected(RelocationEvent):
    """Art 67(4)-(5): the benefiting state identifies the person for relocation."""

    relocation_member_state: str

    def apply_step(self, case: CaseState) -> None:
        _set(case, "SELECTED", member_state=self.relocation_member_state)


@stable("RelocationAccepted")
class RelocationAccepted(RelocationEvent):
    def apply_step(self, case: CaseState) -> None:
        _set(case, "ACCEPTED")


@stable("RelocationTransferred")
class RelocationTransferred(RelocationEvent):
    """Art 67(11): the transfer to the relocation member state."""

    def apply_step(self, case: CaseState) -> None:
        _set(case, "TRANSFERRED")


@stable("RelocationArrived")
class RelocationArrived(RelocationEvent):
    """Art 68(1): the relocation member state reports safe arrival; it becomes responsible
    (Art 68(2)) and its solidarity account is credited once for this case."""

    def apply_step(self, case: CaseState) -> None:
        _set(case, "ARRIVED")
        case.status = CaseStatus.RELOCATED


@stable("RelocationNoShow")
class RelocationNoShow(RelocationEvent):
    """Art 68(1): the person did not appear; the procedure here goes on."""

    def apply_step(self, case: CaseState) -> None:
        _set(case, "NO_SHOW")


@stable("RelocationCancelled")
class RelocationCancelled(RelocationEvent):
    """The relocation member state refused or the selection was withdrawn."""

    reason: str

    def apply_step(self, case: CaseState) -> None:
        _set(case, "CANCELLED", reason=self.reason)


#: This phase's events (each pinned to its stable topic).
EVENTS: tuple[type[RelocationEvent], ...] = (
    RelocationSelected,
    RelocationAccepted,
    RelocationTransferred,
    RelocationArrived,
    RelocationNoShow,
    RelocationCancelled,
)
