"""Keyset pagination, once for every list: `PageInfo`, the generic `Edge[T]` and `Connection[T]`
(strawberry names `Edge[Case]` `CaseEdge`), one cursor codec and one way to cut a page.

A cursor is opaque to clients: base64 of `<kind>:<part>|<part>...`, the kind telling a cursor of
one list from another's. A cursor that does not decode is a GraphQL error with code BAD_CURSOR.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from graphql import GraphQLError

T = TypeVar("T")
R = TypeVar("R")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    """A page of nodes. A list that also counts its matches subclasses it with `total_count`
    and `nodes` (their descriptions name the list's nodes)."""

    edges: list[Edge[T]]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]] | None] = None

    async def count(self) -> int:
        """The matches over all pages (the page's own query does not count them)."""
        assert self._count is not None
        return int(await self._count())

    def page_nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


@dataclass(frozen=True)
class Cursor:
    """The codec of one list's cursors: `encode(*parts)`, and `decode(cursor, *types)` giving the
    parts converted by `types` (one per part)."""

    kind: str

    def encode(self, *parts: object) -> str:
        text = f"{self.kind}:" + "|".join(str(p) for p in parts)
        return base64.urlsafe_b64encode(text.encode()).decode()

    def decode(self, cursor: str, *types: Callable[[str], Any]) -> tuple[Any, ...]:
        try:
            text = base64.urlsafe_b64decode(cursor.encode()).decode()
            if not text.startswith(f"{self.kind}:"):
                raise ValueError(text)
            parts = text.removeprefix(f"{self.kind}:").split("|")
            if len(parts) != len(types):
                raise ValueError(text)
            return tuple(kind(part) for kind, part in zip(types, parts, strict=True))
        except (ValueError, UnicodeDecodeError):
            raise GraphQLError("Invalid cursor: pass an endCursor from a previous page",
                               extensions={"code": "BAD_CURSOR"}) from None


def page(rows: Sequence[R], first: int, cursor: Callable[[R], str], node: Callable[[R], T],
         edge: type[Edge[T]] = Edge) -> tuple[list[Edge[T]], PageInfo]:
    """The edges (of `edge`, for a list whose edges are named apart) and page info of a page
    read with one row more than `first`: whether there is a next page is whether it came back."""
    edges = [edge(cursor=cursor(r), node=node(r)) for r in rows[:first]]
    return edges, PageInfo(has_next_page=len(rows) > first,
                           end_cursor=edges[-1].cursor if edges else None)
