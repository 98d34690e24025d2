"""A member state's crisis and force-majeure periods (Crisis Regulation (EU) 2024/1359): the
`CrisisRegime` aggregate and its events (`regime`), its commands and their handlers."""
