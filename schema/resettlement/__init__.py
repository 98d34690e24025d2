"""Resettlement and humanitarian admission (URF (EU) 2024/1350): its own case type."""
