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


def _frozen(value: Any) -> bool:
    params = getattr(type(value), "__dataclass_params__", None)
    return params is not None and bool(params.frozen)


def copied(value: Any, memo: dict[int, Any]) -> Any:
    if isinstance(value, _IMMUTABLE) or _frozen(value):
        return value
    if isinstance(value, list):
        return [copied(v, memo) for v in value]
    if isinstance(value, tuple):
        return tuple(copied(v, memo) for v in value)
    if isinstance(value, set):
        return {copied(v, memo) for v in value}
    if isinstance(value, dict):
        return {k: copied(v, memo) for k, v in value.items()}
    return deepcopy(value, memo)


def copied_state(attributes: dict[str, Any], memo: dict[int, Any]) -> dict[str, Any]:
    return {name: copied(value, memo) for name, value in attributes.items()}
