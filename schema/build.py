"""The schema object, with the extensions that keep it fast and safe.

Parsing and validation are cached (most clients send the same few documents). Documents are
limited in tokens, depth and aliases; introspection is off unless GraphiQL is served (it needs
it). Unexpected errors are masked so that no stack trace or SQL reaches a client, while
GraphQL's own errors (bad arguments, unknown fields, our `GraphQLError`s) pass through with their
messages, and a refused read (`ledger.errors.LedgerError`) keeps its message and code.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import strawberry
from graphql import GraphQLError, NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    max_aliases,
    query_depth_limiter,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types.graphql import OperationType

from ledger.errors import LedgerError
from projections.consistency import CommandNotSettled
from projections.db import DatabaseUnavailable
from schema.access_log.queries import AccessLogQuery
from schema.cases.mutations import CaseMutation
from schema.cases.queries import CaseQuery
from schema.cost import CostLimit
from schema.deadlines.mutations import CrisisMutation
from schema.deadlines.queries import DeadlineQuery
from schema.descriptions import describe
from schema.error_log import LedgerSchema
from schema.execution import LeafShortcutExecutionContext
from schema.integrity.queries import IntegrityQuery
from schema.node_query import NodeQuery
from schema.personal_data.queries import PersonalDataQuery
from schema.resettlement.mutations import ResettlementMutation
from schema.resettlement.queries import ResettlementQuery
from schema.results import (
    CaseAlreadyExists,
    CaseNotFound,
    ConcurrentChange,
    Forbidden,
    InvalidInput,
    NotRecorded,
    RuleViolation,
)
from schema.rules import RulesQuery
from schema.scalars import SCALARS
from schema.solidarity.mutations import SolidarityMutation
from schema.solidarity.queries import SolidarityQuery
from schema.statistics.queries import StatisticsQuery
from schema.subscriptions.fields import Subscription
from schema.timeline.audit import AuditQuery
from schema.timeline.details import SCHEMA_TYPES as EVENT_DETAIL_TYPES
from schema.timeline.queries import TimelineQuery
from schema.validation_cache import DocumentValidationCache

SDL_PATH = Path(__file__).with_name("schema.graphql")

#: Limits on a document: the deepest legitimate query (a case list's deadlines, a balance
#: line's entries) is 5 levels deep and the largest front-end document far below these.
MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_TOKENS = 2000

# Built once: rule classes made per request would make the validation cache miss every time.
_LIMITS = (query_depth_limiter.create_validator(MAX_DEPTH, None),
           max_aliases.create_validator(MAX_ALIASES), CostLimit)
_RULES = {True: list(_LIMITS), False: [*_LIMITS, NoSchemaIntrospectionCustomRule]}


#: What a masked error says: only what is known. A query records nothing; an error inside a
#: mutation's field may come after its command was recorded (the result then never arrives).
_MASKED = {
    False: "Internal error; it has been logged.",
    True: "Internal error; it has been logged. Whether this field's command was recorded is "
          "not known: send it again with the same commandId (a command id is recorded at most "
          "once), never with a new one.",
}


class _Errors(MaskErrors):
    """Masks unexpected errors; a refusal raised by a read keeps its message and code."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=self._handled, error_message=_MASKED[False])

    def on_operation(self) -> Iterator[None]:
        self.error_message = _MASKED[False]
        yield
        try:
            mutation = self.execution_context.operation_type == OperationType.MUTATION
        except Exception:  # no operation could be told from the document
            mutation = False
        self.error_message = _MASKED[mutation]
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = self._process_errors(errors)

    @staticmethod
    def _handled(error: GraphQLError) -> bool:
        original = error.original_error
        return original is not None and not isinstance(original, GraphQLError)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, CommandNotSettled):  # known, and said as it is known
            return GraphQLError(original.message, nodes=error.nodes, source=error.source,
                                positions=error.positions, path=error.path,
                                extensions={"code": original.code,
                                            "commandId": original.command_id})
        if isinstance(original, DatabaseUnavailable):
            return GraphQLError("The database did not answer in time (unavailable or "
                                "overloaded); nothing was read. Try again shortly.",
                                nodes=error.nodes, source=error.source,
                                positions=error.positions, path=error.path,
                                extensions={"code": "DATABASE_UNAVAILABLE"})
        if isinstance(original, LedgerError):
            return GraphQLError(original.message, nodes=error.nodes, source=error.source,
                                positions=error.positions, path=error.path,
                                extensions={"code": original.code})
        mutation = self.error_message == _MASKED[True]
        return GraphQLError(self.error_message, nodes=error.nodes, source=error.source,
                            positions=error.positions, path=error.path,
                            extensions={"code": "INTERNAL_ERROR",
                                        "recorded": "UNKNOWN" if mutation else "NO"})


#: Each feature contributes its own query and mutation types; they are merged into one root each,
#: in this order (the order of the root fields in the SDL).
Query = merge_types("Query", (NodeQuery, CaseQuery, TimelineQuery, RulesQuery, AuditQuery,
                              StatisticsQuery, DeadlineQuery, SolidarityQuery, IntegrityQuery,
                              AccessLogQuery, PersonalDataQuery, ResettlementQuery))
Mutation = merge_types("Mutation", (CaseMutation, CrisisMutation, SolidarityMutation,
                                    ResettlementMutation))


@cache
def build_schema(introspection: bool = False) -> strawberry.Schema:
    """The schema; with `introspection` for GraphiQL (the documents' limits apply either way)."""
    rules = _RULES[introspection]
    built = LedgerSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,  # live updates over WebSocket (pact_ledger.live)
        types=[RuleViolation, InvalidInput, CaseNotFound, CaseAlreadyExists, ConcurrentChange,
               Forbidden, NotRecorded, *EVENT_DETAIL_TYPES],
        extensions=[
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: ParserCache(maxsize=256),
            lambda: AddValidationRules(rules),
            DocumentValidationCache,
            _Errors,
        ],
        execution_context_class=LeafShortcutExecutionContext,
        config=StrawberryConfig(scalar_map={**SCALARS},
                                disable_field_suggestions=True),
    )
    describe(built._schema)
    return built


schema = build_schema()


def sdl() -> str:
    return schema.as_str() + "\n"


def export(path: Path = SDL_PATH) -> Path:
    path.write_text(sdl(), encoding="utf-8")
    return path
