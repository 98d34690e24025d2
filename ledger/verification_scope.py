"""A verification report as a member state's auditor may read it.

Verification always reads the whole log (a chain or a tree cannot be checked in part), but a
national auditor learns only about its member state's records: the problems on its streams, the
number of its events checked, and whether a saved digest (ledger-wide, which it holds) still
matches. No other member state's case is named and no ledger-wide count is shown.
"""

from __future__ import annotations

from dataclasses import replace

from ledger.chain_check import Problem
from ledger.verification import Report


def within(report: Report, member_state: str) -> Report:
    streams = {s for s, state in report.stream_states.items() if state == member_state}
    problems = tuple(
        p if p.stream is not None else Problem(
            None, None, None, p.reason, "the saved digest does not match the stored events")
        for p in report.problems if p.stream is None or p.stream in streams)
    checked = sum(n for s, n in report.stream_counts.items() if s in streams)
    return replace(report, events_checked=checked, size=0, root="", problems=problems,
                   stream_counts={s: report.stream_counts[s] for s in streams},
                   stream_states={s: member_state for s in streams})
