"""Rewrite templates written in the old syntax (`{org}`, `{req_verb|把}`, `{吗|q}`) into the grammar's.

    python tools/migrate_templates.py                  # the shipped phrasebook/ and scenarios/
    python tools/migrate_templates.py FILE_OR_DIR ...  # other files; --check: report, write nothing

Mechanical and idempotent: a slot named in braces gets its `$` ({org} -> {$org}, {req_verb|把} ->
{$req_verb|把}), `q` among alternatives becomes `?`, old gap shorthands get their explicit bounds
({any} -> {any:1-6}, {any:3-1} -> {any:1}, {any:0-20} -> {any:0-16}, as the old compiler read them).
Everything already in the new syntax is left alone, so running it twice changes nothing. Each
rewritten template is compiled both ways (tools/legacy_templates.py and the grammar) and must give
the very same regex and gates, or it is left as written and reported. Templates the grammar rejects
(`您好{start}我是`, `{hardshp}`) are left as written and reported with path:line:col.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import legacy_templates  # noqa: E402

from roleplay.core.matching.encode import ChineseEncoder, EnglishEncoder  # noqa: E402
from roleplay.core.phrasebook import grammar, templates  # noqa: E402

_HOLE = re.compile(r"\{([^{}]*)\}")
_OLD_ANY = re.compile(r"^any(?::(\d+)(?:-(\d+))?)?$")
_OLD_SLOT = re.compile(r"^[a-z][a-z0-9_]*$")


def migrate(template: str, slots: set[str], lang: str) -> tuple[str, list[tuple[int, str]]]:
    """The template in the new syntax, and notes (offset, message) on what was kept as written."""
    notes: list[tuple[int, str]] = []

    def hole(m: re.Match[str]) -> str:
        body = m.group(1)
        if body in ("start", "end", "q"):
            return m.group(0)
        gap = _OLD_ANY.match(body)
        if gap:
            high = min(int(gap.group(2) or gap.group(1) or 6), grammar.MAX_GAP)
            low = min(int(gap.group(1) or 1), high)
            if high == 0:
                return ""  # skipped nothing
            return f"{{any:{low}}}" if low == high else f"{{any:{low}-{high}}}"
        alternatives = [a.strip() for a in body.split("|")]
        if len(alternatives) == 1:
            name = alternatives[0]
            return f"{{${name}}}" if name in slots else m.group(0)  # an undefined one is reported by the grammar
        out = []
        for alternative in alternatives:
            if alternative == "q":
                out.append("?")
            elif alternative in slots:
                out.append("$" + alternative)
            else:
                if lang == "zh" and _OLD_SLOT.match(alternative):
                    notes.append((m.start() + 1, f"{alternative!r} is not a slot: kept as the word itself"))
                out.append(alternative)
        return "{" + "|".join(out) + "}"

    return _HOLE.sub(hole, template), notes


def same_matching(old: str, new: str, values: dict[str, list[str]], lang: str) -> bool:
    """True when the old compiler on `old` and the grammar on `new` give the same regex and gates."""
    encoder = ChineseEncoder() if lang == "zh" else EnglishEncoder({}, [])
    words = lang == "en"
    before = legacy_templates.parse_template("c", old, values, encoder.literal, encoder.cue, words)
    after = templates.parse_template("c", new, values, encoder.literal, encoder.cue, words)
    return (legacy_templates.compile_template(old, values, encoder.literal, words).pattern
            == templates.compile_template(new, values, encoder.literal, words).pattern
            and sorted(map(repr, before.gates)) == sorted(map(repr, after.gates)))


def _slots(files: list[Path]) -> dict[str, dict[str, list[str]]]:
    """Slot values per language, from every phrasebook file given (scenarios use the shipped ones)."""
    found: dict[str, dict[str, list[str]]] = {"zh": {}, "en": {}}
    for f in files:
        try:
            data = yaml.safe_load(f.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # reported when the file itself is migrated
        if isinstance(data, dict) and isinstance(data.get("slots"), dict):
            for name, values in data["slots"].items():
                found.setdefault(data.get("language") or "zh", {}).setdefault(name, []).extend(values or [])
    return found


def _template_nodes(root: yaml.Node) -> tuple[str, list[yaml.ScalarNode]]:
    """(language, template scalar nodes) of a phrasebook or scenario document."""
    if not isinstance(root, yaml.MappingNode):
        return "zh", []
    top = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    lang = top["language"].value if isinstance(top.get("language"), yaml.ScalarNode) else "zh"
    lists: list[yaml.Node] = []
    if isinstance(top.get("templates"), yaml.MappingNode):  # phrasebook file
        lists = [v for _, v in top["templates"].value]
    if isinstance(top.get("kinds"), yaml.MappingNode):  # phrasebook kind families: kinds: {cat: {kind: {templates}}}
        for _, families in top["kinds"].value:
            for _, family in (families.value if isinstance(families, yaml.MappingNode) else []):
                if isinstance(family, yaml.MappingNode):
                    lists += [v for k, v in family.value if isinstance(k, yaml.ScalarNode) and k.value == "templates"]
    if isinstance(top.get("categories"), yaml.MappingNode):  # scenario-local categories
        for _, cat in top["categories"].value:
            if isinstance(cat, yaml.MappingNode):
                lists += [v for k, v in cat.value if isinstance(k, yaml.ScalarNode) and k.value == "templates"]
    nodes = [item for seq in lists if isinstance(seq, yaml.SequenceNode) for item in seq.value
             if isinstance(item, yaml.ScalarNode)]
    return lang, nodes


def _compose(text: str) -> yaml.Node:
    """The node tree, read as roleplay reads files (libyaml when present: `{say: Who?, …}` parses there)."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _quoted(node: yaml.ScalarNode, text: str) -> str:
    if node.style == "'":
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def migrate_file(path: Path, slot_values: dict[str, dict[str, list[str]]], write: bool) -> tuple[int, list[str]]:
    """(templates rewritten, located reports) for one YAML file."""
    try:
        text = path.read_text(encoding="utf-8")
        root = _compose(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else f"{path}:1:1"
        return 0, [f"{where}: skipped: not a readable YAML file ({type(exc).__name__}); `roleplay validate` says why"]
    lang, nodes = _template_nodes(root)
    values = slot_values.get(lang, {})
    edits: list[tuple[int, int, str]] = []
    reports: list[str] = []
    for node in nodes:
        old = node.value
        new, notes = migrate(old, set(values), lang)
        quote = 1 if node.style in ('"', "'") else 0
        line, col = node.start_mark.line + 1, node.start_mark.column + 1 + quote
        where = f"{path}:{line}:{col}"
        reports += [f"{path}:{line}:{col + at}: note: {message}" for at, message in notes]
        parsed = grammar.parse(new)
        problems = [i for i in parsed.issues if i.severity == "error"]
        problems += [i for i in grammar.check_slots(parsed, values) if i.severity == "error"]
        if problems:
            reports += [f"{path}:{line}:{col + i.at}: left as written: {i.message} [{i.code}]" for i in problems]
            continue
        if new == old:
            continue
        if not same_matching(old, new, values, lang):
            reports.append(f"{where}: left as written: {old!r} -> {new!r} would match differently")
            continue
        if node.style not in ('"', "'") and node.style is not None:
            reports.append(f"{where}: left as written: block scalars are not rewritten; write {new!r} by hand")
            continue
        start, end = node.start_mark.index, node.end_mark.index
        if yaml.safe_load(text[start:end]) != old:  # the marks must point at exactly this string
            reports.append(f"{where}: left as written: could not find the string in the file; write {new!r} by hand")
            continue
        edits.append((start, end, _quoted(node, new)))
    if edits and write:
        for start, end, replacement in sorted(edits, reverse=True):
            text = text[:start] + replacement + text[end:]
        path.write_text(text, encoding="utf-8")
    return len(edits), reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="files or folders (default: phrasebook/ and scenarios/)")
    parser.add_argument("--check", action="store_true", help="report what would change; write nothing")
    args = parser.parse_args(argv)
    roots = [Path(p) for p in args.paths] or [ROOT / "phrasebook", ROOT / "scenarios"]
    files = sorted({f for r in roots for f in ([r] if r.is_file() else r.rglob("*.y*ml"))})
    shipped = sorted((ROOT / "phrasebook").rglob("*.y*ml"))
    slot_values = _slots(sorted(set(shipped) | set(files)))
    total = 0
    trouble = False
    for f in files:
        changed, reports = migrate_file(f, slot_values, write=not args.check)
        total += changed
        for line in reports:
            print(line)
            trouble = trouble or ": left as written:" in line or ": skipped:" in line
    print(f"{'would rewrite' if args.check else 'rewrote'} {total} template(s) in {len(files)} file(s)")
    return 1 if trouble else 0


if __name__ == "__main__":
    raise SystemExit(main())
