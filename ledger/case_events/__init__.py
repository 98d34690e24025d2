"""Every event of a case, grouped by phase of the procedure. Import from here."""

from ledger.case_events.access import *  # noqa: F403
from ledger.case_events.after_decision import *  # noqa: F403
from ledger.case_events.base import CASE_EVENT_TYPES, CaseEvent, stable
from ledger.case_events.eurodac import *  # noqa: F403
from ledger.case_events.examination import *  # noqa: F403
from ledger.case_events.relocation import *  # noqa: F403
from ledger.case_events.remedies import *  # noqa: F403
from ledger.case_events.responsibility import *  # noqa: F403
from ledger.case_events.screening import *  # noqa: F403

PHASES = ("screening", "eurodac", "access", "responsibility", "examination", "remedies",
          "after_decision", "relocation")


def phase_of(event: CaseEvent | type) -> str:
    """The phase of the procedure an event belongs to: the module that defines it."""
    cls = event if isinstance(event, type) else type(event)
    return cls.__module__.rsplit(".", 1)[-1].upper()


__all__ = ["CASE_EVENT_TYPES", "PHASES", "CaseEvent", "phase_of", "stable", *CASE_EVENT_TYPES]
