"""Reference data files read at the edge (the ledger itself does no I/O): the recognition-rate
tables of `ledger/reference_data` (format: ledger/reference_data/README.md)."""

from __future__ import annotations

import json
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from ledger.command_meta import CommandMeta
from ledger.envelope import Actor
from ledger.reference_data.commands import LoadRecognitionRates

#: The labelled sample shipped for the demo and the tests: NOT Eurostat's published figures.
SAMPLE_RECOGNITION_RATES = "recognition_rates_sample.json"

#: Who records reference data loaded from the command line or the demo.
LOADER = Actor("eu-reference-loader", "ADMINISTRATOR", "Pact Ledger reference data", "EU")


def sample_recognition_rates() -> dict[str, Any]:
    text = resources.files("ledger.reference_data").joinpath(SAMPLE_RECOGNITION_RATES)
    return dict(json.loads(text.read_text(encoding="utf-8")))


def recognition_rates_file(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a JSON object is expected")
    return data


def load_command(table: dict[str, Any], published_at: datetime,
                 actor: Actor = LOADER) -> tuple[LoadRecognitionRates, CommandMeta]:
    return LoadRecognitionRates(table), CommandMeta(actor=actor, occurred_at=published_at)
