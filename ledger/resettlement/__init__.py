"""Resettlement and humanitarian admission (Union Resettlement and Humanitarian Admission
Framework, Regulation (EU) 2024/1350): the two-year Union plan and each admission file, a case
type of its own beside the asylum case."""
