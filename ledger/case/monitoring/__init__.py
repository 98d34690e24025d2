"""The independent fundamental-rights monitoring mechanism (Screening Regulation (EU) 2024/1356
Art 10; APR (EU) 2024/1348 Art 43(4)): allegations, investigations and their outcomes, linked to
the case: commands, events, steps (the rules) and handlers side by side.
"""
