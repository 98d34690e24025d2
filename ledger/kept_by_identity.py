"""Answers kept by the identity of the object asked about, for values that never change.

A command writes the same few objects to text several times (its two datetimes into its
fingerprint, envelopes and timestamps; its case's id into each event's descriptor), and each
conversion costs thousands of instructions. `kept_by_identity(make, kept)` answers `make(key)`
once per key object: by `id`, the key itself held beside its answer (so its `id` is not
reused while kept), all dropped when `kept` are held. Only for a `make` whose answer depends
on the key's value alone, and keys that never change (a `datetime`, a `UUID`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def kept_by_identity(make: Callable[[K], V], kept: int) -> Callable[[K], V]:
    """`make`, its answers for the last `kept` key objects kept (a closure, not a class: a
    call costs what a plain function's does)."""
    answers: dict[int, tuple[K, V]] = {}

    def answer(key: K) -> V:
        held = answers.get(id(key))
        if held is not None and held[0] is key:
            return held[1]
        value = make(key)
        if len(answers) >= kept:
            answers.clear()
        answers[id(key)] = (key, value)
        return value

    return answer
