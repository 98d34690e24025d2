"""Stable topics: every event class is pinned to `pact-ledger:<family>.<Name>` and a version.

Stored events name their class by topic. Pinning it (instead of the library's default
`module:QualName`) means a class may be renamed or moved without orphaning stored events; the
`class_version` tells upcasters which shape a stored event has.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from eventsourcing.utils import register_topic

E = TypeVar("E", bound=type)


def topic_pinner(family: str) -> Callable[..., Callable[[E], E]]:
    """A decorator factory `pin(name, version=1)` for one family of events (`case`, ...). It
    registers nothing else: each family's catalogue is an explicit table of its classes."""

    def stable(name: str, version: int = 1) -> Callable[[E], E]:
        def pin(cls: E) -> E:
            cls.TOPIC = f"pact-ledger:{family}.{name}"  # type: ignore[attr-defined]
            cls.class_version = version  # type: ignore[attr-defined]
            register_topic(cls.TOPIC, cls)  # type: ignore[attr-defined]
            return cls

        return pin

    return stable
