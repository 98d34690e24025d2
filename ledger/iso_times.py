"""A datetime's ISO text, written once per datetime object a command uses.

`datetime.isoformat` costs ~12k instructions (a C `sprintf` per field), and a command writes
the same two datetimes several times: its legal time in its fingerprint and in each event's
envelope, its recording time in each event's `timestamp`. The texts of the last datetime
objects written are kept by identity (`ledger.kept_by_identity`: a datetime never changes),
so each is written once.
Only for `datetime` itself (the callers check the exact type): a subclass may format otherwise.
"""

from __future__ import annotations

from datetime import datetime

from ledger.kept_by_identity import kept_by_identity

#: How many datetimes are kept (a command uses two; several threads may write at once).
_KEPT = 64

#: `moment.isoformat()` (`moment` of the exact type `datetime`), once per datetime object.
iso_text = kept_by_identity(datetime.isoformat, _KEPT)


def iso_text_microseconds(moment: datetime) -> str:
    """`moment.isoformat(timespec="microseconds")` (`moment` of the exact type `datetime`): the
    text of `isoformat()` unless the microsecond is 0 (`timespec="auto"` is "microseconds"
    then, "seconds" otherwise; the offset is written alike)."""
    if moment.microsecond:
        return iso_text(moment)
    return moment.isoformat(timespec="microseconds")
