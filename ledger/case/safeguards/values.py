"""Typed values the safeguards leave on a case, and their vocabularies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum


class LegalAidKind(str, Enum):
    """APR Art 15(1): free legal counselling in the administrative procedure (Art 16), free legal
    assistance and representation on appeal (Art 17)."""

    COUNSELLING = "COUNSELLING"
    ASSISTANCE = "ASSISTANCE"


class LegalAidRefusalGround(str, Enum):
    """APR Art 17(2) (confirmed for assistance on appeal; Art 16's exclusions unconfirmed)."""

    SUFFICIENT_MEANS = "SUFFICIENT_MEANS"
    NO_SUFFICIENT_PROSPECT = "NO_SUFFICIENT_PROSPECT"
    ABUSE = "ABUSE"
    FURTHER_INSTANCE = "FURTHER_INSTANCE"  # a second or further level of appeal
    ALREADY_REPRESENTED = "ALREADY_REPRESENTED"


class InterpreterRefusalGround(str, Enum):
    """Why no interpreter is provided (the APR's interview provisions are unconfirmed in our
    sources; the anchor is Art 8(2): information in a language the applicant understands)."""

    LANGUAGE_UNDERSTOOD = "LANGUAGE_UNDERSTOOD"  # the procedure is in a language understood
    COMMUNICATION_OTHERWISE_ENSURED = "COMMUNICATION_OTHERWISE_ENSURED"


@dataclass(frozen=True)
class LegalAid:
    """One request for free legal aid. `state`: REQUESTED, GRANTED, REFUSED, CHALLENGED (a
    refusal brought before a court, Art 17(3))."""

    kind: str
    requested_at: datetime
    state: str = "REQUESTED"
    provider: str | None = None
    refusal_ground: str | None = None
    by_court: bool = False


@dataclass(frozen=True)
class Interpreter:
    """An interpreter asked for. `state`: REQUESTED, PROVIDED or REFUSED."""

    language: str
    requested_at: datetime
    state: str = "REQUESTED"
    ref: str | None = None
    refusal_ground: str | None = None


@dataclass(frozen=True)
class Safeguards:
    """When the person was told of free legal counselling (APR Art 15(2)), every legal aid
    request, and every interpreter asked for."""

    informed_at: datetime | None = None
    legal_aid: tuple[LegalAid, ...] = ()
    interpreters: tuple[Interpreter, ...] = ()

    def pending_aid(self, kind: str) -> LegalAid | None:
        return next((a for a in reversed(self.legal_aid) if a.kind == kind
                     and a.state in ("REQUESTED", "CHALLENGED")), None)

    @property
    def pending_interpreter(self) -> Interpreter | None:
        last = self.interpreters[-1] if self.interpreters else None
        return last if last is not None and last.state == "REQUESTED" else None
