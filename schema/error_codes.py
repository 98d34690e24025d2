"""A stable machine code in `extensions.code` on every GraphQL error, so that a client switches
on the code, never on a message. Errors raised by the ledger's own resolvers carry their code
already (a refused read's, BAD_CURSOR, INVALID_INPUT, QUERY_TOO_COSTLY, ...); the errors GraphQL
itself reports (a document it cannot parse or validate, a variable of the wrong type, a limit
of the document) get theirs here, from this explicit table of what graphql-core and strawberry
say. Authentication and rate limits are refused before GraphQL runs, by the HTTP guard, in the
same shape (UNAUTHENTICATED, RATE_LIMITED)."""

from __future__ import annotations

from graphql import GraphQLError

from ledger.errors import LedgerError

#: (how the message begins or what it contains, code), first match wins.
_BY_MESSAGE: tuple[tuple[str, str], ...] = (
    ("Syntax Error: Document contains more than", "TOO_MANY_TOKENS"),
    ("Syntax Error", "GRAPHQL_PARSE_FAILED"),
    ("exceeds maximum operation depth", "QUERY_TOO_DEEP"),
    ("aliases found. Allowed", "TOO_MANY_ALIASES"),
    ("introspection has been disabled", "INTROSPECTION_DISABLED"),
    ("Variable '$", "BAD_VARIABLE"),
)


def code_of(error: GraphQLError) -> str:
    """The error's code: its own, its refusal's, or the one its kind is given here."""
    own = (error.extensions or {}).get("code")
    if isinstance(own, str):
        return own
    original = error.original_error
    if isinstance(original, LedgerError):
        return original.code
    for marker, code in _BY_MESSAGE:
        if marker in error.message:
            return code
    if original is None:  # a rule of GraphQL's validation: unknown field, missing argument...
        return "GRAPHQL_VALIDATION_FAILED"
    if isinstance(original, GraphQLError):  # a value a scalar refused (Cents, DateTime...)
        return "BAD_USER_INPUT"
    return "INTERNAL_ERROR"  # masked before it leaves (schema.build)


def with_code(error: GraphQLError) -> None:
    """Give `error` its code in `extensions` (in place: the error goes out as it is)."""
    code = code_of(error)
    if (error.extensions or {}).get("code") != code:
        error.extensions = {**(error.extensions or {}), "code": code}
