"""`Ledger`: the application service that turns commands into recorded events.

It checks a command's shape, hands it to its type's handler (`ledger.handlers.COMMAND_HANDLERS`,
which loads the aggregates and lets them apply the law), and saves all new events in one
transaction. A retried command (same `command_id`) records nothing twice; a concurrent change is
decided again on the fresh state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, Transcoder

from ledger.case.aggregate import Case
from ledger.command_checks import checked, step_of
from ledger.command_fingerprint import check_same_command
from ledger.command_meta import CommandMeta
from ledger.envelope import Step
from ledger.errors import CaseNotFound, ConcurrentChange, OutcomeUnknown
from ledger.handling import Changes
from ledger.personal_data.vault import MemoryVault, PersonalDataVault
from ledger.recording_clock import recording_with
from ledger.transcodings import register_ledger_transcodings

Clock = Callable[[], datetime]
RecognitionRates = Callable[[str], Decimal | None]


MAX_ATTEMPTS = 3




def _nothing() -> None:
    return None


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Outcome:
    """What a command did: the aggregate it was about, its version after, and the log
    positions it wrote.

    `positions` is empty when the command was a replay of one already processed.
    """

    aggregate_id: UUID
    version: int
    positions: tuple[int, ...]
    event_types: tuple[str, ...]
    replayed: bool = False
    command_id: str = ""


class Ledger(Application):
    """The write side of the ledger: one event store for cases (and every other aggregate)."""

    name = "PactLedger"
    #: The cache holds more cases than are live at once in a large member state's office (a
    #: miss replays the whole stream). Fast-forward stays on: every load still asks the store
    #: for events after the cached version, so another process's writes are always seen; as
    #: each save puts its aggregates back (`_commit`), that read finds nothing to decode.
    env: ClassVar[dict[str, str]] = {
        "AGGREGATE_CACHE_MAXSIZE": "20000",
        "AGGREGATE_CACHE_FASTFORWARD": "y",
    }

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        clock: Clock = utc_now,
        recognition_rate: RecognitionRates | None = None,
        vault: PersonalDataVault | None = None,
    ) -> None:
        super().__init__(env=env)
        #: Seals and opens personal data (`ledger.personal_data`); the edge gives the key
        #: store's vault, a bare ledger keeps its keys in memory.
        self.personal_data: PersonalDataVault = vault if vault is not None else MemoryVault()
        self.clock = clock
        #: Only to fix the EU-wide recognition rates in tests: by default procedure assignment
        #: reads the latest published figures loaded as reference data (APR Arts 42(1)(j),
        #: 45(1); `ledger.reference_data`), never a read model.
        self.recognition_rate = recognition_rate
        self._member_states: dict[UUID, str] = {}
        #: Called just before a command's events are saved; raises to record nothing (the
        #: edge checks the command's deadline here: issue 10, defect 8).
        self.before_commit: Callable[[], None] = _nothing

    def register_transcodings(self, transcoder: Transcoder) -> None:
        super().register_transcodings(transcoder)  # type: ignore[arg-type]
        register_ledger_transcodings(transcoder)

    # --- the one entry point ----------------------------------------------------------------
    def handle(self, command: Any, meta: CommandMeta) -> Outcome:
        """Check, authorise, decide and record one command; refusals raise a `LedgerError`.

        Every path that records goes through here, so this is where the access policy is
        enforced: the principal's role first (before anything is loaded), then, once the input
        is well formed, its member-state scope (before any rule of law is asked, so that a
        refusal never tells anything about another member state's case)."""
        now = self.clock()
        registration, command, meta = checked(self, command, meta, now)
        command_id = meta.command_id or str(uuid4())
        step = step_of(self, command, meta, now, command_id)
        for _ in range(MAX_ATTEMPTS):
            with recording_with(lambda: now):  # one recording moment for the whole command
                changes = registration.handler(self, command, step)
            try:
                return self._commit(changes, step)
            except IntegrityError:
                # Another writer got there first (opened the same case, or appended the same
                # version): decide again on the state as it now stands.
                continue
        raise ConcurrentChange("The record kept changing while this command was recorded; retry")

    def member_state_of(self, case_id: UUID) -> str:
        """A case's member state, which never changes: remembered, so that the scope check does
        not load the case a second time."""
        known = self._member_states.get(case_id)
        if known is None:
            known = self.get_case(case_id).member_state
            if len(self._member_states) >= 200_000:
                self._member_states.clear()
            self._member_states[case_id] = known
        return known

    def get_case(self, case_id: UUID, version: int | None = None) -> Case:
        try:
            return self.repository.get(case_id, version=version)  # type: ignore[no-any-return]
        except AggregateNotFoundError:
            raise CaseNotFound(case_id) from None

    def _recorded_fingerprint(self, aggregate_id: UUID, command_id: str) -> str | None:
        for event in self.events.get(aggregate_id):
            envelope = getattr(event, "envelope", None)
            if envelope is not None and envelope.command_id == command_id:
                return envelope.command_fingerprint  # type: ignore[no-any-return]
        return None

    def _cache(self, aggregates: tuple[Any, ...]) -> None:
        """Put the saved aggregates in the cache (they are the copies the command decided on,
        now at their stored versions), unless a newer version is there already: the next
        command on them then neither replays nor re-reads what this one wrote."""
        cache = self.repository.cache
        if cache is None:
            return
        for aggregate in aggregates:
            try:
                cached = cache.get(aggregate.id)
            except KeyError:
                cached = None
            if cached is None or cached.version < aggregate.version:
                cache.put(aggregate.id, aggregate)

    def _commit(self, changes: Changes, step: Step) -> Outcome:
        primary = changes.primary
        if changes.replayed:
            check_same_command(self._recorded_fingerprint(primary.id, step.command_id),
                               step.command_id, step.command_fingerprint)
            if changes.after_commit is not None:
                changes.after_commit()
            return Outcome(primary.id, primary.version, (), (), replayed=True,
                           command_id=step.command_id)
        aggregates = (primary, *changes.others)
        pending = [e for agg in aggregates for e in agg.collect_events()]
        self.before_commit()
        try:
            recordings = self.save(*pending)
        except IntegrityError:
            raise  # refused by the database: nothing was written
        except Exception as error:  # the commit may or may not have happened
            raise OutcomeUnknown(step.command_id) from error
        self._cache(aggregates)
        if changes.after_commit is not None:
            changes.after_commit()
        return Outcome(
            aggregate_id=primary.id,
            version=primary.version,
            positions=tuple(r.notification.id for r in recordings),
            event_types=tuple(type(e).__name__ for e in pending),
            command_id=step.command_id,
        )
