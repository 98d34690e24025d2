"""One unreadable read-model row must not take a whole list down.

A row that cannot be turned into its GraphQL object (a value the encoder of an older version
wrote wrongly, a bug) is left out of the list and logged at ERROR with its key, so that the
other rows are still served and an operator can rebuild or repair the one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from projections.db import Row

log = logging.getLogger(__name__)

T = TypeVar("T")


def readable(rows: Iterable[Row], convert: Callable[[Row], T], key: str) -> list[tuple[Row, T]]:
    """(row, object) for every row that converts; the others are logged and left out."""
    out: list[tuple[Row, T]] = []
    for row in rows:
        try:
            out.append((row, convert(row)))
        except Exception:
            log.exception("unreadable read-model row %s=%s left out of a list", key, row[key])
    return out
