"""A cycle as it stood at a date, folded from its rows in `solidarity_events` (log order).

The stage is the one each step enters (`STAGE` on the event class), so the read model follows
the aggregate's own order of stages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ledger.solidarity.event_types import SOLIDARITY_EVENT_TYPES
from projections.db import Row
from projections.encoding import loads


@dataclass
class CycleView:
    """Each step's payload (with its `occurred_at`) by event type; forums by meeting."""

    year: int
    cycle_id: str
    version: int = 0
    stage: str = ""
    updated_at: str = ""
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    forums: dict[int, str] = field(default_factory=dict)

    @classmethod
    def fold(cls, rows: Sequence[Row]) -> CycleView | None:
        if not rows:
            return None
        view = cls(year=rows[0]["year"], cycle_id=rows[0]["aggregate_id"])
        for row in rows:
            step = {**loads(row["payload"]), "occurred_at": row["occurred_at"]}
            view.steps[row["event_type"]] = step
            if row["event_type"] == "HighLevelForumConvened":
                view.forums[step["meeting"]] = row["occurred_at"]
            stage = getattr(SOLIDARITY_EVENT_TYPES[row["event_type"]], "STAGE", None)
            view.stage = stage or view.stage
            view.version, view.updated_at = row["version"], row["occurred_at"]
        return view

    def step(self, event_type: str) -> dict[str, Any] | None:
        return self.steps.get(event_type)

    @property
    def proposal(self) -> dict[str, Any] | None:
        return self.steps.get("PoolProposed")

    @property
    def pool(self) -> dict[str, Any] | None:
        return self.steps.get("AnnualPoolEstablished")

    @property
    def cents_per_relocation(self) -> int | None:
        return self.pool["cents_per_relocation"] if self.pool else None
