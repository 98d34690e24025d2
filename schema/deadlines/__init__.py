"""Deadlines of cases, and the crisis periods that change them (with their mutations)."""
