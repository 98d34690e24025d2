"""Builds the running system from settings: write side, read database, projection runner."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ledger.application import Ledger, utc_now
from ledger.deadlines.calendars import check_installed_calendar
from pact_ledger import tracing
from pact_ledger.keystore import KeyStore, KeyStoreVault
from pact_ledger.leader import AdvisoryLeadership, SchemaLock
from pact_ledger.settings import KEYSTORE_POOL_SIZE, READ_POOL_SIZE, Settings
from pact_ledger.tracing import TracedDatabase
from projections.admissions import AdmissionProjection
from projections.case_projection import CaseProjection
from projections.consistency import ConsistentLedger
from projections.db import PostgresDatabase, ReadDatabase, SQLiteDatabase
from projections.deadline_projection import DeadlineProjection
from projections.integrity_projection import IntegrityProjection
from projections.personal_data import PersonalDataReads
from projections.personal_data_log import PersonalDataLog
from projections.read_models import ReadModels
from projections.runner import ProjectionRunner
from projections.solidarity_projection import SolidarityProjection
from projections.statistics_projection import StatisticsProjection


@dataclass
class Container:
    settings: Settings
    ledger: Ledger
    db: ReadDatabase
    runner: ProjectionRunner
    commands: ConsistentLedger
    reads: ReadModels
    access_log: PersonalDataLog
    #: The data keys that seal personal data (issue 12), and the reads that open them.
    keystore: KeyStore
    personal: PersonalDataReads
    #: The database queries read from: `db` itself, or a hot standby of it.
    read_db: ReadDatabase | None = None
    #: Who follows the log when several processes share PostgreSQL (None: always this one).
    leadership: AdvisoryLeadership | None = None

    def close(self) -> None:
        self.runner.stop()
        if self.leadership is not None:
            self.leadership.release()
        if self.read_db is not None and self.read_db is not self.db:
            self.read_db.close()
        self.db.close()
        self.ledger.close()
        self.keystore.close()


def build(settings: Settings, clock: Callable[[], datetime] = utc_now) -> Container:
    check_installed_calendar()  # deadlines record the holiday source's version: refuse another
    db: ReadDatabase
    # Several workers may start at once: one at a time creates the tables (CREATE TYPE and
    # CREATE OR REPLACE FUNCTION are not safe to race).
    creating = (SchemaLock(settings.postgres_url) if settings.backend == "postgres"
                else contextlib.nullcontext())
    with creating:
        keystore = KeyStore(settings.keystore_location, settings.master_key_ring(),
                            pool_size=KEYSTORE_POOL_SIZE)
        vault = KeyStoreVault(keystore)
        ledger = Ledger(env=settings.eventsourcing_env(), clock=clock, vault=vault)
        if settings.backend == "sqlite":
            db = SQLiteDatabase(settings.sqlite_path)
        else:
            db = PostgresDatabase(settings.postgres_url, max_size=READ_POOL_SIZE)
        if tracing.enabled():
            db = TracedDatabase(db)  # type: ignore[assignment]
        budget = settings.rebuild_memory  # (a rebuild's memory: `projections.batch_state`)
        runner = ProjectionRunner(ledger, db, [CaseProjection(rebuild_memory=budget),
                                               DeadlineProjection(rebuild_memory=budget),
                                               StatisticsProjection(), SolidarityProjection(),
                                               IntegrityProjection(), AdmissionProjection()],
                                  helpers=settings.helper_processes)
        access_log = PersonalDataLog(db)
        access_log.create()
    replica_url = settings.read_postgres_url
    read_db: ReadDatabase = (PostgresDatabase(replica_url, max_size=READ_POOL_SIZE)
                             if replica_url else db)
    if replica_url and tracing.enabled():
        read_db = TracedDatabase(read_db)  # type: ignore[assignment]
    reads = ReadModels.over(read_db, clock, settings.border_capacities, events=ledger,
                            helpers=settings.helper_processes)
    # Procedure assignment takes the nationality's EU-wide recognition rate (APR Art 42(1)(j))
    # from the reference data loaded in the event store (ledger.reference_data), never from a
    # read model; the statistics read model's own rate is only shown beside it.
    return Container(
        settings=settings,
        ledger=ledger,
        db=db,
        runner=runner,
        commands=ConsistentLedger(ledger, runner, wait=settings.consistency_wait,
                                  replica=read_db if read_db is not db else None,
                                  deadline=settings.command_deadline),
        reads=reads,
        access_log=access_log,
        keystore=keystore,
        personal=PersonalDataReads(read_db, vault),
        read_db=read_db,
        leadership=(AdvisoryLeadership(settings.postgres_url)
                    if settings.backend == "postgres" else None),
    )
