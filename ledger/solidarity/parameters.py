"""Numbers of the solidarity rules that a regulation, an amendment or a better source may change.

They are parameters with defaults, never constants buried in a rule. Those marked UNCONFIRMED
come from ../shared/reference/pact-rules.md §5 item 16(3), where the source text was truncated:
check them against the Official Journal before relying on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

AMMR = "AMMR (EU) 2024/1351"

#: Decimal places of a stored fair share (Annex I key); the 27 rounded shares sum to exactly 1.
SHARE_PLACES = 10


@dataclass(frozen=True)
class PoolMinimum:
    """AMMR Art 12(2): the Commission proposes at least 30,000 relocations and EUR 600 million."""

    relocations: int = 30_000
    financial_cents: int = 600_000_000 * 100


@dataclass(frozen=True)
class OffsetThresholds:
    """When responsibility offsets (AMMR Art 63) become possible or mandatory.

    `requestable`: relocation pledges in the Council act over the relocations the Commission
    proposed, at or above which a benefitting member state may request offsets (63(1), 50%).
    `voluntary_fair_share`: share of its fair share of the pool's relocations a contributing
    member state must pledge as relocations to offer offsets on its own (63(2)(b), 50%).
    `mandatory`: UNCONFIRMED. After the second High-Level Forum (Art 13(4)), relocation pledges
    below this share of the proposal make offsets mandatory (63(3); believed 60%).
    `mandatory_relocations`: UNCONFIRMED alternative reading of 63(3) (pledges below an absolute
    number, believed 30,000); None leaves it out.
    """

    requestable: Decimal = Decimal("0.5")
    voluntary_fair_share: Decimal = Decimal("0.5")
    mandatory: Decimal = Decimal("0.6")
    mandatory_relocations: int | None = None


DEFAULT_POOL_MINIMUM = PoolMinimum()
DEFAULT_OFFSET_THRESHOLDS = OffsetThresholds()
