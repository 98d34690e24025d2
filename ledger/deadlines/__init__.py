"""Legal deadlines as data: versioned rules (act, article, duration, the events that start and
meet them) and the arithmetic of their durations."""
