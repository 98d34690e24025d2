"""Late recording: a step is recorded in the ledger well after it legally happened.

Legal time (`occurred_at`) drives deadlines; recording time (`recorded_at`) only tells whether the
record itself was late. A late record is accepted and marked, never refused: the step happened
when it happened. The grace covers ordinary delays (a step done at night, entered next morning).
"""

from __future__ import annotations

from datetime import datetime, timedelta

DEFAULT_GRACE = timedelta(hours=24)


def recorded_late(occurred_at: datetime, recorded_at: datetime,
                  grace: timedelta = DEFAULT_GRACE) -> bool:
    """True when the step was recorded more than `grace` after it legally occurred."""
    return recorded_at - occurred_at > grace
