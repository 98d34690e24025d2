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

__all__ = ["CASE_EVENT_TYPES", "CaseEvent", "stable", *CASE_EVENT_TYPES]
