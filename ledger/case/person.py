"""The person a case is about, as the command that opens the case gives it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from ledger.command_meta import Doc


@dataclass(frozen=True)
class Person:
    nationality: Annotated[str, Doc("ISO 3166-1 alpha-2 code; XX if unknown or stateless.")]
    date_of_birth: date | None = None
    unaccompanied_minor: bool = False
    family_name: str | None = None
    given_names: str | None = None
