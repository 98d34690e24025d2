"""The short path for plain leaf fields (schema/execution.py) answers exactly as graphql-core's
ordinary path: the same data and the same errors, for values it completes and values it hands
back (null for a non-null field, a value its scalar refuses, an enum value it does not know)."""

from __future__ import annotations

import enum
from typing import Any

import strawberry

from schema.execution import LeafShortcutExecutionContext


@strawberry.enum
class Colour(enum.Enum):
    RED = "r"
    DARK_BLUE = "b"


@strawberry.enum(name="Size")
class Size(enum.Enum):
    SMALL = 1
    LARGE = 2


@strawberry.type
class Item:
    name: str
    maybe: str | None
    colour: Colour
    size: Size | None
    count: int
    broken_count: int  # holds a value Int cannot take
    missing: str  # non-null, holds None

    @strawberry.field
    def shout(self, suffix: str = "!") -> str:
        return self.name.upper() + suffix


def _items() -> list[Item]:
    return [
        Item(name="a", maybe=None, colour=Colour.RED, size=Size.LARGE, count=1,
             broken_count=1, missing="m"),
        Item(name="b", maybe="x", colour=Colour.DARK_BLUE, size=None, count=2,
             broken_count="many", missing=None),  # type: ignore[arg-type]
    ]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return _items()  # type: ignore[return-value]

    @strawberry.field
    def item(self) -> Item:
        return _items()[1]


DOCUMENTS = [
    "{ items { name maybe colour size count shout(suffix: \"?\") __typename } }",
    "{ items { name broken_count: brokenCount } }",
    "{ items { name missing } }",
    "{ item { colour size missing } }",
]


def _run(shortcut: bool, document: str) -> Any:
    kwargs: dict[str, Any] = {"execution_context_class": LeafShortcutExecutionContext} \
        if shortcut else {}
    result = strawberry.Schema(query=Query, **kwargs).execute_sync(document)
    errors = [(e.message, e.path) for e in result.errors or []]
    return result.data, errors


def test_the_short_path_answers_as_the_ordinary_one() -> None:
    for document in DOCUMENTS:
        assert _run(True, document) == _run(False, document), document


def test_it_does_answer_and_does_refuse() -> None:
    data, errors = _run(True, DOCUMENTS[0])
    assert data == {"items": [
        {"name": "a", "maybe": None, "colour": "RED", "size": "LARGE", "count": 1,
         "shout": "A?", "__typename": "Item"},
        {"name": "b", "maybe": "x", "colour": "DARK_BLUE", "size": None, "count": 2,
         "shout": "B?", "__typename": "Item"}]}
    assert errors == []
    data, errors = _run(True, DOCUMENTS[2])
    assert data == {"items": [{"name": "a", "missing": "m"}, None]}
    assert errors and errors[0][1] == ["items", 1, "missing"]
