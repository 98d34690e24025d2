"""The composition root: settings, wiring, the HTTP server and the command line.

Everything that touches the outside world (environment, files, sockets, terminals) lives here,
at the edge; `ledger`, `projections` and `schema` receive what they need.
"""
