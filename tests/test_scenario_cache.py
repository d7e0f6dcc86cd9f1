"""Scenarios are parsed once per file version: in a process, and across runs through the cache folder."""

from __future__ import annotations

import os
import pickle
import shutil

import pytest

from roleplay.core.scenario import cache as scenario_cache
from roleplay.core.scenario import loader
from roleplay.core.scenario.library import discover_scenarios, find_scenario, load_scenario
from roleplay.core.settings import cache_dir, scenarios_dir


@pytest.fixture
def parses(monkeypatch, tmp_path):
    """A fresh cache folder and in-process memo; returns the list of files the loader really parsed."""
    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ROLEPLAY_NO_CACHE", raising=False)
    scenario_cache._load.cache_clear()
    seen: list[str] = []
    real = loader.load_scenario_file

    def counting(path):
        seen.append(os.path.basename(str(path)))
        return real(path)

    monkeypatch.setattr(loader, "load_scenario_file", counting)
    yield seen
    scenario_cache._load.cache_clear()


def test_discovering_again_and_finding_every_id_parses_each_file_once(parses):
    found = discover_scenarios()
    assert len(found) == len(list(scenarios_dir().glob("*.yaml")))
    assert discover_scenarios() == found
    for scenario in found:  # what rescore does for every scenario of a cohort
        assert find_scenario(scenario.id) is scenario
    assert sorted(parses) == sorted(p.name for p in scenarios_dir().glob("*.yaml"))


def test_find_by_id_reads_only_that_file(parses):
    assert find_scenario("zh_visit_group_first").id == "zh_visit_group_first"
    assert parses == ["zh_visit_group_first.yaml"]


def test_a_new_process_reads_the_cache_folder_without_parsing(parses, tmp_path):
    first = load_scenario(scenarios_dir() / "zh_visit_group_first.yaml")
    scenario_cache._load.cache_clear()  # as in a new process
    again = load_scenario(scenarios_dir() / "zh_visit_group_first.yaml")
    assert parses == ["zh_visit_group_first.yaml"]
    assert again is not first and again.spec == first.spec and again.marks == first.marks
    assert len(list((tmp_path / "cache" / "scenarios").glob("*.pickle"))) == 1


def test_an_edited_file_is_parsed_again_and_its_old_entry_removed(parses, tmp_path):
    path = tmp_path / "mine.yaml"
    shutil.copy(scenarios_dir() / "zh_visit_group_first.yaml", path)
    assert load_scenario(path).title == "首次拜访集团客户"
    path.write_text(path.read_text(encoding="utf-8").replace("title: 首次拜访集团客户", "title: 改过的标题"),
                    encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert load_scenario(path).title == "改过的标题"
    assert parses == ["mine.yaml", "mine.yaml"]
    assert len(list((tmp_path / "cache" / "scenarios").glob("*.pickle"))) == 1


def test_a_planted_cache_entry_cannot_run_code(parses, tmp_path):
    path = scenarios_dir() / "zh_visit_group_first.yaml"
    load_scenario(path)
    (entry,) = (tmp_path / "cache" / "scenarios").glob("*.pickle")
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    entry.write_bytes(pickle.dumps(Evil()))
    scenario_cache._load.cache_clear()
    assert load_scenario(path).id == "zh_visit_group_first"  # parsed again from the YAML
    assert not marker.exists()
    assert parses == ["zh_visit_group_first.yaml", "zh_visit_group_first.yaml"]


def test_a_broken_file_is_reported_every_time_and_never_cached(parses, tmp_path):
    from roleplay.core.content.problems import ContentError

    path = tmp_path / "broken.yaml"
    path.write_text("id: broken\ntitle: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ContentError) as err:
            load_scenario(path)
        assert str(path) in str(err.value)
    assert not (tmp_path / "cache" / "scenarios").exists()


def test_the_cache_folder_follows_roleplay_home(monkeypatch, tmp_path):
    from roleplay.core.phrasebook.book import load_phrasebook

    monkeypatch.delenv("ROLEPLAY_CACHE_DIR", raising=False)
    monkeypatch.delenv("ROLEPLAY_NO_CACHE", raising=False)
    monkeypatch.setenv("ROLEPLAY_HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / "cache"
    scenario_cache._load.cache_clear()
    load_scenario(scenarios_dir() / "en_call_busy_owner.yaml")
    load_phrasebook()
    written = sorted(p.relative_to(tmp_path).parts[:3] for p in (tmp_path / "home" / "cache").rglob("*.*"))
    assert ("home", "cache", "scenarios") in written
    assert any(p.name.startswith("phrasebook-") for p in (tmp_path / "home" / "cache").iterdir())
    scenario_cache._load.cache_clear()


def test_no_cache_writes_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ROLEPLAY_NO_CACHE", "1")
    assert cache_dir() is None
    assert load_scenario(scenarios_dir() / "en_call_busy_owner.yaml").id == "en_call_busy_owner"
    assert not (tmp_path / "cache").exists()
