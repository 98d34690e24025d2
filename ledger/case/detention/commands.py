"""Detention: what a caller asks the ledger to record, one dataclass per step."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from ledger.case.detention.values import DetentionGround, OrderingAuthority, ReleaseReason
from ledger.command_meta import Doc


@dataclass(frozen=True)
class OrderDetention:
    """A written detention order on one legal ground (RCD Arts 10(4), 11(2); AMMR Art 44;
    Return Border Procedure Regulation Art 5), after an individual assessment found less
    coercive alternatives ineffective (RCD Art 10(2)-(3))."""

    case_id: UUID
    ground: Annotated[str, DetentionGround, Doc(
        "The legal ground: IDENTITY (RCD Art 10(4)(a)), ELEMENTS_OF_CLAIM (10(4)(b)), "
        "COMPLIANCE (10(4)(c), unconfirmed), BORDER_PROCEDURE (10(4), APR Art 54(1)), "
        "NATIONAL_SECURITY (10(4), letter unconfirmed), TRANSFER_ABSCONDING and "
        "TRANSFER_SECURITY (AMMR Art 44), RETURN_BORDER_PROCEDURE (RBPR Art 5, unconfirmed).")]
    order_ref: Annotated[str, Doc(
        "Reference of the written order stating its reasons in fact and law (RCD Art 11(2)).")]
    alternatives_ineffective: Annotated[bool, Doc(
        "The individual assessment found less coercive alternatives ineffective (RCD Art "
        "10(2)); detention is refused otherwise.")]
    ordered_by: Annotated[str, OrderingAuthority, Doc(
        "ADMINISTRATIVE (a speedy judicial review follows ex officio, RCD Art 11(3)) or "
        "JUDICIAL.")] = OrderingAuthority.ADMINISTRATIVE.value
    protects_minor: Annotated[bool, Doc(
        "For an unaccompanied minor only: detention protects the minor, as a last resort after "
        "the best-interests assessment (RCD Art 13(2)(b)).")] = False
    exceptional_situation: Annotated[bool, Doc(
        "An exceptional situation lengthens the ex officio review limit from 15 to 21 days "
        "(RCD Art 11(3)).")] = False


@dataclass(frozen=True)
class RequestDetentionReview:
    """The detained person asks a court to review the detention (RCD Art 11(3)): the court
    decides within 15 days (21 in exceptional situations) of the request."""

    case_id: UUID


@dataclass(frozen=True)
class DecideDetentionReview:
    """The court's review of the detention (RCD Art 11(3)); detention found unlawful ends at
    once (release immediate: unconfirmed, a parameter)."""

    case_id: UUID
    lawful: Annotated[bool, Doc("Whether the court found the detention lawful.")]


@dataclass(frozen=True)
class ReleaseFromDetention:
    """Detention ends (RCD Art 11(1): only while a ground applies, as short as possible)."""

    case_id: UUID
    reason: Annotated[str, ReleaseReason, Doc(
        "GROUND_CEASED (RCD Art 11(1)), ALTERNATIVE_MEASURE (Art 10(2)), MAXIMUM_DURATION, "
        "UNLAWFUL (Art 11(3)), FOUND_MINOR (Art 13(2)) or HEALTH_RISK (Art 13(1)).")]


#: This phase's commands, in the order an API lists them.
COMMANDS: tuple[type, ...] = (OrderDetention, RequestDetentionReview, DecideDetentionReview,
                              ReleaseFromDetention)
