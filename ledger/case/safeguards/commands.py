"""Safeguards: what a caller asks the ledger to record, one dataclass per step.

Commands are plain data. Fields typed `Annotated[str, SomeEnum]` take that vocabulary's values;
`Doc` attaches the sentence an API shows for a field. The GraphQL schema is generated from these
classes; each docstring says what the step records and under which article.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from ledger.case.safeguards.values import (
    InterpreterRefusalGround,
    LegalAidKind,
    LegalAidRefusalGround,
)
from ledger.command_meta import Doc


@dataclass(frozen=True)
class InformOfLegalCounselling:
    """The applicant is told of the right to free legal counselling, as soon as possible and at
    the latest at registration (APR Arts 8(2), 15(2))."""

    case_id: Annotated[UUID, Doc("The applicant's case.")]
    language: Annotated[str, Doc("The language the information was given in (APR Art 8(2)).")]


@dataclass(frozen=True)
class RequestLegalAid:
    """The applicant asks for free legal counselling in the administrative procedure (APR Art
    16) or free legal assistance and representation on appeal (Art 17) (Art 15(1))."""

    case_id: Annotated[UUID, Doc("The applicant's case.")]
    kind: Annotated[str, LegalAidKind, Doc(
        "COUNSELLING (administrative procedure, Art 16) or ASSISTANCE (appeal, Art 17).")]


@dataclass(frozen=True)
class DecideLegalAid:
    """The pending request for legal aid is granted, with its provider (APR Art 19(1)), or
    refused on a ground the law allows (Art 17(2))."""

    case_id: Annotated[UUID, Doc("The applicant's case.")]
    kind: Annotated[str, LegalAidKind, Doc("Which pending request is decided.")]
    granted: Annotated[bool, Doc("True: legal aid is granted.")]
    provider: Annotated[str | None, Doc(
        "When granted: the legal adviser or accredited organisation (Art 19(1)).")] = None
    refusal_ground: Annotated[str | None, LegalAidRefusalGround, Doc(
        "When refused: the ground (Art 17(2)).")] = None
    by_court: Annotated[bool, Doc(
        "Decided by a court (a refusal by a court is not challenged under Art 17(3)).")] = False


@dataclass(frozen=True)
class ChallengeLegalAidRefusal:
    """A refusal of legal assistance by an authority other than a court, on the ground that the
    appeal has no sufficient prospect, is brought before a court (APR Art 17(3))."""

    case_id: Annotated[UUID, Doc("The applicant's case.")]


@dataclass(frozen=True)
class RequestInterpreter:
    """The applicant asks for an interpreter (APR Art 8(2): information in a language
    understood; the interview provisions on interpreters are unconfirmed in our sources)."""

    case_id: Annotated[UUID, Doc("The applicant's case.")]
    language: Annotated[str, Doc("The language asked for.")]


@dataclass(frozen=True)
class DecideInterpreter:
    """The pending request for an interpreter is met or refused with a ground."""

    case_id: Annotated[UUID, Doc("The applicant's case.")]
    provided: Annotated[bool, Doc("True: an interpreter is provided.")]
    interpreter_ref: Annotated[str | None, Doc(
        "When provided: the interpreter's reference (no name).")] = None
    refusal_ground: Annotated[str | None, InterpreterRefusalGround, Doc(
        "When refused: why no interpreter is needed.")] = None


#: This phase's commands, in the order an API lists them.
COMMANDS: tuple[type, ...] = (
    InformOfLegalCounselling,
    RequestLegalAid,
    DecideLegalAid,
    ChallengeLegalAidRefusal,
    RequestInterpreter,
    DecideInterpreter,
)
