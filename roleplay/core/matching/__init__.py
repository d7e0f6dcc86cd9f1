"""Matching a reply against the phrasebook: units, fuzzy scores, meaning rules, explanations."""
