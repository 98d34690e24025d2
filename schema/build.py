"""The schema object, with the extensions that keep it fast and safe.

Parsing and validation are cached (most clients send the same few documents). Documents are
limited in tokens, depth and aliases; introspection is off unless GraphiQL is served (it needs
it). Unexpected errors are masked so that no stack trace or SQL reaches a client, while
GraphQL's own errors (bad arguments, unknown fields, our `GraphQLError`s) pass through with their
messages, and a refused read (`ledger.errors.LedgerError`) keeps its message and code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import strawberry
from graphql import GraphQLError, NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
    max_aliases,
    query_depth_limiter,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from ledger.errors import LedgerError
from schema.access_log.queries import AccessLogQuery
from schema.cases.mutations import CaseMutation
from schema.cases.queries import CaseQuery
from schema.deadlines.mutations import CrisisMutation
from schema.deadlines.queries import DeadlineQuery
from schema.integrity.queries import IntegrityQuery
from schema.results import (
    CaseAlreadyExists,
    CaseNotFound,
    ConcurrentChange,
    Forbidden,
    InvalidInput,
    RuleViolation,
)
from schema.rules import RulesQuery
from schema.scalars import SCALARS
from schema.solidarity.mutations import SolidarityMutation
from schema.solidarity.queries import SolidarityQuery
from schema.statistics.queries import StatisticsQuery
from schema.timeline.audit import AuditQuery
from schema.timeline.queries import TimelineQuery

SDL_PATH = Path(__file__).with_name("schema.graphql")

#: Limits on a document: the deepest legitimate query (a case list's deadlines, a balance
#: line's entries) is 5 levels deep and the largest front-end document far below these.
MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_TOKENS = 2000

# Built once: rule classes made per request would make ValidationCache miss every time.
_LIMITS = (query_depth_limiter.create_validator(MAX_DEPTH, None),
           max_aliases.create_validator(MAX_ALIASES))
_RULES = {True: list(_LIMITS), False: [*_LIMITS, NoSchemaIntrospectionCustomRule]}


class _Errors(MaskErrors):
    """Masks unexpected errors; a refusal raised by a read keeps its message and code."""

    def __init__(self) -> None:
        super().__init__(
            should_mask_error=self._handled,
            error_message="Internal error; it has been logged. Nothing was recorded by this "
                          "field.")

    @staticmethod
    def _handled(error: GraphQLError) -> bool:
        original = error.original_error
        return original is not None and not isinstance(original, GraphQLError)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, LedgerError):
            return GraphQLError(original.message, nodes=error.nodes, source=error.source,
                                positions=error.positions, path=error.path,
                                extensions={"code": original.code})
        return super().anonymise_error(error)


#: Each feature contributes its own query and mutation types; they are merged into one root each,
#: in this order (the order of the root fields in the SDL).
Query = merge_types("Query", (CaseQuery, TimelineQuery, RulesQuery, AuditQuery, StatisticsQuery,
                              DeadlineQuery, SolidarityQuery, IntegrityQuery, AccessLogQuery))
Mutation = merge_types("Mutation", (CaseMutation, CrisisMutation, SolidarityMutation))


@cache
def build_schema(introspection: bool = False) -> strawberry.Schema:
    """The schema; with `introspection` for GraphiQL (the documents' limits apply either way)."""
    rules = _RULES[introspection]
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=[RuleViolation, InvalidInput, CaseNotFound, CaseAlreadyExists, ConcurrentChange,
               Forbidden],
        extensions=[
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: ParserCache(maxsize=256),
            lambda: AddValidationRules(rules),
            lambda: ValidationCache(maxsize=256),
            _Errors,
        ],
        config=StrawberryConfig(scalar_map={**SCALARS},
                                disable_field_suggestions=True),
    )


schema = build_schema()


def sdl() -> str:
    return schema.as_str() + "\n"


def export(path: Path = SDL_PATH) -> Path:
    path.write_text(sdl(), encoding="utf-8")
    return path
