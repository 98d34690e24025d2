"""Withdrawal and cessation of international protection (QR (EU) 2024/1347 Arts 11, 14, 16, 19;
APR (EU) 2024/1348 Art 66), with the Eurodac unmarking it implies (Eurodac Art 31):
commands, events (with their state transitions), steps (the rules) and handlers side by side.
"""
