"""Safe YAML loading for untrusted files: plain data plus a line:col for every key and item.

Nothing in a file is ever executed: only the standard tags are accepted, aliases are refused
(an alias bomb expands exponentially in anything that walks the data), and the YAML 1.1
surprises (`no` -> False, `12:30` -> 750, `0123` -> 83, duplicate keys) are reported instead of
silently changing what a coach wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from roleplay.core.content.problems import ContentError, Problem, Severity

try:  # the C loader is ~7x faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform's wheel
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 2_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000

_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}
_TRUE_FALSE = {"true", "false"}
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+$")

Path_ = tuple[Any, ...]


@dataclass
class YamlDoc:
    """A loaded document: `data` is plain Python; `marks` maps a key path to (line, col)."""

    path: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    text: str = ""  # the source, so a problem inside a one-line string can point at its column

    def where(self, loc: Path_) -> tuple[int, int]:
        """Line and column of the deepest known element along `loc` (unknown parts are skipped)."""
        best: Path_ = ()
        for part in loc:
            candidate = best + (part,)
            if candidate in self.marks:
                best = candidate
        return self.marks.get(best, (1, 1))

    def problem(self, loc: Path_, message: str, code: str = "", severity: Severity = "error") -> Problem:
        line, col = self.where(loc)
        return Problem(self.path, line, col, message, code, severity)

    def problem_in(self, loc: Path_, offset: int, message: str, code: str = "",
                   severity: Severity = "error") -> Problem:
        """A problem at character `offset` of the string at `loc` (its start when that cannot be told)."""
        line, col = self.where(loc)
        lines = self.text.splitlines()
        if loc in self.marks and 0 < line <= len(lines) and col <= len(lines[line - 1]):
            row = lines[line - 1]
            quote = row[col - 1] if row[col - 1] in "\"'" else ""
            body = row[col:] if quote else row[col - 1:]
            # only a one-line string without escapes maps offsets to columns one to one
            if len(body) > offset and (not quote or (quote in body and "\\" not in body.split(quote)[0])):
                col += offset + (1 if quote else 0)
        return Problem(self.path, line, col, message, code, severity)


def _line_col_of_offset(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def read_text(path: str | Path, *, max_bytes: int = MAX_BYTES) -> str:
    """Read a file as UTF-8 text, turning binary, oversize or badly encoded files into problems."""
    shown = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ContentError([Problem(shown, 1, 1, "no such file; check the path", "Y101")]) from None
    except IsADirectoryError:
        raise ContentError([Problem(shown, 1, 1, "is a folder, not a file", "Y102")]) from None
    except OSError as exc:
        raise ContentError([Problem(shown, 1, 1, f"cannot read the file: {exc.strerror}", "Y103")]) from None
    return decode_bytes(raw, shown, max_bytes=max_bytes)


def decode_bytes(raw: bytes, shown: str, *, max_bytes: int = MAX_BYTES) -> str:
    """Decode file bytes as UTF-8 (a BOM is allowed) or explain where and why it is not text."""
    if len(raw) > max_bytes:
        raise ContentError([Problem(shown, 1, 1, (
            f"file is {len(raw):,} bytes; the limit is {max_bytes:,}: split it into several files"), "Y104")])
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _line_col_of_offset(raw, nul)
        raise ContentError([Problem(shown, line, col, "binary data (a NUL byte): expected a UTF-8 YAML text file", "Y105")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_col_of_offset(raw, exc.start)
        raise ContentError([Problem(shown, line, col, (
            "not valid UTF-8: save the file as UTF-8 (GBK/GB2312 files must be converted)"), "Y106")]) from None


def load_yaml(path: str | Path, *, text: str | None = None, max_bytes: int = MAX_BYTES) -> YamlDoc:
    """Load one YAML document safely. Raises ContentError listing every problem found."""
    shown = str(path)
    if text is None:
        text = read_text(path, max_bytes=max_bytes)
    elif len(text.encode("utf-8")) > max_bytes:
        raise ContentError([Problem(shown, 1, 1, f"text is longer than {max_bytes:,} bytes: split it", "Y107")])
    return _Composer(shown, text).run()


class _Composer:
    """Turns the composed node tree into plain data, collecting problems with their marks."""

    def __init__(self, shown: str, text: str):
        self.shown = shown
        self.text = text
        self.problems: list[Problem] = []
        self.marks: dict[Path_, tuple[int, int]] = {}
        self.nodes = 0
        self.constructor = SafeConstructor()

    def _add(self, mark: Any, message: str, code: str) -> None:
        self.problems.append(Problem(self.shown, mark.line + 1, mark.column + 1, message, code))

    def run(self) -> YamlDoc:
        try:
            for event in yaml.parse(self.text, Loader=_Loader):
                if isinstance(event, yaml.AliasEvent):
                    self._add(event.start_mark, (
                        f"YAML alias *{event.anchor} is not allowed: write the value out in full"), "Y110")
            if self.problems:
                raise ContentError(self.problems)
            nodes = list(yaml.compose_all(self.text, Loader=_Loader))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "invalid YAML"
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            raise ContentError([Problem(self.shown, line, col, f"YAML syntax error: {problem} (check the indentation, brackets and quotes here)", "Y111")]) from None
        except yaml.YAMLError as exc:
            raise ContentError([Problem(self.shown, 1, 1, f"YAML error: {exc}", "Y112")]) from None
        except RecursionError:
            raise ContentError([Problem(self.shown, 1, 1, "document is nested too deeply", "Y113")]) from None
        if not nodes or nodes[0] is None:
            raise ContentError([Problem(self.shown, 1, 1, "file is empty: write a scenario or phrasebook mapping (see docs/scenario-format.md, docs/phrasebook-format.md)", "Y114")])
        if len(nodes) > 1:
            self._add(nodes[1].start_mark, "more than one YAML document (---): put one per file", "Y115")
            raise ContentError(self.problems)
        data = self._walk(nodes[0], (), 0)
        if self.problems:
            raise ContentError(self.problems)
        return YamlDoc(self.shown, data, self.marks, self.text)

    def _walk(self, node: Node, at: Path_, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            if self.nodes == MAX_NODES + 1:
                self._add(node.start_mark, f"document has more than {MAX_NODES:,} values: split it", "Y116")
            return None
        if depth > MAX_DEPTH:
            self._add(node.start_mark, f"nested deeper than {MAX_DEPTH} levels", "Y113")
            return None
        self.marks.setdefault(at, (node.start_mark.line + 1, node.start_mark.column + 1))
        if node.tag not in _ALLOWED_TAGS:
            self._add(node.start_mark, f"tag {node.tag!r} is not allowed: plain YAML data only", "Y117")
            return None
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, SequenceNode):
            items = []
            for i, child in enumerate(node.value):
                self.marks[at + (i,)] = (child.start_mark.line + 1, child.start_mark.column + 1)
                items.append(self._walk(child, at + (i,), depth + 1))
            return items
        if isinstance(node, MappingNode):
            return self._mapping(node, at, depth)
        self._add(node.start_mark, "unsupported YAML node", "Y118")  # pragma: no cover - exhaustive above
        return None

    def _mapping(self, node: MappingNode, at: Path_, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self._add(key_node.start_mark, "merge keys (<<) are not allowed: write the keys out", "Y119")
                continue
            if not isinstance(key_node, ScalarNode):
                self._add(key_node.start_mark, "a key must be plain text, not a list or mapping", "Y120")
                continue
            key = self._scalar(key_node)
            if not isinstance(key, str):
                key = key_node.value  # keys are names: `1:` or `no:` stay text
            if key in result:
                self._add(key_node.start_mark, f"duplicate key {key!r}: YAML would silently keep only the last one", "Y121")
                continue
            self.marks[at + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self._walk(value_node, at + (key,), depth + 1)
            # the key's position stays the mark for the entry (better for "unknown key" messages)
            self.marks[at + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result

    def _scalar(self, node: ScalarNode) -> Any:
        tag, value = node.tag, node.value
        if tag == _TAG + "str" or node.style:  # quoted or block scalars are text as written
            return value
        if tag == _TAG + "timestamp":
            return value  # dates and times stay as written
        if tag == _TAG + "bool" and value.lower() not in _TRUE_FALSE:
            self._add(node.start_mark, (
                f"`{value}` is read as a yes/no boolean in YAML: write true/false, "
                f"or quote it (\"{value}\") if you mean the word"), "Y122")
            return value
        if tag == _TAG + "int" and (_SEXAGESIMAL.match(value) or _LEADING_ZERO.match(value)):
            self._add(node.start_mark, (
                f"`{value}` would be read as a number, not as written: quote it (\"{value}\")"), "Y123")
            return value
        if tag == _TAG + "float" and _SEXAGESIMAL.match(value):
            self._add(node.start_mark, f"`{value}` would be read as a base-60 number: quote it (\"{value}\")", "Y124")
            return value
        return self.constructor.construct_object(node)


def validation_problems(doc: YamlDoc, error: Any) -> list[Problem]:
    """Turn a pydantic ValidationError into located problems, one per error."""
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item.get("loc", ()))
        kind = item.get("type", "")
        shown = ".".join(str(p) for p in loc if isinstance(p, (str, int))) or "document"
        if kind == "extra_forbidden":
            message, code = f"unknown key {loc[-1]!r}: check the spelling, or see the format documentation", "K101"
        elif kind == "missing":
            message, code = f"{shown}: required key is missing", "K102"
            # point at the mapping that lacks the key
            loc = loc[:-1]
        else:
            message, code = f"{shown}: {item.get('msg', 'invalid value')}", "K103"
        problems.append(doc.problem(loc, message, code))
    return problems
