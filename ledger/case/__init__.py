"""The case aggregate and the rules of each phase of the procedure."""

from ledger.case.aggregate import Case
from ledger.case.guards import CLOCK_SKEW
from ledger.case.screening import SCREENING_BASIS

__all__ = ["CLOCK_SKEW", "Case", "SCREENING_BASIS"]
