"""The caches that make rescore and start-up fast change no result: each is checked against a fresh computation."""

from __future__ import annotations

import os

import yaml

from roleplay.core.conversation.engine import Session
from roleplay.core.conversation.machine import scenario_machine
from roleplay.core.conversation.version import content_version
from roleplay.core.lang.normalize import compact, words_with_map
from roleplay.core.matching.matcher import Matcher
from roleplay.core.phrasebook import templates
from roleplay.core.phrasebook.book import load_phrasebook
from roleplay.core.scenario.library import discover_scenarios
from roleplay.core.scenario.local_book import scenario_phrasebook
from tests.conftest import ROOT


def _scenario_with_tests(lang: str = "zh"):
    return next(s for s in discover_scenarios() if s.tests and s.language == lang)


def test_content_version_follows_the_files_on_disk(tmp_path):
    book = load_phrasebook()
    scenario = _scenario_with_tests()

    class Copied:  # the scenario at another path, so the test may change the file
        path = str(tmp_path / "copy.yaml")

    path = tmp_path / "copy.yaml"
    path.write_bytes(open(scenario.path, "rb").read())
    first = content_version(Copied, book)
    assert first is not None and content_version(Copied, book) == first
    path.write_bytes(path.read_bytes() + b"# changed\n")
    changed = content_version(Copied, book)
    assert changed is not None and changed != first
    stat = path.stat()
    path.write_bytes(path.read_bytes().replace(b"# changed", b"# chang3d"))  # same size ...
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # ... newer mtime: read again
    assert content_version(Copied, book) not in (None, first, changed)
    path.unlink()
    assert content_version(Copied, book) is None


def test_remembered_normalisation_hands_out_fresh_lists():
    said = ["i", "am", "sorry", "it", "is", "fine"]
    words = words_with_map("I'm sorry, it's fine")
    assert [w for w, _ in words] == said
    words.clear()  # a caller changing its list must not change the next caller's
    assert [w for w, _ in words_with_map("I'm sorry, it's fine")] == said
    assert compact("您好，王总！") == compact("您好，王总！") == "您好王总"


def test_matchers_share_parsed_templates_and_match_as_fresh_ones():
    book = load_phrasebook()
    replies = yaml.safe_load((ROOT / "tests" / "data" / "labeled_replies.yaml").read_text(encoding="utf-8"))
    for lang in ("zh", "en"):
        first, second = [s for s in discover_scenarios() if s.language == lang][:2]
        one, other = first.matcher_for(book).matcher, second.matcher_for(book).matcher
        shared = {id(t) for ts in one.templates.values() for t in ts} & \
                 {id(t) for ts in other.templates.values() for t in ts}
        assert shared  # the phrase bank's templates are parsed once for both scenarios
        templates._SHARED.clear()  # nothing remembered: a matcher built from scratch
        compact.cache_clear()
        fresh = Matcher(scenario_phrasebook(second, book), lang)
        texts = [r["text"] for r in replies["replies"] if r.get("lang") == lang][:60]
        assert texts
        for text in texts:
            assert fresh.match(text).to_dict() == other.match(text).to_dict(), text


def test_sessions_share_their_scenarios_machine_and_stay_independent():
    book = load_phrasebook()
    scenario = _scenario_with_tests()
    tests = scenario.tests[:2] if len(scenario.tests) > 1 else scenario.tests * 2
    alone = [Session.replay(scenario, book, 3, "t", "practice", t.replies, t.prepared) for t in tests]
    together = [Session(scenario, book, seed=3, trainee="t") for _ in tests]
    assert together[0].machine is together[1].machine is scenario_machine(scenario)
    for session, test in zip(together, tests, strict=True):
        session.prepare(test.prepared or [])
    for n in range(max(len(t.replies) for t in tests)):  # interleaved: one session's turn never moves another
        for session, test in zip(together, tests, strict=True):
            if n < len(test.replies) and not session.ended:
                session.reply(test.replies[n])
    for one, other in zip(alone, together, strict=True):
        assert [t.to_dict() for t in other.turns] == [t.to_dict() for t in one.turns]
        assert other.state == one.state and other.visited == one.visited
        assert other.score_sheet().to_dict() | {"started_at": None, "finished_at": None} == \
               one.score_sheet().to_dict() | {"started_at": None, "finished_at": None}


def test_template_gates_read_back_from_the_cache_folder_match_as_parsed_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("ROLEPLAY_NO_CACHE", raising=False)
    book = load_phrasebook()
    replies = yaml.safe_load((ROOT / "tests" / "data" / "labeled_replies.yaml").read_text(encoding="utf-8"))
    for lang in ("zh", "en"):
        scenario = next(s for s in discover_scenarios() if s.language == lang)
        local = scenario_phrasebook(scenario, book)
        templates._SHARED.clear()
        parsed = Matcher(local, lang)  # parses every template and stores the set's gates
        templates._SHARED.clear()
        read_back = Matcher(local, lang)  # a new process would do this: gates from the folder
        assert all(not t.ok or t._pattern is None for ts in read_back.templates.values() for t in ts)
        assert [(t.text, t.ok, t.gates) for ts in read_back.templates.values() for t in ts] == \
               [(t.text, t.ok, t.gates) for ts in parsed.templates.values() for t in ts]
        for text in [r["text"] for r in replies["replies"] if r.get("lang") == lang][:60]:
            assert read_back.match(text).to_dict() == parsed.match(text).to_dict(), text
    assert len(list(tmp_path.glob("gates-*.json"))) == 2


def test_a_template_that_does_not_parse_never_matches_after_a_cache_round_trip(tmp_path, monkeypatch):
    from roleplay.core.matching.encode import ChineseEncoder

    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("ROLEPLAY_NO_CACHE", raising=False)
    encoder = ChineseEncoder()
    items = [("c", "您好{start}我是"), ("c", "我是{$org}的")]
    slots = {"org": ["建行", "移动"]}
    for _ in range(2):  # parsed, then read back
        templates._SHARED.clear()
        broken, good = templates.shared_templates(("test", 1), items, slots, encoder.literal, encoder.cue, False)
        assert not broken.ok and broken.search("您好我是", {"您好", "我是"}) is None
        assert good.ok and good.search("我是建行的", templates.clause_grams("我是建行的", False)) is not None
    assert len(list(tmp_path.glob("gates-*.json"))) == 1
