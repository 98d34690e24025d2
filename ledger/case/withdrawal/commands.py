"""Withdrawal of protection: what a caller asks the ledger to record, one dataclass per step.

Commands are plain data. Fields typed `Annotated[str, SomeEnum]` take that vocabulary's values;
`Doc` attaches the sentence an API shows for a field. The GraphQL schema is generated from these
classes; each docstring says what the step records and under which article.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from ledger.case.withdrawal.values import WithdrawalGround
from ledger.command_meta import Doc


@dataclass(frozen=True)
class StartWithdrawalProcedure:
    """The authority starts reconsidering the protection granted, on a ground of QR
    (EU) 2024/1347 Art 14(1) (refugee status) or Art 19(1) (subsidiary protection)."""

    case_id: Annotated[UUID, Doc("The case whose protection is reconsidered.")]
    ground: Annotated[str, WithdrawalGround, Doc(
        "The ground: a cessation ground (QR Arts 11(1), 16), exclusion, misrepresentation, or "
        "(refugee status only) danger to security or a particularly serious crime.")]


@dataclass(frozen=True)
class InformOfWithdrawal:
    """The person is informed in writing that protection is reconsidered and why, of the duty
    to cooperate and that not cooperating does not prevent a decision (APR Art 66(1)(a)-(c))."""

    case_id: Annotated[UUID, Doc("The case whose protection is reconsidered.")]
    language: Annotated[str, Doc("The language the information was given in (APR Art 8(2)).")]


@dataclass(frozen=True)
class SubmitWithdrawalObservations:
    """The person presents the reasons why protection should not be withdrawn (APR Art
    66(1)(d))."""

    case_id: Annotated[UUID, Doc("The case whose protection is reconsidered.")]


@dataclass(frozen=True)
class DecideWithdrawal:
    """The authority withdraws the protection (QR Arts 14, 19) or discontinues the
    reconsideration. A withdrawal unmarks the person's Eurodac data (Eurodac Art 31)."""

    case_id: Annotated[UUID, Doc("The case whose protection is reconsidered.")]
    withdrawn: Annotated[bool, Doc("True: protection is withdrawn; False: it stands.")]
    compelling_reasons: Annotated[bool, Doc(
        "Compelling reasons arising from previous persecution or serious harm were shown "
        "(QR Arts 11(1) last subparagraph, 16): cessation on changed circumstances is then "
        "excluded.")] = False


#: This phase's commands, in the order an API lists them.
COMMANDS: tuple[type, ...] = (
    StartWithdrawalProcedure,
    InformOfWithdrawal,
    SubmitWithdrawalObservations,
    DecideWithdrawal,
)
