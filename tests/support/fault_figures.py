"""Figures the fault suite reports (requests sent, events checked, lost): collected by the tests
in `tests/faults/` and printed in one line at the end of the run (`tests/conftest.py`)."""

from __future__ import annotations

from collections import Counter

FIGURES: Counter[str] = Counter()


def add(name: str, count: int = 1) -> None:
    FIGURES[name] += count
