"""The solidarity ledger of the AMMR's annual cycle (Regulation (EU) 2024/1351, Part IV).

One `SolidarityCycle` aggregate per year records the Union-level steps (annual report, the
Commission's decision on migratory pressure, the pool proposed, the High-Level Forum, the Council
implementing act, closure); one `SolidarityAccount` per member state per year records that
state's fair share, pledges, deductions, benefiting status and every delivery, so that each
balance can be traced back to the events that make it. Money is integer euro cents.
"""
