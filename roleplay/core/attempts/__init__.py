"""Attempts: the one lifecycle every front end uses (start, reply, resume, finish), sessions, rescoring."""
