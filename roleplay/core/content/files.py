"""Content files named on a command line: files as given, folders searched for YAML."""

from __future__ import annotations

from pathlib import Path

from roleplay.core.content.problems import Problem

def expand(paths: list[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Files named or found (recursively, *.yaml / *.yml) under the given paths."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.is_file() and q.suffix in (".yaml", ".yml"))
            if not found:
                problems.append(Problem(str(p), 1, 1, "folder holds no .yaml files", "Y130"))
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            problems.append(Problem(str(p), 1, 1, "no such file or folder", "Y131"))
    return files, problems
