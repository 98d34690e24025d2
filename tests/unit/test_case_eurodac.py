"""Eurodac (Regulation (EU) 2024/1358) on the in-memory store: biometrics only from age six with
a known age, transmission only of what was captured (retention runs from it), marking only on
protection, unmarking only of marked data."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.case.eurodac.values import EurodacHit
from ledger.deadlines.durations import add_months
from tests.support.cases import applied, case_of, day, decided, registered, step
from tests.support.refusals import provokes, refused


@provokes("BIOMETRICS_UNDER_SIX")
def test_no_biometrics_under_six(ledger: Ledger) -> None:
    """Arts 15(1), 22(1), 24(1): the age threshold, from the date of birth when it is known
    (it wins over an estimate) or else from the estimated age."""
    born = date(2020, 3, 3)  # five on day 0 (2026-03-02), six on 2026-03-03
    child = applied(ledger, "E-1", born=born)
    refused(ledger, c.CaptureBiometrics(child, "APPLICANT", age=30), 0.5,
            "BIOMETRICS_UNDER_SIX")
    step(ledger, c.CaptureBiometrics(child, "APPLICANT"), 1)  # the sixth birthday
    captured = list(ledger.events.get(child))[-1]
    assert captured.age_at_capture == 6
    estimated = applied(ledger, "E-1b")
    refused(ledger, c.CaptureBiometrics(estimated, "APPLICANT", age=5), 0.5,
            "BIOMETRICS_UNDER_SIX")
    step(ledger, c.CaptureBiometrics(estimated, "APPLICANT", age=6), 0.5)


@provokes("AGE_UNKNOWN")
def test_the_age_must_be_known(ledger: Ledger) -> None:
    """Art 15(1): without a date of birth an estimated age is needed to apply the threshold."""
    case_id = applied(ledger, "E-2")
    refused(ledger, c.CaptureBiometrics(case_id, "APPLICANT"), 0.5, "AGE_UNKNOWN")


@provokes("NOTHING_CAPTURED")
def test_transmission_needs_a_capture(ledger: Ledger) -> None:
    """Art 15(1): what is transmitted is the biometric data captured."""
    case_id = registered(ledger, "E-3")
    refused(ledger, c.TransmitToEurodac(case_id, "EU-IT-3"), 1.5, "NOTHING_CAPTURED")


@pytest.mark.parametrize(("category", "article", "years"), [
    ("APPLICANT", "Art 15(1)", 10),
    ("SEARCH_AND_RESCUE", "Art 24", 5),
    ("IRREGULAR_CROSSING", "Art 22", 5),
])
def test_retention_runs_from_transmission(ledger: Ledger, category: str, article: str,
                                          years: int) -> None:
    """Art 29: retention is counted from transmission, per category; the capture cites the
    article of its category."""
    case_id = registered(ledger, f"E-4-{category}")
    step(ledger, c.CaptureBiometrics(case_id, category, age=30), 1.2)
    assert list(ledger.events.get(case_id))[-1].envelope.legal_basis[0].article == article
    step(ledger, c.TransmitToEurodac(case_id, "EU-IT-4"), 2)
    transmitted = list(ledger.events.get(case_id))[-1]
    assert transmitted.retention_until == add_months(day(2), 12 * years).date()
    eurodac = case_of(ledger, case_id).eurodac
    assert eurodac.transmitted and eurodac.reference == "EU-IT-4"
    assert eurodac.category == category


def test_hits_and_security_flags_are_kept(ledger: Ledger) -> None:
    """Art 27 hits feed the AMMR procedure; a flag (Art 17, AMMR Art 16(4)) excludes
    relocation."""
    case_id = registered(ledger, "E-5")
    step(ledger, c.RecordEurodacHit(case_id, "IRREGULAR_CROSSING", "EL", "HIT-1"), 2)
    step(ledger, c.RecordSecurityFlag(case_id, "EAW offence"), 3)
    case = case_of(ledger, case_id)
    assert case.hits == (EurodacHit(category="IRREGULAR_CROSSING", origin="EL", ref="HIT-1",
                                    received_at=day(2)),)  # AMMR Art 39(1): a month from receipt
    assert case.security_flag is True


@provokes("MARK_REQUIRES_PROTECTION")
def test_marking_follows_protection_once(ledger: Ledger) -> None:
    """Art 31(1): data are marked when protection is granted, and only once."""
    rejected = decided(ledger, "E-6", "UNFOUNDED")
    refused(ledger, c.MarkInEurodac(rejected), 31, "MARK_REQUIRES_PROTECTION")
    granted = decided(ledger, "E-6b", "REFUGEE_STATUS")
    refused(ledger, c.MarkInEurodac(granted), 31, "MARK_REQUIRES_PROTECTION")  # not sent yet
    _transmit(ledger, granted, 31)
    step(ledger, c.MarkInEurodac(granted), 31)
    assert case_of(ledger, granted).eurodac.marked is True
    refused(ledger, c.MarkInEurodac(granted), 32, "MARK_REQUIRES_PROTECTION")


@provokes("NOT_MARKED")
def test_only_marked_data_are_unmarked(ledger: Ledger) -> None:
    """Art 31(5): unmarking undoes a marking on withdrawal of protection."""
    granted = decided(ledger, "E-7", "SUBSIDIARY_PROTECTION")
    refused(ledger, c.UnmarkInEurodac(granted, "protection withdrawn"), 31, "NOT_MARKED")
    _transmit(ledger, granted, 31)
    step(ledger, c.MarkInEurodac(granted), 31)
    step(ledger, c.UnmarkInEurodac(granted, "protection withdrawn"), 60)
    assert case_of(ledger, granted).eurodac.marked is False
    refused(ledger, c.UnmarkInEurodac(granted, "again"), 61, "NOT_MARKED")


def _transmit(ledger: Ledger, case_id: object, day: float) -> None:
    step(ledger, c.CaptureBiometrics(case_id, "APPLICANT", age=30), day)  # type: ignore[arg-type]
    step(ledger, c.TransmitToEurodac(case_id, f"EDC-{day}"), day)  # type: ignore[arg-type]
