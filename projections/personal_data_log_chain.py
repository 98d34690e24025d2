"""Tamper evidence for the access log: a hash chain over its rows, like the events'.

Each row records the hash of the row before it (`previous_hash`; none for the first) and its
own `hash`, the SHA-256 of the canonical encoding (`ledger.proofs.canonical_bytes`) of its
stored text and that previous hash. Rows are appended under a lock (one writer at a time), so
the chain follows the ids. Changing, deleting, inserting or reordering a row breaks the chain at
that row or the next; only the newest rows can go without trace unless the head (`rows`,
`head`) was saved elsewhere, exactly as with the ledger's own digest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from ledger.proofs import canonical_bytes
from projections.db import ReadDatabase, Row

#: The stored columns a row's hash covers (all but its id and its own hash).
HASHED = ("at", "subject", "role", "authority", "member_state", "case_id", "case_member_state",
          "fields", "via")
#: PostgreSQL: appends to the log take turns (the chain needs the previous row's hash).
APPEND_LOCK = 7243002

ALTERED, BROKEN, UNCHAINED = "ALTERED", "CHAIN_BROKEN", "UNCHAINED"


#: The record's keys in `canonical_bytes`'s (sorted) order, each with the text before its value.
_KEYS = sorted((*HASHED, "previous_hash"))
_PREFIXES = tuple(("{" if i == 0 else ",") + encode_basestring(k) + ":"
                  for i, k in enumerate(_KEYS))


def row_hash(values: dict[str, Any], previous: str | None) -> str:
    """SHA-256 of `canonical_bytes` of the row's hashed columns and `previous`. Written out
    here (the same bytes, by the same string encoder `json` uses) rather than through
    `json.dumps`: 20 rows are hashed on the way to every page of personal data."""
    record = {name: values[name] for name in HASHED}
    record["previous_hash"] = previous
    parts = []
    for prefix, key in zip(_PREFIXES, _KEYS, strict=True):
        value = record[key]
        if isinstance(value, str):
            parts.append(prefix + encode_basestring(value))
        elif value is None:
            parts.append(prefix + "null")
        else:  # not a row this code wrote (text columns): the general encoding
            return hashlib.sha256(canonical_bytes(record)).hexdigest()
    parts.append("}")
    return hashlib.sha256("".join(parts).encode("utf-8")).hexdigest()


def last_hash(tx: Any) -> str | None:
    tx.execute("SELECT hash FROM access_log ORDER BY id DESC LIMIT 1")
    row = tx.fetchone()
    return None if row is None else row["hash"]


@dataclass(frozen=True)
class ChainProblem:
    row_id: int
    reason: str
    detail: str


@dataclass(frozen=True)
class ChainReport:
    rows: int
    head: str | None  # the last row's hash: save it, as a digest
    problems: tuple[ChainProblem, ...]

    @property
    def valid(self) -> bool:
        return not self.problems


def verify_chain(db: ReadDatabase, batch: int = 5000) -> ChainReport:
    """Recompute every row's hash and link, in id order."""
    rows = 0
    previous: str | None = None
    problems: list[ChainProblem] = []
    after = 0
    while True:
        page: list[Row] = db.fetchall("SELECT * FROM access_log WHERE id > ? ORDER BY id LIMIT ?",
                                      (after, batch))
        for row in page:
            rows += 1
            after = row["id"]
            stored, link = row["hash"], row["previous_hash"]
            if stored is None:
                problems.append(ChainProblem(after, UNCHAINED, "a row without a hash"))
                continue
            if link != previous:
                problems.append(ChainProblem(after, BROKEN, f"names {link} as the row before "
                                                            f"it; the row before is {previous}"))
            if row_hash(dict(row), link) != stored:
                problems.append(ChainProblem(after, ALTERED,
                                             "its content no longer hashes to its hash"))
            previous = stored
        if len(page) < batch:
            return ChainReport(rows, previous, tuple(problems))
