"""The EU-wide first-instance recognition rate per nationality, as the law defines it: "the latest
available annual Union-wide average Eurostat data" (APR (EU) 2024/1348 Arts 42(1)(j), 45(1)) --
published figures loaded as versioned reference data, not the ledger's own decisions.

Each load is an event on one write-side stream (`RecognitionReference`): the figures with their
source, reference year and version, and whether they are the confirmed published figures. A
version is loaded once and never changed; a correction is a new version. Assigning a procedure
reads the latest reference year (the last version loaded for it) from this stream, never from a
read model, and names the version it used on its event (`evidence_refs`), so a rebuild or an
audit sees the same input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger import rules
from ledger.envelope import Envelope, LegalBasis, Step
from ledger.errors import FieldProblem, InvalidInput, RuleViolation
from ledger.recording_clock import recording_now
from ledger.topics import topic_pinner
from ledger.vocabulary import is_country_code

APR = "APR (EU) 2024/1348"
BASIS = LegalBasis(APR, "Arts 42(1)(j), 45(1)")
_ID = uuid5(NAMESPACE_URL, "https://pact-ledger.eu/reference/recognition-rates")

REFERENCE_VERSION_EXISTS = rules.define_rule(
    "REFERENCE_VERSION_EXISTS", f"{APR} Arts 42(1)(j), 45(1)",
    "This version of the recognition-rate reference data is already loaded; a correction is "
    "a new version")


@dataclass(frozen=True)
class RateFigure:
    nationality: str
    rate: Decimal  # share of first-instance decisions granting protection, 0..1
    decisions: int | None = None
    grants: int | None = None


@dataclass(frozen=True)
class RecognitionRateTable:
    source: str  # e.g. "Eurostat migr_asydcfsta, annual first-instance decisions"
    reference_year: int
    version: str
    confirmed: bool  # False: sample or provisional figures, not the published ones
    note: str
    figures: Mapping[str, RateFigure]

    @property
    def reference(self) -> str:
        """How an event names the figures it used."""
        return f"recognition-rates:{self.version}"

    def rate_of(self, nationality: str) -> Decimal | None:
        figure = self.figures.get(nationality)
        return None if figure is None else figure.rate


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError
    return Decimal(str(value))


def parse_table(data: Mapping[str, Any]) -> RecognitionRateTable:
    """A table from its JSON shape (`ledger/reference_data/README.md`); every problem named by
    its field, nothing half-read."""
    problems: list[FieldProblem] = []

    def need(name: str, kind: type) -> Any:
        value = data.get(name)
        if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
            problems.append(FieldProblem(name, f"is required ({kind.__name__})"))
        return value

    source, year, version = need("source", str), need("referenceYear", int), need("version", str)
    confirmed, note = data.get("confirmed"), data.get("note", "")
    if not isinstance(confirmed, bool):
        problems.append(FieldProblem("confirmed", "is required (true only for the published "
                                                  "figures)"))
    figures: dict[str, RateFigure] = {}
    rows = data.get("figures")
    if not isinstance(rows, list) or not rows:
        problems.append(FieldProblem("figures", "is required: a list of nationalities"))
        rows = []
    for i, row in enumerate(rows):
        where = f"figures[{i}]"
        if not isinstance(row, Mapping):
            problems.append(FieldProblem(where, "must be an object"))
            continue
        nationality = row.get("nationality")
        if not isinstance(nationality, str) or not is_country_code(nationality):
            problems.append(FieldProblem(f"{where}.nationality", "a two-letter country code"))
            continue
        if nationality in figures:
            problems.append(FieldProblem(f"{where}.nationality", "appears twice"))
            continue
        decisions, grants = row.get("decisions"), row.get("grants")
        try:
            if "rate" in row:
                rate = _decimal(row["rate"])
            elif isinstance(decisions, int) and isinstance(grants, int) and decisions > 0:
                rate = Decimal(grants) / Decimal(decisions)
            else:
                raise ValueError
        except (ValueError, InvalidOperation):
            problems.append(FieldProblem(f"{where}.rate", "a rate between 0 and 1, or "
                                                          "decisions and grants"))
            continue
        if not Decimal(0) <= rate <= Decimal(1):
            problems.append(FieldProblem(f"{where}.rate", "must lie between 0 and 1"))
            continue
        figures[nationality] = RateFigure(nationality, rate.quantize(Decimal("0.0001")),
                                          decisions if isinstance(decisions, int) else None,
                                          grants if isinstance(grants, int) else None)
    if problems:
        raise InvalidInput(problems)
    return RecognitionRateTable(source, year, version, bool(confirmed), str(note), figures)


_pin = topic_pinner("reference")


class RecognitionReference(Aggregate):
    """Every recognition-rate table loaded, in the order loaded (one stream)."""

    TOPIC = "pact-ledger:reference.RecognitionReference"

    if TYPE_CHECKING:
        _tables: list[RecognitionRateTable]

    class Created(Aggregate.Created):
        TOPIC = "pact-ledger:reference.RecognitionReference.Created"

    @staticmethod
    def create_id() -> UUID:  # type: ignore[override]
        return _ID

    def tables(self) -> list[RecognitionRateTable]:
        return getattr(self, "_tables", [])

    def latest(self) -> RecognitionRateTable | None:
        """The latest reference year; for that year, the version loaded last."""
        tables = self.tables()
        if not tables:
            return None
        year = max(t.reference_year for t in tables)
        return [t for t in tables if t.reference_year == year][-1]

    @classmethod
    def load(cls, step: Step, table: RecognitionRateTable,
             existing: RecognitionReference | None) -> RecognitionReference:
        if existing is not None and any(t.version == table.version for t in existing.tables()):
            raise RuleViolation(REFERENCE_VERSION_EXISTS, table.version)
        reference = existing
        if reference is None:
            reference = cls._create(RecognitionReferenceOpened, id=_ID,
                                    envelope=step.envelope(BASIS))
        reference.trigger_event(
            RecognitionRatesPublished, envelope=step.envelope(BASIS), source=table.source,
            reference_year=table.reference_year, version=table.version,
            confirmed=table.confirmed, note=table.note,
            figures=tuple((f.nationality, str(f.rate), f.decisions, f.grants)
                          for f in table.figures.values()))
        return reference


class ReferenceEvent(Aggregate.Event):
    envelope: Envelope

    @staticmethod
    def create_timestamp() -> Any:
        return recording_now()


@_pin("RecognitionReferenceOpened")
class RecognitionReferenceOpened(ReferenceEvent, Aggregate.Created):
    def apply(self, reference: RecognitionReference) -> None:  # type: ignore[override]
        reference._tables = []


@_pin("RecognitionRatesPublished")
class RecognitionRatesPublished(ReferenceEvent):
    """One version of the figures, as loaded (legal time: when they were published)."""

    source: str
    reference_year: int
    version: str
    confirmed: bool
    note: str
    figures: tuple[tuple[str, str, int | None, int | None], ...]

    def table(self) -> RecognitionRateTable:
        return RecognitionRateTable(
            self.source, self.reference_year, self.version, self.confirmed, self.note,
            {n: RateFigure(n, Decimal(rate), d, g) for n, rate, d, g in self.figures})

    def apply(self, reference: RecognitionReference) -> None:  # type: ignore[override]
        reference._tables.append(self.table())
