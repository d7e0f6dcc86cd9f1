"""A fast start: what the first screen or a headless play needs, and nothing more, is imported or parsed."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _modules_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))\n"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_play_renders_a_sheet_without_the_store(tmp_path):
    replies = tmp_path / "replies.txt"
    replies.write_text("陈总您好，我是移动公司的客户经理小王。\n再见！\n", encoding="utf-8")
    loaded = _modules_after(f"from roleplay.cli import main\nmain(['play', 'zh_visit_group_first', '--replies', "
                            f"{str(replies)!r}, '--json'])")
    assert "sqlalchemy" not in loaded and "roleplay.core.store.store" not in loaded
    assert "textual" not in loaded


def _warm_play_refusing(tmp_path, module: str, function: str) -> None:
    """Play once to warm this test process's cache folder, then again with `module.function` made to fail."""
    replies = tmp_path / "replies.txt"
    replies.write_text("陈总您好\n", encoding="utf-8")
    run = f"from roleplay.cli import main\nmain(['play', 'zh_visit_group_first', '--replies', {str(replies)!r}])"
    _modules_after(run)
    _modules_after(f"import {module} as m\n"
                   f"def refuse(*a, **k): raise SystemExit('{module}.{function} was called')\n"
                   f"m.{function} = refuse\n" + run)


def test_play_by_id_with_a_warm_cache_parses_no_yaml(tmp_path):
    _warm_play_refusing(tmp_path, "roleplay.core.content.yamlsafe", "load_yaml")




def test_the_tui_reads_preferences_without_pydantic_or_the_store():
    loaded = _modules_after("from roleplay.tui.context import TrainerContext\n"
                            "TrainerContext.from_prefs(None, 'zh')")
    assert "sqlalchemy" not in loaded and "pydantic" not in loaded


def test_the_start_screen_asks_the_mode_without_loading_the_engine():
    """The start screen's key bar asks `ctx.locked` while it composes, before the first frame: the engine,
    pydantic and the scenario model stay unloaded until the content loads in the background."""
    loaded = _modules_after("from roleplay.tui.context import TrainerContext\n"
                            "ctx = TrainerContext.from_prefs(None, 'zh', mode='assessment')\n"
                            "assert ctx.locked and not TrainerContext.from_prefs(None, 'zh').locked")
    assert "pydantic" not in loaded and "roleplay.core.conversation.engine" not in loaded
    assert "roleplay.core.scenario.model" not in loaded


def test_a_warm_play_parses_no_template(tmp_path):
    # the scenario's template gates are stored in the cache folder by the first play
    _warm_play_refusing(tmp_path, "roleplay.core.phrasebook.templates", "parse_template")


def test_a_warm_scenario_list_needs_no_yaml_nor_the_loader():
    """The trainer's list comes from the cache folder: neither PyYAML nor the loader's checks are imported."""
    listing = "from roleplay.core.scenario.library import discover_scenarios\nassert len(discover_scenarios()) > 20"
    _modules_after(listing)  # warms this test process's cache folder
    loaded = _modules_after(listing)
    assert "yaml" not in loaded and "roleplay.core.scenario.loader" not in loaded
    assert "roleplay.core.phrasebook.schema" not in loaded
