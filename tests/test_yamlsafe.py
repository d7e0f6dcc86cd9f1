"""Hostile and surprising YAML becomes located problems, never a traceback or silent change."""

import pytest

from roleplay.core.content.problems import ContentError
from roleplay.core.content.yamlsafe import load_yaml


def problems_of(tmp_path, content, name="f.yaml"):
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(ContentError) as info:
        load_yaml(p)
    return [str(x) for x in info.value.problems]


def test_plain_document_keeps_marks(tmp_path):
    p = tmp_path / "ok.yaml"
    p.write_text("a:\n  b: [1, 2]\n  c: 文本\n", encoding="utf-8")
    doc = load_yaml(p)
    assert doc.data == {"a": {"b": [1, 2], "c": "文本"}}
    assert doc.where(("a", "c")) == (3, 3)
    assert doc.where(("a", "b", 1)) == (2, 10)


@pytest.mark.parametrize("content,expect", [
    ("", ":1:1: file is empty"),
    ("# only a comment\n", ":1:1: file is empty"),
    ("a: [1, 2\n", "YAML syntax error"),
    ("a: 1\na: 2\n", ":2:1: duplicate key 'a'"),
    ("answer: no\n", ":1:9: `no` is read as a yes/no boolean"),
    ("time: 12:30\n", ":1:7: `12:30` would be read as a number"),
    ("code: 0123\n", ":1:7: `0123` would be read as a number"),
    ("x: !!python/object/apply:os.system ['echo hi']\n", "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    ("a: &x [1]\nb: *x\n", ":2:4: YAML alias *x is not allowed"),
    ("a: 1\n---\nb: 2\n", "more than one YAML document"),
])
def test_surprises_are_located(tmp_path, content, expect):
    found = problems_of(tmp_path, content)
    assert any(expect in line for line in found), found
    assert all(line.startswith(str(tmp_path)) for line in found)


def test_alias_bomb_is_refused_quickly(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
    found = problems_of(tmp_path, bomb)
    assert any("alias" in line for line in found)


def test_binary_and_non_utf8(tmp_path):
    assert "binary data" in problems_of(tmp_path, b"a: 1\n\x00\x01")[0]
    found = problems_of(tmp_path, "a: 你好\n".encode("gbk"))
    assert ":1:4: not valid UTF-8" in found[0]


def test_too_large_and_too_deep(tmp_path):
    assert "the limit is" in problems_of(tmp_path, "a: " + "x" * 2_100_000)[0]
    assert any("nested" in line for line in problems_of(tmp_path, "a: " + "[" * 60 + "]" * 60 + "\n"))
