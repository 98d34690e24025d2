"""Keyset pagination, once for every list: `PageInfo`, the generic `Edge[T]` and `Connection[T]`
(strawberry names `Edge[Case]` `CaseEdge`), one cursor codec, one way to read the paging
arguments (`Window`) and one way to cut a page, forward (`first`/`after`) and backward
(`last`/`before`), as Relay's cursor connections specify.

A cursor is opaque to clients: base64 of `<kind>:<part>|<part>...`, the kind telling a cursor of
one list from another's. A cursor that does not decode is a GraphQL error with code BAD_CURSOR.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from graphql import GraphQLError

from schema.readable_rows import readable

T = TypeVar("T")
R = TypeVar("R")

#: The largest page a client may ask for (`first` or `last`), and the page given when it asks
#: for neither.
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

#: The four paging arguments of every connection field, declared once with their descriptions
#: (`first: First = None, after: After = None, last: Last = None, before: Before = None`).
First = Annotated[int | None, strawberry.argument(
    description="Page size from the start (or from `after`); at most 100, default 20.")]
After = Annotated[str | None, strawberry.argument(
    description="A cursor (`endCursor`): the page starts after it.")]
Last = Annotated[int | None, strawberry.argument(
    description="Page size from the end (or from `before`); at most 100.")]
Before = Annotated[str | None, strawberry.argument(
    description="A cursor (`startCursor`): the page ends before it.")]


@strawberry.type(description="Where a page lies in its list (Relay's cursor connections).")
class PageInfo:
    has_next_page: bool = strawberry.field(description=(
        "More items follow this page (forward paging); with `before`, true (the item of "
        "that cursor follows)."))
    end_cursor: str | None = strawberry.field(description=(
        "The last edge's cursor: pass it as `after` for the next page; null on an empty page."))
    has_previous_page: bool = strawberry.field(default=False, description=(
        "More items precede this page (backward paging); with `after`, true (the item of "
        "that cursor precedes)."))
    start_cursor: str | None = strawberry.field(default=None, description=(
        "The first edge's cursor: pass it as `before` for the previous page; null on an "
        "empty page."))


@strawberry.type(description="One item of a page and its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque position of this item in its list.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list, with cursors to page forward and backward.")
class Connection(Generic[T]):
    """A page of nodes. A list that also counts its matches subclasses it with `total_count`
    and `nodes` (their descriptions name the list's nodes)."""

    edges: list[Edge[T]] = strawberry.field(description="The page's items with their cursors.")
    page_info: PageInfo = strawberry.field(description="Where the page lies in its list.")
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
            raise GraphQLError("Invalid cursor: pass a startCursor or endCursor from a previous "
                               "page of the same list", extensions={"code": "BAD_CURSOR"}
                               ) from None


@dataclass(frozen=True)
class Window:
    """A page asked for, in the list's own order: `size` items after the key `after` and before
    the key `before` (decoded cursors; None: the list's start or end), from the end nearest
    `before` when `backward` (`last`). Queries fetch `size + 1` rows in their reading order
    (reversed when backward) so that `page` can tell whether more follow."""

    size: int
    after: tuple[Any, ...] | None = None
    before: tuple[Any, ...] | None = None
    backward: bool = False


def window(cursor: Cursor, types: Sequence[Callable[[str], Any]], first: int | None,
           after: str | None, last: int | None = None, before: str | None = None) -> Window:
    """The window of a connection field's arguments: `first` (with `after`) pages forward,
    `last` (with `before`) backward; both cursors may bound either. Neither size: the first
    `DEFAULT_PAGE_SIZE`."""
    if first is not None and last is not None:
        raise GraphQLError("Give `first` or `last`, not both",
                           extensions={"code": "BAD_PAGE"})
    for name, size in (("first", first), ("last", last)):
        if size is not None and not 1 <= size <= MAX_PAGE_SIZE:
            raise GraphQLError(f"`{name}` must be between 1 and {MAX_PAGE_SIZE}",
                               extensions={"code": "BAD_PAGE"})
    size = last if last is not None else first if first is not None else DEFAULT_PAGE_SIZE
    return Window(size=size,
                  after=cursor.decode(after, *types) if after is not None else None,
                  before=cursor.decode(before, *types) if before is not None else None,
                  backward=last is not None)


def page(rows: Sequence[R], first: int | Window, cursor: Callable[[R], str],
         node: Callable[[R], T], edge: type[Edge[T]] = Edge) -> tuple[list[Edge[T]], PageInfo]:
    """The edges (of `edge`, for a list whose edges are named apart) and page info of a page
    read with one row more than its size: whether more follow is whether it came back. `first`:
    the window (or a forward page's size); backward rows come nearest-`before` first."""
    w = first if isinstance(first, Window) else Window(size=first)
    kept = list(rows[:w.size])
    if w.backward:
        kept.reverse()
    edges = [edge(cursor=cursor(r), node=n) for r, n in readable(kept, node, cursor)]
    more = len(rows) > w.size
    return edges, PageInfo(
        has_next_page=more if not w.backward else w.before is not None,
        has_previous_page=more if w.backward else w.after is not None,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None)
