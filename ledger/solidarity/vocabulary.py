"""The closed vocabularies of the solidarity ledger; events store their `.value` strings."""

from __future__ import annotations

from enum import Enum


class SolidarityType(str, Enum):
    """The three types of solidarity measure, of equal value (AMMR Art 56(2))."""

    RELOCATION = "RELOCATION"  # (a), counted in persons
    FINANCIAL = "FINANCIAL"  # (b), in euro cents
    ALTERNATIVE = "ALTERNATIVE"  # (c), valued in euro cents


class CycleStage(str, Enum):
    """Where the annual cycle stands; each stage is entered by one Union-level step."""

    REPORT_ADOPTED = "REPORT_ADOPTED"  # Art 9
    SITUATION_DECIDED = "SITUATION_DECIDED"  # Art 11
    POOL_PROPOSED = "POOL_PROPOSED"  # Art 12
    FORUM_CONVENED = "FORUM_CONVENED"  # Art 13
    POOL_ESTABLISHED = "POOL_ESTABLISHED"  # Art 57
    CLOSED = "CLOSED"


class OffsetMode(str, Enum):
    """Under which paragraph of AMMR Art 63 a case's responsibility moved as an offset."""

    REQUESTED = "REQUESTED"  # 63(1): the benefitting member state asked
    VOLUNTARY = "VOLUNTARY"  # 63(2): the contributing member state offered
    MANDATORY = "MANDATORY"  # 63(3): relocation pledges stayed below the threshold


class DeductionGround(str, Enum):
    """Why a contributing member state asks to deduct its pledges."""

    MIGRATORY_PRESSURE = "MIGRATORY_PRESSURE"  # Art 61
    SIGNIFICANT_MIGRATORY_SITUATION = "SIGNIFICANT_MIGRATORY_SITUATION"  # Art 62


class BenefitBasis(str, Enum):
    """How a member state came to benefit from the pool."""

    LISTED_UNDER_PRESSURE = "LISTED_UNDER_PRESSURE"  # Art 58: named in the Art 11 decision
    NEED_NOTIFIED = "NEED_NOTIFIED"  # Art 59: notified its need, found under pressure (59(4))


class BalanceEffect(str, Enum):
    """What an account event does to its balance lines."""

    PLEDGED = "PLEDGED"  # adds to what is owed on its line
    DELIVERED = "DELIVERED"  # counts against what is owed on its line
    DEDUCTED = "DEDUCTED"  # a deduction granted (Arts 61-62) reduces every line
    EXEMPTED = "EXEMPTED"  # benefiting (Arts 58-59): nothing is owed (Art 60(3))
