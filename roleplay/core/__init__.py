"""Headless domain of roleplay: phrasebook, matcher, scenarios, engine, scoring, store, reports.

Nothing under roleplay.core may import Textual; tests/test_headless.py checks it.
"""
