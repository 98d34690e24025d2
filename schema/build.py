"""The schema object, with the extensions that keep it fast and safe.

Parsing and validation are cached (most clients send the same few documents); unexpected errors
are masked so that no stack trace or SQL reaches a client, while GraphQL's own errors (bad
arguments, unknown fields, our `GraphQLError`s) pass through with their messages.
"""

from __future__ import annotations

from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from schema.audit import AuditQuery
from schema.crisis_mutation import CrisisMutation
from schema.deadline_query import DeadlineQuery
from schema.integrity import IntegrityQuery
from schema.mutation import CaseMutation
from schema.query import CaseQuery
from schema.results import (
    CaseAlreadyExists,
    CaseNotFound,
    ConcurrentChange,
    InvalidInput,
    RuleViolation,
)
from schema.solidarity_enums import SCALARS as SOLIDARITY_SCALARS
from schema.solidarity_mutation import SolidarityMutation
from schema.solidarity_query import SolidarityQuery
from schema.statistics import StatisticsQuery

SDL_PATH = Path(__file__).with_name("schema.graphql")


def _is_unexpected(error: GraphQLError) -> bool:
    """Mask only errors that did not come from GraphQL itself or from us on purpose."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def _mask_errors() -> MaskErrors:
    return MaskErrors(
        should_mask_error=_is_unexpected,
        error_message="Internal error; it has been logged. Nothing was recorded by this field.",
    )


#: Each feature contributes its own query and mutation types; they are merged into one root each.
Query = merge_types("Query", (CaseQuery, AuditQuery, StatisticsQuery, DeadlineQuery,
                              SolidarityQuery, IntegrityQuery))
Mutation = merge_types("Mutation", (CaseMutation, CrisisMutation, SolidarityMutation))

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    types=[RuleViolation, InvalidInput, CaseNotFound, CaseAlreadyExists, ConcurrentChange],
    extensions=[
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        _mask_errors,
    ],
    config=StrawberryConfig(scalar_map={**SOLIDARITY_SCALARS}),
)


def sdl() -> str:
    return schema.as_str() + "\n"


def export(path: Path = SDL_PATH) -> Path:
    path.write_text(sdl(), encoding="utf-8")
    return path
