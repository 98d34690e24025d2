"""One unreadable read-model row must not take a whole list down.

A row that cannot be turned into its GraphQL object (a value the encoder of an older version
wrote wrongly, a bug) is left out of the list and logged at ERROR with its key, so that the
other rows are still served and an operator can rebuild or repair the one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

log = logging.getLogger(__name__)

R = TypeVar("R")
T = TypeVar("T")


def readable(rows: Iterable[R], convert: Callable[[R], T],
             describe: Callable[[R], str]) -> list[tuple[R, T]]:
    """(row, object) for every row that converts; the others are logged (with `describe(row)`,
    e.g. its cursor) and left out."""
    out: list[tuple[R, T]] = []
    for row in rows:
        try:
            out.append((row, convert(row)))
        except Exception:
            try:
                where = describe(row)
            except Exception:
                where = "(undescribable)"
            log.exception("unreadable read-model row %s left out of a list", where)
    return out
