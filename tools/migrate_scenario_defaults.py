"""Migrate scenario files to the defaults: implicit `none: [taboo]` on rules and a state-level `on_taboo`.

Behaviour is kept: a rule that listed `none: [taboo]` already ignored rude replies (now every rule
does unless it names taboo itself), and a state's leading `when: {any: [taboo]}` rule fired before
every other rule, as `on_taboo` does now. Edits are textual so comments and layout survive.

    python tools/migrate_scenario_defaults.py scenarios/*.yaml       # rewrite in place
    python tools/migrate_scenario_defaults.py --check scenarios/*.yaml   # exit 1 if a file would change
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_NONE_ONLY = [
    (re.compile(r"\{none: \[taboo\]\}"), "{}"),
    (re.compile(r"\{none: \[taboo\], "), "{"),
    (re.compile(r", none: \[taboo\]"), ""),
    (re.compile(r"none: \[taboo, "), "none: ["),
]
_TABOO_RULE = re.compile(r"^(?P<ind> *)- (?:id: \S+\n(?P=ind)  when: \{any: \[taboo\]\}|when: \{any: \[taboo\]\})\n")


def migrate_text(text: str) -> str:
    """The file's text with the defaults applied (unchanged when there is nothing to migrate)."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^( *)rules:\s*$", line)
        if m:
            state_ind = m.group(1)
            block_end = i + 1
            while block_end < len(lines) and (not lines[block_end].strip() or
                                                  _indent(lines[block_end]) > len(state_ind) or
                                                  lines[block_end].startswith(state_ind + "- ")):
                block_end += 1
            rules_block = lines[i + 1:block_end]
            reaction, rest = _take_taboo_rule(rules_block, state_ind)
            if reaction is not None:
                out.append(f"{state_ind}on_taboo:")
                out.extend(reaction)
                if any(r.strip() for r in rest):
                    out.append(line)
                out.extend(rest)
                i = block_end
                continue
        out.append(line)
        i += 1
    text = "\n".join(out)
    for pattern, repl in _NONE_ONLY:
        text = pattern.sub(repl, text)
    return text


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _take_taboo_rule(block: list[str], state_ind: str) -> tuple[list[str] | None, list[str]]:
    """The first rule when it is `when: {any: [taboo]}` as the lines of an on_taboo mapping, and the other rules."""
    if not block:
        return None, block
    item_ind = _indent(block[0])
    if not block[0].lstrip().startswith("- "):
        return None, block
    end = 1
    while end < len(block) and not (block[end].strip() and _indent(block[end]) <= item_ind):
        end += 1
    rule = block[:end]
    first = rule[0][item_ind + 2:]
    body = [first] + [r[item_ind + 2:] if r.strip() else r for r in rule[1:]]
    keys = [b for b in body if b.strip() and not b.startswith(" ")]
    if not any(k.startswith("when: {any: [taboo]}") for k in keys):
        return None, block
    if any(k.startswith("when: ") and k.strip() != "when: {any: [taboo]}" for k in keys):
        return None, block
    kept = [b for b in body if not (b.startswith("id: ") or b.startswith("when: "))]
    pad = state_ind + "  "
    return [pad + b if b.strip() else b for b in kept], block[end:]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    changed = []
    for name in (a for a in argv if a != "--check"):
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        new = migrate_text(text)
        if new != text:
            changed.append(name)
            if not check:
                path.write_text(new, encoding="utf-8")
    for name in changed:
        print(("would migrate " if check else "migrated ") + name)
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
