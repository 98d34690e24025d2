"""The vocabularies of detention, reception conditions and age assessment (issue 11 part 5) as
GraphQL enums, each with its legal source; `schema.enums.VOCABULARIES` includes them."""

from __future__ import annotations

from enum import Enum

import strawberry

from ledger.case.age_assessment.values import AgeAssessmentMethod, AgeAssessmentResult
from ledger.case.detention.values import GROUNDS, DetentionGround, OrderingAuthority, ReleaseReason
from ledger.case.reception.values import (
    REDUCTION_ARTICLES,
    AllocationKind,
    ReductionGround,
    ReductionMeasure,
    ResidenceGround,
)

strawberry.enum(
    DetentionGround, name="DetentionGround",
    description="Legal ground of a detention order: " + "; ".join(
        f"{code}: {g.act} {g.article}" for code, g in GROUNDS.items()))
strawberry.enum(
    OrderingAuthority, name="DetentionOrderedBy",
    description="Who ordered detention; an administrative order is reviewed by a court "
                "(RCD Art 11(3)).")
strawberry.enum(
    ReleaseReason, name="DetentionReleaseReason",
    description="Why detention ended (RCD Arts 10(2), 11(1), 11(3), 13).")
strawberry.enum(
    AllocationKind, name="ReceptionAllocationKind",
    description="Accommodation (RCD Art 7, number unconfirmed), a geographical area (Art 8) or "
                "a specific place of residence (Art 9).")
strawberry.enum(
    ResidenceGround, name="ResidenceGround",
    description="Why a specific place of residence is imposed (RCD Art 9(1)).")
strawberry.enum(
    ReductionMeasure, name="ReductionMeasure",
    description="Reduce or withdraw material reception conditions (RCD Art 23, unconfirmed).")
strawberry.enum(
    ReductionGround, name="ReceptionReductionGround",
    description="Ground to reduce or withdraw material reception conditions: " + "; ".join(
        f"{code}: RCD {article}" for code, article in REDUCTION_ARTICLES.items()))
strawberry.enum(
    AgeAssessmentMethod, name="AgeAssessmentMethod",
    description="Multidisciplinary first; medical only as a last resort (APR Art 25(2)).")
strawberry.enum(
    AgeAssessmentResult, name="AgeAssessmentResult",
    description="Minor, adult, or presumed a minor by the benefit of the doubt (APR Art 25).")

#: This module's vocabularies, for `schema.enums.VOCABULARIES`.
CUSTODY_VOCABULARIES: frozenset[type[Enum]] = frozenset({
    DetentionGround, OrderingAuthority, ReleaseReason, AllocationKind, ResidenceGround,
    ReductionMeasure, ReductionGround, AgeAssessmentMethod, AgeAssessmentResult})
