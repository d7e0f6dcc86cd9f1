"""Precedence between categories (`yields_to`, `yields_to_in_reply`): one rule, checked acyclic at load.

A category yields when a category it names is recognised in the same span (clause or reply): it is
dropped, whatever order the categories were found in. The relation must have no cycle (a yields to
b yields to a would drop both, or one of them depending on order); load reports a cycle as P203.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def yielding(present: Iterable[str], yields: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Category -> the present categories it yields to, for every present category that yields."""
    here = set(present)
    dropped = {}
    for cid in sorted(here):
        stronger = [y for y in yields.get(cid, ()) if y in here and y != cid]
        if stronger:
            dropped[cid] = stronger
    return dropped


def find_cycle(yields: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle of the relation as [a, b, ..., a], or None when it is acyclic (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(cid: str) -> list[str] | None:
        state[cid] = 1
        path.append(cid)
        for nxt in yields.get(cid, ()):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[cid] = 2
        return None

    for cid in sorted(yields):
        if cid not in state:
            found = visit(cid)
            if found:
                return found
    return None
