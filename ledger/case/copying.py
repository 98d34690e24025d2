"""A fast copy of an aggregate's attributes for the copy a command decides on.

A case's sub-states are frozen values (each phase's `values` module) and its events are frozen:
they can be shared between the cached case and the copy. Lists, sets and dicts are copied
(their items copied the same way); anything else is deep-copied, so a mutable value added later
is still never shared.
"""

from __future__ import annotations

from copy import deepcopy
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

_IMMUTABLE: tuple[type, ...] = (str, int, float, bool, bytes, type(None), datetime, date,
                                timedelta, Decimal, UUID, Enum, frozenset)
#: Per type: True when its values can be shared (immutable, or frozen dataclasses).
_SHARED: dict[type, bool] = {}


def _shared(kind: type) -> bool:
    known = _SHARED.get(kind)
    if known is None:
        params = getattr(kind, "__dataclass_params__", None)
        known = issubclass(kind, _IMMUTABLE) or (params is not None and bool(params.frozen))
        _SHARED[kind] = known
    return known


def copied(value: Any, memo: dict[int, Any]) -> Any:
    kind = type(value)
    if _shared(kind):
        return value
    if kind is list:
        return [copied(v, memo) for v in value]
    if kind is tuple:
        return tuple(copied(v, memo) for v in value)
    if kind is set:
        return {copied(v, memo) for v in value}
    if kind is dict:
        return {k: copied(v, memo) for k, v in value.items()}
    return deepcopy(value, memo)


def copied_state(attributes: dict[str, Any], memo: dict[int, Any]) -> dict[str, Any]:
    return {name: copied(value, memo) for name, value in attributes.items()}
