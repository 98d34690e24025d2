"""Commands that load reference data (recorded by an EU-level administrator)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LoadRecognitionRates:
    """A version of the EU-wide first-instance recognition rates per nationality (APR Arts
    42(1)(j), 45(1)): the JSON document of `ledger/reference_data/README.md`. Its legal time
    (`occurredAt`) is when the figures were published."""

    table: Mapping[str, Any]


REFERENCE_COMMANDS: tuple[type, ...] = (LoadRecognitionRates,)
