"""Safeguards: legal counselling and assistance (APR (EU) 2024/1348 Arts 15-19) and interpreters,
recorded as the steps they are: commands, events, steps (the rules) and handlers side by side.
"""
