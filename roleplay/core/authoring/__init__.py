"""Coach tools over the core: validation of content, in-file scenario tests, diagrams, calibration."""
