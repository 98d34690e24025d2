"""Remedies:
commands, events (with their state transitions), steps (the rules) and handlers side by side.
"""
