"""What the schema logs, and what its messages may say.

Expected errors (a document GraphQL refuses, an invalid argument, a refused read) are the
client's to fix: logged at INFO in one line, without a traceback. Unexpected errors (a bug, a
database failure) are logged at ERROR with their traceback, before they are masked for the
client. No message suggests names ("Did you mean ...?"): suggestions would let anyone without
introspection read the schema's fields, arguments, types and enum values by guessing.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext
from strawberry.utils.logging import StrawberryLogger

from ledger.errors import LedgerError
from schema.error_codes import with_code
from schema.extension_hooks import CachedHooksRunner

log = logging.getLogger(__name__)

_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def expected(error: GraphQLError) -> bool:
    original = error.original_error
    return original is None or isinstance(original, (GraphQLError, LedgerError))


class LedgerSchema(strawberry.Schema):
    def create_extensions_runner(self, execution_context: ExecutionContext,
                                 extensions: list[Any]) -> CachedHooksRunner:
        """Hooks found once per extension class (`schema.extension_hooks`)."""
        return CachedHooksRunner(execution_context=execution_context, extensions=extensions)

    def _process_errors(self, errors: list[GraphQLError],
                        execution_context: ExecutionContext | None = None) -> None:
        for error in errors:
            if "Did you mean" in error.message:
                error.message = _SUGGESTION.sub("", error.message)
            with_code(error)
        self.process_errors(errors, execution_context)

    def process_errors(self, errors: list[GraphQLError],
                       execution_context: ExecutionContext | None = None) -> None:
        for error in errors:
            if expected(error):
                code = (error.extensions or {}).get("code") or getattr(
                    error.original_error, "code", "GRAPHQL_ERROR")
                log.info("refused (%s): %s", code, error.message)
            else:
                StrawberryLogger.error(error, execution_context)
