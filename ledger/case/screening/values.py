"""Typed values the screening leaves on a case: frozen, replaced by the events' `apply_step`;
encoded for the read models in one place (`projections.case_details`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScreeningChecks:
    """Screening Regulation Arts 12-15: the outcome of each check, once recorded."""

    health: str | None = None
    vulnerability: str | None = None  # NEEDS or NONE
    identity: str | None = None  # ESTABLISHED or NOT_ESTABLISHED
    security: str | None = None  # HIT or CLEAR


@dataclass(frozen=True)
class Representative:
    """Screening Art 13, AMMR Art 23(2): the representative of an unaccompanied minor."""

    kind: str
    ref: str


@dataclass(frozen=True)
class InformationGiven:
    """Screening Art 11: what the person was told, in which language."""

    topics: tuple[str, ...]
    language: str
