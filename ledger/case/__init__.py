"""The case aggregate and the rules of each phase of the procedure."""

from ledger.case.aggregate import Case
from ledger.case.screening import SCREENING_BASIS

__all__ = ["Case", "SCREENING_BASIS"]
