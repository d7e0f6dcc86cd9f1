"""The phrasebook: categories, phrases and slot templates, loaded from YAML (cached as JSON)."""
