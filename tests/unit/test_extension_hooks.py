"""Extension hooks found once per class (`schema.extension_hooks`): every kind of hook
(generator, async generator, plain function, coroutine) still runs at its stage, around the
stages in strawberry's order, each request on its own extension instance."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import strawberry
from strawberry.extensions import SchemaExtension

from schema.build import schema
from schema.error_log import LedgerSchema
from schema.extension_hooks import CachedHooksRunner

CALLS: list[tuple[str, int]] = []


class Recording(SchemaExtension):
    made = 0

    def __init__(self) -> None:
        Recording.made += 1
        self.number = Recording.made

    def on_operation(self) -> Iterator[None]:
        CALLS.append(("operation start", self.number))
        yield
        CALLS.append(("operation end", self.number))

    async def on_parse(self) -> AsyncIterator[None]:  # type: ignore[override]
        CALLS.append(("parse start", self.number))
        yield
        CALLS.append(("parse end", self.number))

    def on_validate(self) -> None:  # type: ignore[override]
        CALLS.append(("validate", self.number))

    async def on_execute(self) -> None:  # type: ignore[override]
        CALLS.append(("execute", self.number))


@strawberry.type
class Query:
    answer: int = 42


def test_each_kind_of_hook_runs_at_its_stage_on_the_requests_own_instance() -> None:
    built = LedgerSchema(query=Query, extensions=[Recording])
    for _ in (1, 2):
        CALLS.clear()
        result = asyncio.run(built.execute("{ answer }", root_value=Query()))
        assert result.data == {"answer": 42} and not result.errors
        number = Recording.made
        assert CALLS == [("operation start", number), ("parse start", number),
                         ("parse end", number), ("validate", number), ("execute", number),
                         ("operation end", number)]
    assert Recording.made == 2  # one instance a request


def test_the_synchronous_path_runs_the_same_hooks_but_refuses_async_ones() -> None:
    class SyncOnly(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            CALLS.append(("sync operation", 0))
            yield

    CALLS.clear()
    result = LedgerSchema(query=Query, extensions=[SyncOnly]).execute_sync(
        "{ answer }", root_value=Query())
    assert result.data == {"answer": 42} and CALLS == [("sync operation", 0)]
    refused = LedgerSchema(query=Query, extensions=[Recording]).execute_sync(
        "{ answer }", root_value=Query())
    assert refused.errors and "failed to complete synchronously" in refused.errors[0].message


def test_the_ledger_schema_uses_the_cached_runner() -> None:
    runner = schema.create_extensions_runner(None, [])  # type: ignore[arg-type]
    assert isinstance(runner, CachedHooksRunner)
