"""Scenarios: the YAML model, its rubric, and the loader that checks references and reachability."""
