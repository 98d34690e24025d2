"""Builds the running system from settings: write side, read database, projection runner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ledger.application import Ledger, utc_now
from ledger.deadlines.calendars import check_installed_calendar
from pact_ledger.settings import Settings
from projections.case_projection import CaseProjection
from projections.consistency import ConsistentLedger
from projections.db import PostgresDatabase, ReadDatabase, SQLiteDatabase
from projections.deadline_projection import DeadlineProjection
from projections.integrity_projection import IntegrityProjection
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

    def close(self) -> None:
        self.runner.stop()
        self.db.close()
        self.ledger.close()


def build(settings: Settings, clock: Callable[[], datetime] = utc_now) -> Container:
    check_installed_calendar()  # deadlines record the holiday source's version: refuse another
    ledger = Ledger(env=settings.eventsourcing_env(), clock=clock)
    db: ReadDatabase
    if settings.backend == "sqlite":
        db = SQLiteDatabase(settings.sqlite_path)
    else:
        db = PostgresDatabase(settings.postgres_url)
    runner = ProjectionRunner(ledger, db, [CaseProjection(), DeadlineProjection(),
                                           StatisticsProjection(), SolidarityProjection(),
                                           IntegrityProjection()])
    reads = ReadModels.over(db, clock, settings.border_capacities, events=ledger)
    access_log = PersonalDataLog(db)
    access_log.create()
    return Container(
        settings=settings,
        ledger=ledger,
        db=db,
        runner=runner,
        commands=ConsistentLedger(ledger, runner),
        reads=reads,
        access_log=access_log,
    )
