"""Erasure of personal data: on schedule (Eurodac retention, Art 29) and on request.

Each erasure is one command (`ErasePersonalData`) through `Ledger.handle`: the erasure event is
recorded first (idempotent: an erased case records nothing again, whatever the basis; each
attempt has its own command id, since a command id stands for one command at one legal time),
then the case's data key is destroyed. A crash between the two leaves a recorded erasure with
its key: `finish` (the first thing every run does) destroys such keys, so a restart completes
the job, loses nothing and erases nothing twice.

Run by `pact-ledger erase-due` and by the server in the background (`ErasureSchedule`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID, uuid4

from ledger.case.erasure.commands import ErasePersonalData
from ledger.command_meta import CommandMeta
from ledger.envelope import Actor
from ledger.errors import LedgerError
from ledger.personal_data.bases import RETENTION_ENDED, ErasureBasis
from pact_ledger.wiring import Container

log = logging.getLogger(__name__)

#: The principal recorded on scheduled erasures: the ledger's retention schedule, EU level.
SCHEDULE_ACTOR = Actor(id="pact-ledger:retention-schedule", role="DATA_PROTECTION_OFFICER",
                       authority="Pact Ledger retention schedule", member_state="EU")


def command_id_for(case_id: str | UUID) -> str:
    """A new id for each attempt: the ledger refuses a command id repeated with another time or
    basis (`ledger.command_fingerprint`); a repeated erasure is a no-op by the case's state."""
    return f"erase-personal-data:{case_id}:{uuid4()}"


@dataclass
class ErasureRun:
    erased: list[str] = field(default_factory=list)  # erasures recorded by this run
    finished: list[str] = field(default_factory=list)  # keys destroyed for earlier records
    refused: list[tuple[str, str]] = field(default_factory=list)  # (case id, why)


def erase_case(container: Container, case_id: UUID, basis: ErasureBasis, actor: Actor,
               clock: Callable[[], datetime] | None = None) -> bool:
    """Erase one case's personal data; True if this call recorded the erasure (False: it was
    erased already, and its key is now destroyed if it was not). Refusals raise."""
    now = (clock or container.ledger.clock)()
    meta = CommandMeta(actor=actor, occurred_at=now, command_id=command_id_for(case_id))
    applied = container.commands.handle(ErasePersonalData(case_id, basis.code), meta)
    return not applied.outcome.replayed


def finish(container: Container) -> list[str]:
    """Destroy the keys of erasures recorded before a crash stopped their destruction."""
    container.runner.catch_up()
    pending = container.personal.erased_not_destroyed()
    present = container.keystore.keys([key for _, key in pending])
    return container.keystore.destroy([key for _, key in pending if key in present])


def erase_due(container: Container, today: str | None = None) -> ErasureRun:
    """Erase every case whose Eurodac retention period ended by `today` (ISO date; default: the
    ledger's clock)."""
    run = ErasureRun(finished=finish(container))
    day = today or container.ledger.clock().astimezone(UTC).date().isoformat()
    for case_id in container.personal.due_for_erasure(day):
        try:
            if erase_case(container, UUID(case_id), RETENTION_ENDED, SCHEDULE_ACTOR):
                run.erased.append(case_id)
        except LedgerError as refusal:  # e.g. recorded since the scan: reported, not raised
            run.refused.append((case_id, refusal.message))
    return run


def erase_person(container: Container, person_id: str, basis: ErasureBasis, actor: Actor
                 ) -> ErasureRun:
    """Erasure on request of every case of one person (e.g. naturalisation, Eurodac Art
    29(4)); the actor's member-state scope applies to each case."""
    run = ErasureRun()
    container.runner.catch_up()
    for case_id in container.personal.cases_of(person_id):
        try:
            if erase_case(container, UUID(case_id), basis, actor):
                run.erased.append(case_id)
        except LedgerError as refusal:
            run.refused.append((case_id, refusal.message))
    return run


class ErasureSchedule:
    """The server's background erasure job: `erase_due` now and every `interval` seconds."""

    def __init__(self, container: Container, interval: float = 3600.0) -> None:
        self.container, self.interval = container, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="erasure-schedule", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                run = erase_due(self.container)
                if run.erased or run.finished or run.refused:
                    log.info("erasure schedule: %d erased, %d finished, %d refused",
                             len(run.erased), len(run.finished), len(run.refused))
            except Exception:  # keep the server up; the next run retries (idempotent)
                log.exception("erasure schedule run failed")
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
