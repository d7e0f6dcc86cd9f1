"""Screens own layout: start, preparation, play, result, phrasebook, history, help, resume prompt."""
