"""Personal data as a reader sees them: opened at read time, or erased (when, why).

The read models hold personal data only sealed (the opening event's payload in `case_events`)
and the erasure facts (the case's `details.personal_data`: person id, key id, erased at, basis),
never in clear; this module opens them through the vault for the one request that asks, so an
erasure needs no purge of any table. Callers decide who may see the values (`schema.personal`,
the subject-access export); the status (present, erased: when and why) is not personal data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ledger.personal_data.bases import ERASURE_BASES, ErasureBasis
from ledger.personal_data.free_text import text_aad
from ledger.personal_data.sealed import PersonalDetails, SealedValue
from ledger.personal_data.sealing import opening_aad
from ledger.personal_data.vault import PersonalDataVault
from projections.db import ReadDatabase
from projections.encoding import loads

PRESENT, ERASED, NONE, UNAVAILABLE = "PRESENT", "ERASED", "NONE", "UNAVAILABLE"


@dataclass(frozen=True)
class PersonView:
    """`status`: PRESENT (opened), ERASED (an erasure is recorded), NONE (none was recorded),
    UNAVAILABLE (the key is gone but no erasure is recorded yet: an erasure under way)."""

    case_id: str
    person_id: str | None
    status: str
    details: PersonalDetails | None = None
    erased_at: datetime | None = None
    basis: ErasureBasis | None = None

    def marker(self) -> dict[str, Any]:
        """The status as plain JSON, without the values."""
        return {"status": self.status, "person_id": self.person_id,
                "erased_at": self.erased_at.isoformat() if self.erased_at else None,
                "erasure_basis": self.basis.code if self.basis else None,
                "erasure_article": f"{self.basis.act} {self.basis.article}" if self.basis
                else None}


class PersonalDataReads:
    def __init__(self, db: ReadDatabase, vault: PersonalDataVault) -> None:
        self.db, self.vault = db, vault

    def views(self, case_ids: Sequence[str]) -> dict[str, PersonView]:
        """The personal data of each case (one query, one key look-up)."""
        ids = sorted(set(case_ids))
        rows: list[Any] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows += self.db.fetchall(
                "SELECT l.case_id, l.details, e.payload FROM case_list l "
                "JOIN case_events e ON e.case_id = l.case_id AND e.version = 1 "
                f"WHERE l.case_id IN ({', '.join('?' for _ in chunk)})", chunk)
        views: dict[str, PersonView] = {}
        to_open: list[tuple[str, str | None, SealedValue]] = []
        for row in rows:
            facts = loads(row["details"]).get("personal_data") or {}
            person_id = facts.get("person_id")
            sealed = loads(row["payload"]).get("personal_data")
            if facts.get("erased_at"):
                basis = ERASURE_BASES.get(facts.get("erasure_basis") or "")
                views[row["case_id"]] = PersonView(
                    row["case_id"], person_id, ERASED,
                    erased_at=datetime.fromisoformat(facts["erased_at"]), basis=basis)
            elif not sealed:
                views[row["case_id"]] = PersonView(row["case_id"], person_id, NONE)
            else:
                to_open.append((row["case_id"], person_id, SealedValue.from_dict(sealed)))
        opened = self.vault.open_many([(s, opening_aad(cid)) for cid, _, s in to_open])
        for (case_id, person_id, _), plain in zip(to_open, opened, strict=True):
            views[case_id] = (PersonView(case_id, person_id, UNAVAILABLE) if plain is None else
                              PersonView(case_id, person_id, PRESENT,
                                         PersonalDetails.from_bytes(plain)))
        return views

    def view(self, case_id: str) -> PersonView | None:
        return self.views([case_id]).get(case_id)

    def values(self, view: PersonView | None, command_id: str, payload: dict[str, Any]
               ) -> dict[str, Any]:
        """The personal data of one event's payload, opened (names and date of birth of the
        opening event, free text of the others); nothing once erased."""
        if not readable(view):
            return {}
        assert view is not None
        opened: dict[str, Any] = {}
        if SEALED_KEY in payload and view.details is not None:
            opened.update(view.details.as_dict())
        fields = sealed_text_fields(payload)
        if fields:
            plain = self.vault.open_many([
                (SealedValue.from_dict(payload[f]), text_aad(view.case_id, command_id, f))
                for f in fields])
            opened.update({f: p.decode() for f, p in zip(fields, plain, strict=True)
                           if p is not None})
        return {k: v for k, v in opened.items() if v is not None}

    def cases_of(self, person_id: str) -> list[str]:
        """The ids of every case of one person (the person id is in each case's details)."""
        pattern = f'%"person_id":"{person_id}"%'
        rows = self.db.fetchall("SELECT case_id, details FROM case_list WHERE details LIKE ? "
                                "ORDER BY seq", (pattern,))
        return [r["case_id"] for r in rows
                if (loads(r["details"]).get("personal_data") or {}).get("person_id")
                == person_id]

    def due_for_erasure(self, today: str) -> list[str]:
        """Cases whose Eurodac retention period (Art 29) ended by `today` (ISO date) and whose
        personal data are sealed and not erased yet."""
        rows = self.db.fetchall("SELECT case_id, details FROM case_list "
                                "WHERE details LIKE ? ORDER BY seq",
                                ('%"retention_until":"%',))
        due = []
        for row in rows:
            details = loads(row["details"])
            facts = details.get("personal_data") or {}
            until = (details.get("eurodac") or {}).get("retention_until")
            if (until and str(until) <= today and facts.get("key_id")
                    and not facts.get("erased_at")):
                due.append(row["case_id"])
        return due

    def erased_not_destroyed(self) -> list[tuple[str, str]]:
        """(case id, key id) of erasures recorded whose key may still exist: what a restart
        finishes after a crash between recording an erasure and destroying its key."""
        rows = self.db.fetchall("SELECT case_id, details FROM case_list WHERE details LIKE ?",
                                ('%"erased_at":"%',))
        found = []
        for row in rows:
            facts = loads(row["details"]).get("personal_data") or {}
            if facts.get("erased_at") and facts.get("key_id"):
                found.append((row["case_id"], facts["key_id"]))
        return found


#: The key of the sealed value in the opening event's stored payload.
SEALED_KEY = "personal_data"


def is_sealed(value: Any) -> bool:
    """Is a stored payload value a sealed value (`SealedValue.as_dict`)?"""
    return isinstance(value, dict) and set(value) == {"key_id", "nonce", "ciphertext"}


def sealed_text_fields(payload: dict[str, Any]) -> list[str]:
    """The payload's sealed free-text fields (`ledger.personal_data.free_text`)."""
    return [k for k, v in payload.items() if k != SEALED_KEY and is_sealed(v)]


def payload_shown(payload: dict[str, Any], view: PersonView | None,
                  values: dict[str, Any]) -> dict[str, Any]:
    """An event payload as a reader sees it: every sealed value replaced by `values` (what this
    reader may see, opened) or null, and the case's status under `personal_data` (PRESENT,
    ERASED with when and why, ...). Ciphertext never leaves the ledger."""
    texts = sealed_text_fields(payload)
    if SEALED_KEY not in payload and not texts:
        return payload
    shown = {k: v for k, v in payload.items() if k != SEALED_KEY}
    shown[SEALED_KEY] = view.marker() if view else {"status": UNAVAILABLE}
    if SEALED_KEY in payload:
        shown.update(dict.fromkeys(PersonalDetails.FIELDS))
    shown.update(dict.fromkeys(texts))
    shown.update({k: v for k, v in values.items() if k in shown})
    return shown


def readable(view: PersonView | None) -> bool:
    """May sealed values of this case be opened (not erased, key not gone)?"""
    return view is not None and view.status in (PRESENT, NONE)
