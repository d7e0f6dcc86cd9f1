"""Scenario-level defaults: the migration keeps behaviour, and validate warns (exit 0) about likely repeats."""

import importlib.util
import textwrap

from roleplay.cli import main
from roleplay.core.conversation.engine import Session
from tests.conftest import ROOT, write_scenario

OLD = textwrap.dedent("""
    id: migrated
    title: 迁移测试
    language: zh
    kind: visit
    difficulty: easy
    brief: 测试。
    persona: {name: 陈总, mood: 0}
    start: door
    patience: {mood_below: -50, goto: lost}
    states:
      door:
        say: 你好。
        rules:
          - id: rude_at_door
            when: {any: [taboo]}
            say: 你这是什么态度？
            mood: -40
          - id: card
            when: {action: card}
            say: 谢谢。
          - id: greet
            when: {any: [greeting], none: [taboo]}
            say: 你好你好。
            goto: won
          - id: intro
            when: {any: [self_intro], none: [taboo, greeting]}
            say: 哦。
        fallback: {say: [嗯？, 你说。], mood: -5}
        retries: 2
        on_exhausted: {goto: lost}
      won: {final: true, outcome: success, say: 好。}
      lost: {final: true, outcome: failure, say: 走了。}
    rubric:
      pass_mark: 10
      checks:
        - {id: greet, description: 问候, points: 10, said: greeting}
""")
REPLIES = [["你烦不烦啊", "您好"], ["/card 你急什么", "嗯", "嗯", "嗯"], ["我是移动公司的小李", "你烦不烦啊", "您好"], [""]]


def _migrate():
    spec = importlib.util.spec_from_file_location("migrate", ROOT / "tools" / "migrate_scenario_defaults.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.migrate_text


def test_migration_moves_taboo_rules_and_drops_none_taboo():
    new = _migrate()(OLD)
    assert "on_taboo:\n      say: 你这是什么态度？\n      mood: -40" in new
    assert "none: [taboo" not in new and "rude_at_door" not in new
    assert "when: {any: [self_intro], none: [greeting]}" in new
    assert _migrate()(new) == new  # a migrated file is left alone


def test_migrated_scenario_plays_the_same(tmp_path, phrasebook):
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old = write_scenario(tmp_path / "old", OLD)
    new = write_scenario(tmp_path / "new", _migrate()(OLD))
    for replies in REPLIES:
        a = Session.replay(old, phrasebook, 0, None, "practice", replies)
        b = Session.replay(new, phrasebook, 0, None, "practice", replies)
        assert [(t.client, t.mood, t.next_state) for t in a.turns] == [(t.client, t.mood, t.next_state) for t in b.turns]
        assert (a.outcome, a.score_sheet().total) == (b.outcome, b.score_sheet().total)


def test_validate_warns_without_failing(tmp_path, capsys):
    path = tmp_path / "warned.yaml"
    path.write_text(OLD.replace("fallback: {say: [嗯？, 你说。], mood: -5}",
                                "fallback: {say: [喂？你在听吗？], mood: -5}"), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}:" in out and "warning: '喂？你在听吗？' answers silence" in out
    assert main(["validate", "-q", str(path)]) == 0
    assert "warning" not in capsys.readouterr().out
