"""Crashes around the key store (README "Personal data and erasure"), each a real process ended
with `os._exit` at the worst moment:

* after a new case's data key is committed, before the case's events are: the key is there
  without an event (harmless), and the retried command records the case sealed under that very
  key, which opens; never an event without its key (both backends);
* after a destruction is committed, before the SQLite key store's write-ahead log is emptied:
  the log still holds the destroyed key's earlier page image, and the next opening of the store
  empties it, so no file of the store holds the wrapped key.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from ledger.case import commands as c
from ledger.case.aggregate import Case
from pact_ledger.keystore import KeyStore
from pact_ledger.settings import Settings
from pact_ledger.wiring import build
from tests.support.acting import handle
from tests.support.cases import NOW
from tests.support.clock import ManualClock
from tests.support.steps import at

ROOT = Path(__file__).resolve().parents[2]
PERSON = c.Person("SY", date(1990, 5, 17), False, "Crashworthy", "Ilse")


def _child(code: str, url: str) -> None:
    """Run `code` in a fresh interpreter with `url` and expect it to end itself with code 7."""
    done = subprocess.run([sys.executable, "-c", code, url], cwd=ROOT, timeout=120,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 7, done.stderr


CRASH_BEFORE_EVENTS = """
import os, sys
from ledger.case import commands as c
from datetime import date
from pact_ledger.settings import Settings
from pact_ledger.wiring import build
from tests.support.acting import handle
from tests.support.cases import NOW
from tests.support.steps import at
container = build(Settings(sys.argv[1]), clock=lambda: NOW)
def crash():
    os._exit(7)  # the key is committed; the events are not
container.ledger.before_commit = crash
person = c.Person("SY", date(1990, 5, 17), False, "Crashworthy", "Ilse")
handle(container.ledger, c.MakeApplication("IT", "KC-1", "Questura", person), at(0))
"""


def test_a_crash_after_the_key_and_before_the_events_leaves_a_key_without_an_event(
        settings: Settings) -> None:
    _child(CRASH_BEFORE_EVENTS, settings.database_url)
    container = build(settings, clock=ManualClock(NOW))
    try:
        case_id = Case.create_id("IT", "KC-1")
        assert list(container.ledger.events.get(case_id)) == []  # no event was recorded
        stored = container.keystore.keys([str(case_id)])
        assert list(stored) == [str(case_id)]  # but its key was: stored before any event
        outcome = handle(container.ledger, c.MakeApplication("IT", "KC-1", "Questura", PERSON),
                         at(0))
        assert outcome.aggregate_id == case_id
        assert container.keystore.keys([str(case_id)]) == stored  # the same key, reused
        container.runner.catch_up()
        view = container.personal.view(str(case_id))
        assert view is not None and view.details is not None
        assert view.details.family_name == "Crashworthy"  # sealed under it, and it opens
    finally:
        container.close()


CRASH_BEFORE_COMPACTION = """
import os, sys
from pact_ledger.keystore import KeyStore
from pact_ledger.settings import Settings
settings = Settings(sys.argv[1])
store = KeyStore(settings.keystore_location, settings.master_key_ring())
store.key_for("case-kept", "person-2")
store.key_for("case-gone", "person-1")
store.db.compact = lambda tables: None  # the crash comes before the log is emptied
assert store.destroy(["case-gone"]) == ["case-gone"]
os._exit(7)  # no close: SQLite's own checkpoint at the last close never runs
"""


def test_a_crash_before_the_log_is_emptied_is_made_good_when_the_store_opens(
        tmp_path: Path) -> None:
    settings = Settings(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    store = KeyStore(settings.keystore_location, settings.master_key_ring())
    try:
        store.key_for("case-gone", "person-1")
        [(gone,)] = store.db.fetchall("SELECT wrapped FROM data_keys WHERE key_id = 'case-gone'")
    finally:
        store.close()

    def holding(needle: bytes) -> list[str]:
        return sorted(p.name for p in tmp_path.glob("ledger-keys.sqlite*")
                      if needle in p.read_bytes())

    _child(CRASH_BEFORE_COMPACTION, settings.database_url)
    assert holding(bytes(gone))  # the log still holds the destroyed key's earlier page image
    store = KeyStore(settings.keystore_location, settings.master_key_ring())
    try:
        assert holding(bytes(gone)) == []  # emptied when the store opened
        assert store.destroyed(["case-gone", "case-kept"]) == {"case-gone"}
        [(kept,)] = store.db.fetchall("SELECT wrapped FROM data_keys WHERE key_id = 'case-kept'")
        assert holding(bytes(kept)) == ["ledger-keys.sqlite"]  # what is there is found
    finally:
        store.close()
