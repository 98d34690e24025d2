"""The short path for objects, lists, unions and interfaces (schema/execution.py) answers exactly
as graphql-core's ordinary path: the same data and the same errors (message, path, locations) for
nested objects, lists of objects and of lists, nulls in non-null places (propagated to the
nearest nullable parent), resolvers that raise, values of the wrong type, union and interface
members given as their exact class, as a subclass, as a `strawberry.cast` or as something else,
awaitable fields and items, and fields under directives."""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Annotated, Any

import strawberry

from schema.execution import NEEDS_INFO, LeafShortcutExecutionContext, short_path


@strawberry.enum
class Colour(enum.Enum):
    RED = "r"
    BLUE = "b"


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Owner(Named):
    age: int | None


@strawberry.type
class Robot(Named):
    serial: str


class Cyborg(Robot):  # a plain subclass: strawberry finds it by isinstance, not by class
    pass


@strawberry.type
class Numbers:
    """Values that the scalars pass through, convert or refuse."""

    small: int
    big: int  # beyond 32 bits: refused
    flag_as_int: int  # a bool: converted to 0/1
    text: str
    number_as_text: str  # an int: converted
    key: strawberry.ID
    number_as_key: strawberry.ID
    yes: bool
    one_as_bool: bool  # an int: converted
    ratio: float
    when: datetime
    day: date | None


@strawberry.type
class Cat:
    lives: int
    colour: Colour


@strawberry.type
class Dog:
    good: bool
    tags: list[str]


class _Other:
    name = "nobody"
    lives = 1


def _short_label(item: Item) -> Any:
    """The short answer of `Item.label`: none for i3 (the resolver runs, with its info); a
    null for i5 (a non-null field: the resolver's way raises the error)."""
    return NEEDS_INFO if item.name == "i3" else None if item.name == "i5" else \
        {"name": item.name, "n": [1, 2]}


def _short_owner(item: Item) -> Any:
    return NEEDS_INFO if item.name == "i2" else item.owner


@strawberry.type
class Labelled:
    @strawberry.field
    @short_path(_short_label)
    def label(self, info: strawberry.Info) -> strawberry.scalars.JSON:
        short = _short_label(self)  # type: ignore[arg-type]
        if short is not NEEDS_INFO:
            return short  # type: ignore[no-any-return]
        return {"name": self.name, "at": str(info.path.as_list())}  # type: ignore[attr-defined]

    @strawberry.field
    @short_path(_short_owner)
    def short_owner(self, info: strawberry.Info) -> Owner | None:
        short = _short_owner(self)  # type: ignore[arg-type]
        return self.owner if short is NEEDS_INFO else short  # type: ignore[attr-defined, no-any-return]


Pet = Annotated[Cat | Dog, strawberry.union("Pet")]


class _NotOnI4(strawberry.BasePermission):
    message = "not on i4"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return bool(source.name != "i4")


@strawberry.type
class Item(Labelled):
    name: str
    owner: Owner | None
    strict_owner: Owner
    colours: list[Colour]
    maybe_colours: list[Colour | None] | None
    grid: list[list[int | None]]
    pets: list[Pet | None]
    strict_pets: list[Pet]
    pet: Pet | None
    named: Named | None
    named_list: list[Named]
    sequence: list[int] | None  # holds a tuple or a generator

    @strawberry.field
    def failing(self) -> Owner | None:
        raise ValueError("no owner today")

    @strawberry.field
    def where(self, info: strawberry.Info) -> str:  # resolvers called directly: info, path
        return f"{self.name}@{'.'.join(str(k) for k in info.path.as_list())}"

    @strawberry.field
    @staticmethod
    def rooted(root: Item, info: strawberry.Info) -> list[Owner | None]:
        return [root.owner, None] if root.name != "i5" else None  # type: ignore[return-value]

    @strawberry.field(permission_classes=[_NotOnI4])
    def guarded(self) -> Owner | None:  # a permission: strawberry's own way
        return self.owner

    @strawberry.field
    async def later(self) -> Owner | None:
        await asyncio.sleep(0)
        return self.owner

    @strawberry.field
    async def strict_later(self) -> Owner:
        await asyncio.sleep(0)
        return self.owner  # type: ignore[return-value]


def _gen() -> Iterator[int]:
    yield from (1, 2, 3)


def _item(i: int) -> Item:
    owner = Owner(name=f"o{i}", age=None if i % 2 else 40)
    return Item(
        name=f"i{i}",
        owner=owner if i != 2 else None,
        strict_owner=owner if i != 3 else None,  # type: ignore[arg-type]
        colours=[Colour.RED, Colour.BLUE] if i != 4 else [Colour.RED, "purple"],  # type: ignore[list-item]
        maybe_colours=[Colour.BLUE, None] if i else None,
        grid=[[1, None], [3]] if i != 5 else [[1], None],  # type: ignore[list-item]
        pets=[Cat(lives=9, colour=Colour.RED), None, Dog(good=True, tags=["a"])]
        + ([_Other()] if i == 6 else [])  # type: ignore[list-item]
        + ([strawberry.cast(Dog, _Other())] if i == 7 else []),  # type: ignore[list-item]
        strict_pets=[Cat(lives=1, colour=Colour.BLUE)] + ([None] if i == 1 else []),  # type: ignore[list-item]
        pet=Dog(good=False, tags=[]) if i % 3 else None,
        named=(owner, Robot(name="r", serial="s1"), Cyborg(name="c", serial="s2"), None,
               Dog(good=True, tags=[]))[i % 5],  # type: ignore[arg-type]
        named_list=[Robot(name="r", serial="s"), Cyborg(name="c", serial="t"), owner]
        + ([Cat(lives=2, colour=Colour.RED)] if i == 8 else []),  # type: ignore[list-item]
        sequence=(4, 5) if i % 2 else (_gen() if i == 4 else [7]),  # type: ignore[arg-type]
    )


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return [_item(i) for i in range(10)]  # type: ignore[return-value]

    @strawberry.field
    def strict_items(self) -> list[Item]:
        return [_item(i) for i in range(10)]

    @strawberry.field
    def item(self, i: int) -> Item:
        return _item(i)

    @strawberry.field
    async def async_items(self) -> list[Item | None]:
        await asyncio.sleep(0)
        return [_item(i) for i in range(10)]  # type: ignore[return-value]

    @strawberry.field
    def owner_as_robot(self) -> Robot | None:
        return Owner(name="x", age=1)  # type: ignore[return-value]

    @strawberry.field
    def numbers(self) -> list[Numbers]:
        return [Numbers(small=-(2**31), big=2**40, flag_as_int=True, text="t",  # type: ignore[arg-type]
                        number_as_text=5, key=strawberry.ID("k"), number_as_key=7,  # type: ignore[arg-type]
                        yes=False, one_as_bool=1, ratio=0.5,  # type: ignore[arg-type]
                        when=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), day=date(2026, 1, 2)),
                Numbers(small=2**31 - 1, big=2**31, flag_as_int=False, text="",  # type: ignore[arg-type]
                        number_as_text=True, key=strawberry.ID(""), number_as_key=1.0,  # type: ignore[arg-type]
                        yes=True, one_as_bool=0, ratio=float("nan"),  # type: ignore[arg-type]
                        when="not a time", day=None)]  # type: ignore[arg-type]

    @strawberry.field
    def robots(self) -> list[Robot]:
        return [Robot(name="a", serial="1"), Cyborg(name="b", serial="2")]


_OWNER = "name age __typename"
_PETS = "__typename ... on Cat { lives colour } ... on Dog { good tags }"
DOCUMENTS = [
    f"{{ items {{ name owner {{ {_OWNER} }} colours maybeColours grid sequence }} }}",
    f"{{ items {{ name strictOwner {{ {_OWNER} }} }} }}",
    f"{{ strictItems {{ name strictOwner {{ {_OWNER} }} }} }}",
    "{ items { name colours } }",
    "{ strictItems { name grid } }",
    f"{{ items {{ name pets {{ {_PETS} }} }} }}",
    f"{{ items {{ name strictPets {{ {_PETS} }} pet {{ {_PETS} }} }} }}",
    "{ items { name named { __typename name ... on Robot { serial } ... on Owner { age } } } }",
    "{ items { namedList { __typename name ... on Robot { serial } } } }",
    "{ items { failing { name } owner { name } } }",
    f"{{ items {{ where rooted {{ {_OWNER} }} guarded {{ name }} }} }}",
    "{ strictItems { where } item(i: 4) { guarded { name } rooted { name } } }",
    f"{{ items {{ later {{ {_OWNER} }} strictLater {{ name }} }} }}",
    f"{{ asyncItems {{ name owner {{ {_OWNER} }} pets {{ {_PETS} }} }} }}",
    "{ item(i: 3) { name strictOwner { name } } }",
    "{ item(i: 1) { a: owner { n: name } b: owner { age } owner { name } } }",
    "query($yes: Boolean!) { items { owner @include(if: $yes) { name } "
    "strictOwner @skip(if: $yes) { name } } }",
    "fragment O on Owner { name age } { items { owner { ...O } strictOwner { ...O } } }",
    "{ ownerAsRobot { name serial } robots { __typename name serial } }",
    "{ numbers { small flagAsInt text numberAsText key numberAsKey yes oneAsBool } }",
    "{ numbers { small big } }",
    "{ numbers { ratio text } }",
    "{ numbers { when day text } }",
    # several types in one list, each with its own selection (collected once per type)
    "{ items { namedList { __typename ... on Robot { serial } ... on Owner { name age } } } }",
    # resolvers marked `short_path`: answered without an info, or by the resolver
    f"{{ items {{ name label shortOwner {{ {_OWNER} }} }} }}",
    "{ strictItems { label } }",
]


def _run(shortcut: bool, document: str) -> Any:
    kwargs: dict[str, Any] = {"execution_context_class": LeafShortcutExecutionContext} \
        if shortcut else {}
    schema = strawberry.Schema(query=Query, types=[Owner, Robot], **kwargs)
    result = asyncio.run(schema.execute(document, variable_values={"yes": True}))
    errors = sorted((e.message, e.path, [(loc.line, loc.column) for loc in e.locations or []])
                    for e in result.errors or [])
    return result.data, errors


def test_the_short_path_answers_as_the_ordinary_one() -> None:
    for document in DOCUMENTS:
        assert _run(True, document) == _run(False, document), document


def test_the_documents_reach_errors_and_every_kind_of_value() -> None:
    """The comparison above is not vacuous: the documents do produce nulls, errors and data."""
    data, errors = _run(True, DOCUMENTS[1])
    assert data is not None and data["items"][3] is None and data["items"][0]["strictOwner"] == {
        "name": "o0", "age": 40, "__typename": "Owner"}
    assert any(e[1] == ["items", 3, "strictOwner"] for e in errors)
    data, errors = _run(True, DOCUMENTS[2])
    assert data is None and errors  # a null in a non-null list of non-null items
    data, errors = _run(True, DOCUMENTS[5])
    assert data["items"][0]["pets"] == [
        {"__typename": "Cat", "lives": 9, "colour": "RED"}, None,
        {"__typename": "Dog", "good": True, "tags": ["a"]}]
    assert data["items"][7]["pets"][3] == {"__typename": "Dog", "good": None, "tags": None} \
        or any(e[1][:3] == ["items", 7, "pets"] for e in errors)
    assert any(e[1] == ["items", 6, "pets", 3] for e in errors)
    data, errors = _run(True, DOCUMENTS[7])
    assert [i["named"] and i["named"]["__typename"] for i in data["items"]][:5] == [
        "Owner", "Robot", "Robot", None, None]
    assert any(e[1] == ["items", 4, "named"] for e in errors)
    data, errors = _run(True, DOCUMENTS[18])
    assert data["ownerAsRobot"] is None and errors
    assert data["robots"][1]["__typename"] == "Robot"
    data, errors = _run(True, DOCUMENTS[-3])
    listed = data["items"][0]["namedList"]
    assert [sorted(n) for n in listed] == [
        ["__typename", "serial"], ["__typename", "serial"], ["__typename", "age", "name"]]


def test_short_answers_and_the_resolvers_fall_back_as_the_ordinary_path() -> None:
    data, errors = _run(True, DOCUMENTS[-2])
    assert data["items"][0]["label"] == {"name": "i0", "n": [1, 2]}
    assert data["items"][3]["label"] == {"name": "i3", "at": "['items', 3, 'label']"}
    assert data["items"][5] is None and any(e[1] == ["items", 5, "label"] for e in errors)
    assert data["items"][2]["shortOwner"] is None and data["items"][1]["shortOwner"]["name"] \
        == "o1"
    data, errors = _run(True, DOCUMENTS[-1])
    assert data is None and errors


def test_resolvers_are_called_directly_only_without_permissions_or_arguments() -> None:
    from schema.execution import _resolver_call

    fields = strawberry.Schema(query=Query)._schema.type_map["Item"].fields  # type: ignore[attr-defined]
    assert _resolver_call(fields["where"]) is not None
    assert _resolver_call(fields["rooted"]) is not None
    assert _resolver_call(fields["failing"]) is not None
    assert _resolver_call(fields["guarded"]) is None  # a permission class
    assert _resolver_call(fields["later"]) is None  # async: strawberry's own way
    query_fields = strawberry.Schema(query=Query)._schema.type_map["Query"].fields  # type: ignore[attr-defined]
    assert _resolver_call(query_fields["item"]) is None  # an argument


def test_selections_are_shared_between_requests_only_for_documents_without_directives() -> None:
    """With the parser cache every request of a document gets the same syntax tree: its
    collected selections and plans then serve the next request (`_SHARED`), except where a
    directive makes them depend on the variables."""
    from strawberry.extensions import ParserCache

    from schema import execution

    cached = strawberry.Schema(query=Query, types=[Owner, Robot],
                               extensions=[lambda: ParserCache(maxsize=16)],
                               execution_context_class=LeafShortcutExecutionContext)
    plain = strawberry.Schema(query=Query, types=[Owner, Robot])
    directed = ("query($yes: Boolean!) { items { name owner @include(if: $yes) { name } "
                "pets { ... on Cat @skip(if: $yes) { lives } ... on Dog { good } } } }")
    for document in (DOCUMENTS[5], DOCUMENTS[-2], directed, DOCUMENTS[5], directed):
        for yes in (True, False, True):
            got = asyncio.run(cached.execute(document, variable_values={"yes": yes}))
            want = asyncio.run(plain.execute(document, variable_values={"yes": yes}))
            assert (got.data, sorted(str(e) for e in got.errors or [])) == (
                want.data, sorted(str(e) for e in want.errors or [])), (document, yes)
    shared_types = {entry[0].name for entry in execution._SHARED.values()}
    assert {"Item", "Cat", "Dog"} <= shared_types  # the documents without directives
