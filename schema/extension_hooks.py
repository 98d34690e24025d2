"""strawberry's extension hooks, looked up once per extension class instead of every request.

strawberry finds each extension's hook for each stage (operation, parsing, validation,
executing) anew on every request: `inspect` tells a generator from a coroutine and
`contextlib.contextmanager` wraps a bound method (`functools.wraps` copying its attributes), four
stages by five extensions. What it finds depends on the class only, so it is kept per class and
stage; a request binds the kept context manager factory to its own extension instance (the
instances stay per request: they hold the request's execution context).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import (
    ExecutingContextManager,
    ExtensionContextManagerBase,
    OperationContextManager,
    ParsingContextManager,
    ValidationContextManager,
    WrappedHook,
)
from strawberry.extensions.runner import SchemaExtensionsRunner

#: (extension class, stage) -> (context manager factory taking the extension, is async), None
#: for no hook (the base class's), `...` for a hook strawberry wraps itself (a plain function)
_KEPT: dict[tuple[type, str], tuple[Any, bool] | None] = {}


def _factory(kind: type, stage: str) -> tuple[Any, bool] | None:
    key = (kind, stage)
    if key not in _KEPT:
        hook = getattr(kind, stage)
        if hook is getattr(SchemaExtension, stage):
            _KEPT[key] = None
        elif inspect.isgeneratorfunction(hook):
            _KEPT[key] = contextlib.contextmanager(hook), False
        elif inspect.isasyncgenfunction(hook):
            _KEPT[key] = contextlib.asynccontextmanager(hook), True
        else:
            _KEPT[key] = ..., False
    return _KEPT[key]


class _CachedHooks(ExtensionContextManagerBase):
    def get_hook(self, extension: SchemaExtension) -> WrappedHook | None:
        found = _factory(type(extension), self.HOOK_NAME)
        if found is None:
            return None
        factory, is_async = found
        if factory is ...:
            return super().get_hook(extension)
        return WrappedHook(extension=extension, hook=functools.partial(factory, extension),
                           is_async=is_async)


class _Operation(_CachedHooks, OperationContextManager):
    pass


class _Validation(_CachedHooks, ValidationContextManager):
    pass


class _Parsing(_CachedHooks, ParsingContextManager):
    pass


class _Executing(_CachedHooks, ExecutingContextManager):
    pass


class CachedHooksRunner(SchemaExtensionsRunner):
    """strawberry's runner with the stages' hooks found per class (a streamed result's hook,
    used by no query here, as strawberry finds it)."""

    def operation(self) -> OperationContextManager:
        return _Operation(self.extensions)

    def validation(self) -> ValidationContextManager:
        return _Validation(self.extensions)

    def parsing(self) -> ParsingContextManager:
        return _Parsing(self.extensions)

    def executing(self) -> ExecutingContextManager:
        return _Executing(self.extensions)
