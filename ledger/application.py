"""`Ledger`: the application service that turns commands into recorded events.

It checks a command's shape, hands it to its type's handler (`ledger.handlers.COMMAND_HANDLERS`,
which loads the aggregates and lets them apply the law), and saves all new events in one
transaction. A retried command (same `command_id`) records nothing twice; a concurrent change is
decided again on the fresh state.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application, Repository
from eventsourcing.persistence import IntegrityError, Mapper, Transcoder

from ledger.case.aggregate import Case
from ledger.case.decided_cases import DecidedCases, Loan
from ledger.case.screening.events import CaseOpened
from ledger.command_checks import checked, step_of
from ledger.command_fingerprint import check_same_command
from ledger.command_meta import CommandMeta
from ledger.envelope import Step
from ledger.errors import CaseNotFound, ConcurrentChange, LedgerError, OutcomeUnknown
from ledger.event_bytes import BytesMapper
from ledger.handling import Changes
from ledger.personal_data.vault import MemoryVault, PersonalDataVault
from ledger.recording_clock import recording_with
from ledger.repository import LedgerRepository, replayed
from ledger.transcodings import register_ledger_transcodings

Clock = Callable[[], datetime]
RecognitionRates = Callable[[str], Decimal | None]


MAX_ATTEMPTS = 3


class _DecidedOnStale(Exception):
    """A lent case turned out older than the store's: decide again (`ledger.case.decided_cases`)."""


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


def _outcome(aggregate_id: UUID, version: int, positions: tuple[int, ...],
             event_types: tuple[str, ...], command_id: str) -> Outcome:
    """`Outcome(...)` of a recorded command, in its fields' declared order, without a
    `object.__setattr__` per field (Outcome has no `__post_init__`): once per command."""
    made = object.__new__(Outcome)
    vars(made).update(aggregate_id=aggregate_id, version=version, positions=positions,
                      event_types=event_types, replayed=False, command_id=command_id)
    return made


class Ledger(Application):
    """The write side of the ledger: one event store for cases (and every other aggregate)."""

    name = "PactLedger"
    #: The cache holds more cases than are live at once in a large member state's office (a
    #: miss replays the whole stream). Fast-forward stays on: every load through the repository
    #: still asks the store for events after the cached version, so another process's writes
    #: are always seen. Commands decide on cases lent from `decided` instead (the same size),
    #: neither copied nor read again (`ledger.case.decided_cases`).
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
        #: Each case's sealed opening value (ciphertext, or None), as recorded: events never
        #: change, so the age rules need not read the opening event again at every step
        #: (`ledger.personal_data.sealing.opening_seal`).
        self.opening_seals: dict[UUID, Any] = {}
        #: Called just before a command's events are saved; raises to record nothing (the
        #: edge checks the command's deadline here: issue 10, defect 8).
        self.before_commit: Callable[[], None] = _nothing
        #: The cases this process saved last, lent to commands (`ledger.case.decided_cases`).
        self.decided = DecidedCases(int(self.env.get("AGGREGATE_CACHE_MAXSIZE") or 0))
        #: Per thread, the loans of the command being decided (None outside `handle`).
        self._lending = threading.local()

    def construct_mapper(self) -> Mapper[UUID]:
        """A mapper that stores a format-3 event's bytes as its hash covers them, encoded once
        (`ledger.event_bytes`)."""
        return self.factory.mapper(transcoder=self.construct_transcoder(),
                                   mapper_class=BytesMapper)

    def construct_repository(self) -> Repository[UUID]:
        """The library's repository, as the library configures it, replaying a stream without
        a runtime protocol check per event (`ledger.repository`)."""
        made = super().construct_repository()
        repository: Repository[UUID] = LedgerRepository(
            event_store=made.event_store, snapshot_store=made.snapshot_store,
            fastforward=made.fastforward, fastforward_skipping=made.fastforward_skipping,
            deepcopy_from_cache=made.deepcopy_from_cache)
        repository.cache = made.cache  # (whichever cache the library's settings made)
        return repository

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
            loans: list[Loan] = []
            self._lending.loans = loans
            try:
                with recording_with(lambda: now):  # one recording moment for the whole command
                    changes = registration.handler(self, command, step)
            except LedgerError:
                if self._any_stale(loans):
                    continue  # refused on a lent case older than the store: decide again
                self._give_back(loans)
                raise
            finally:
                self._lending.loans = None
            try:
                return self._commit(changes, step, loans)
            except (IntegrityError, _DecidedOnStale):
                # Another writer got there first (opened the same case, or appended the same
                # version): decide again on the state as it now stands. (The loans are not
                # given back: the next attempt reads the cases from the store.)
                continue
        raise ConcurrentChange("The record kept changing while this command was recorded; retry")

    def member_state_of(self, case_id: UUID) -> str:
        """A case's member state, which never changes: remembered, so that the scope check does
        not load the case a second time; for a case this process does not hold, read from its
        opening event alone (the command then replays the case once, not twice)."""
        known = self._member_states.get(case_id)
        if known is None:
            known = self.decided.member_state(case_id) or self._opened_in(case_id)
            if len(self._member_states) >= 200_000:
                self._member_states.clear()
            self._member_states[case_id] = known
        return known

    def _opened_in(self, case_id: UUID) -> str:
        """The member state its first event names (cases open with `CaseOpened`; a stream that
        does not is read whole)."""
        first = next(iter(self.events.get(case_id, limit=1)), None)
        if first is None:
            raise CaseNotFound(case_id)
        if type(first) is CaseOpened:
            return str(first.member_state)
        return str(self.get_case(case_id).member_state)

    def remember_opening_seal(self, case_id: UUID, sealed: Any) -> None:
        if len(self.opening_seals) >= 200_000:
            self.opening_seals.clear()
        self.opening_seals[case_id] = sealed

    def get_case(self, case_id: UUID, version: int | None = None) -> Case:
        try:
            return self.repository.get(case_id, version=version)  # type: ignore[no-any-return]
        except AggregateNotFoundError:
            raise CaseNotFound(case_id) from None

    def case_to_decide_on(self, case_id: UUID) -> Case:
        """The case a command decides on: lent from `decided` when this process saved it last
        (no copy, no read), else read from the store. Outside `handle` (and for a second load
        of one case in one command), a copy from the repository, as `get_case`."""
        loans: list[Loan] | None = getattr(self._lending, "loans", None)
        if loans is None or any(loan.case.id == case_id for loan in loans):
            return self.get_case(case_id)
        case = self.decided.take(case_id)
        fresh = case is None
        if case is None:
            case = self._replayed_case(case_id)
        loans.append(Loan(case, case.version, fresh))
        return case  # type: ignore[no-any-return]

    def _replayed_case(self, case_id: UUID) -> Case:
        """A case read from the store for one command: replayed from its events, neither put in
        the repository's cache nor copied from it (the repository deep-copies what it caches,
        and a case a command saved goes to `decided`, not there: `_cache`)."""
        case = replayed(None, self.events.get(case_id))
        if case is None:
            raise CaseNotFound(case_id)
        return case  # type: ignore[no-any-return]

    def _newer_in_store(self, case_id: UUID, version: int) -> bool:
        return any(True for _ in self.events.get(case_id, gt=version, limit=1))

    def _any_stale(self, loans: list[Loan]) -> bool:
        """Whether a case lent unverified has newer events in the store than it had."""
        return any(not loan.fresh and self._newer_in_store(loan.case.id, loan.version)
                   for loan in loans)

    def _give_back(self, loans: list[Loan]) -> None:
        for loan in loans:
            if loan.unchanged():
                self.decided.give_back(loan.case)

    def _recorded_fingerprint(self, aggregate_id: UUID, command_id: str) -> str | None:
        for event in self.events.get(aggregate_id):
            envelope = getattr(event, "envelope", None)
            if envelope is not None and envelope.command_id == command_id:
                return envelope.command_fingerprint  # type: ignore[no-any-return]
        return None

    def _cache(self, aggregates: tuple[Any, ...]) -> None:
        """Put the saved aggregates back (they are the copies or loans the command decided on,
        now at their stored versions), unless a newer version is there already: the next
        command on them then neither replays nor re-reads what this one wrote. Cases go to
        `decided` (lent to the next command), other aggregates to the repository's cache."""
        cache = self.repository.cache
        for aggregate in aggregates:
            if isinstance(aggregate, Case):
                self.decided.give_back(aggregate)
                # An older copy there would only take memory (usually there is none: asked
                # first, without raising and catching a KeyError per command).
                if cache is not None and aggregate.id in cache.cache:
                    with contextlib.suppress(KeyError):
                        cache.get(aggregate.id, evict=True)
                continue
            if cache is None:
                continue
            try:
                cached = cache.get(aggregate.id)
            except KeyError:
                cached = None
            if cached is None or cached.version < aggregate.version:
                cache.put(aggregate.id, aggregate)

    def _save_events(self, events: list[Any]) -> tuple[int, ...]:
        """Insert events already collected and return their log positions: the library's `save`
        and `EventStore.put` without what a ledger does not use (its `save` asks each object
        whether it is an event or an aggregate through a runtime-checked Protocol, ~40 us an
        event; `put` builds a `Recording` and a `Notification` per event, of which only the
        position is read; the library's `_take_snapshots` found nothing to snapshot here, as
        the events came without their aggregates, and its `_notify` does nothing)."""
        to_stored = self.mapper.to_stored_event
        positions = self.recorder.insert_events([to_stored(event) for event in events])
        return tuple(positions) if positions else ()

    def _commit(self, changes: Changes, step: Step, loans: list[Loan]) -> Outcome:
        primary = changes.primary
        if changes.replayed:
            self._give_back(loans)  # (a command once processed stays processed: no read)
            check_same_command(self._recorded_fingerprint(primary.id, step.command_id),
                               step.command_id, step.command_fingerprint)
            if changes.after_commit is not None:
                changes.after_commit()
            return Outcome(primary.id, primary.version, (), (), replayed=True,
                           command_id=step.command_id)
        aggregates = (primary, *changes.others)
        pending: list[Any] = []
        inserting: set[int] = set()  # the aggregates (by identity) with events to insert
        for aggregate in aggregates:
            events = aggregate.collect_events()
            if events:
                inserting.add(id(aggregate))
                pending += events
        # A case lent unverified is proved current by the insert of its next version; any other
        # is checked against the store before anything is recorded on its account.
        if any(not loan.fresh and id(loan.case) not in inserting
               and self._newer_in_store(loan.case.id, loan.version) for loan in loans):
            raise _DecidedOnStale
        self.before_commit()
        try:
            positions = self._save_events(pending)
        except IntegrityError:
            raise  # refused by the database: nothing was written
        except Exception as error:  # the commit may or may not have happened
            raise OutcomeUnknown(step.command_id) from error
        self._cache(aggregates)
        self._give_back([loan for loan in loans if id(loan.case) not in inserting])
        for event in pending:  # now stored: the age rules need not read them back
            if type(event) is CaseOpened:
                self.remember_opening_seal(event.originator_id, event.personal_data)
        if changes.after_commit is not None:
            changes.after_commit()
        return _outcome(primary.id, primary.version, positions,
                        tuple([type(e).__name__ for e in pending]), step.command_id)
