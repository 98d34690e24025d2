"""Where responsibility for the application stands (AMMR (EU) 2024/1351), as a typed value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TransferAppeal:
    """AMMR Art 43: an appeal against the transfer decision. `suspension` is None (not asked),
    REQUESTED, GRANTED or REFUSED (Art 43(3)); `decided_at` and `annulled` set by the final
    decision."""

    court: str
    lodged_at: datetime
    suspension: str | None = None
    decided_at: datetime | None = None
    annulled: bool | None = None


@dataclass(frozen=True)
class Responsibility:
    """The AMMR sub-state beside the examination. `state` is UNDETERMINED,
    TAKE_CHARGE_REQUESTED, TAKE_BACK_NOTIFIED, TRANSFER_PENDING, TRANSFERRED or
    RESPONSIBLE_HERE; `other` the member state asked (Arts 39, 41), cleared on a refusal or a
    contest (then named in `refused_by` / `contested_by`)."""

    state: str = "UNDETERMINED"
    other: str | None = None
    hit_based: bool | None = None
    criterion: str | None = None
    requested_at: datetime | None = None
    accepted_at: datetime | None = None
    deemed: bool = False  # Art 40, Art 41(2): silence counted as acceptance
    refused_by: str | None = None
    contested_by: str | None = None
    transfer_decision: bool = False  # Art 42
    basis: str | None = None  # why this state is responsible (Arts 16, 35, 37)
    transfer_decided_at: datetime | None = None  # Art 43(2): the appeal period runs from it
    transfer_appeal: TransferAppeal | None = None  # the latest one (Art 43)
    limit_from: datetime | None = None  # Art 46(1): the transfer limit again from a final decision
    arrived_from: str | None = None  # arrived by an AMMR transfer from there (APR Art 51(2))
