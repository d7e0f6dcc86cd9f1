"""UI strings exist in both languages with the same placeholders; preferences survive (and survive damage)."""

from __future__ import annotations

import json
import string

import pytest

from roleplay.core.store.prefs import Prefs, clean_name, load_prefs, prefs_path, save_prefs
from roleplay.tui.i18n import HELP_TEXT, STRINGS, default_language, tr


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_has_both_languages_with_the_same_placeholders(key):
    zh, en = STRINGS[key]
    assert zh.strip() and en.strip()
    assert _fields(zh) == _fields(en)


def test_tr_fills_placeholders_and_rejects_unknown_keys():
    assert tr("zh", "play.time_left", seconds=5) == "剩余 5 秒"
    assert tr("en", "play.time_left", seconds=5) == "5 s left"
    with pytest.raises(KeyError):
        tr("zh", "no.such.key")


def test_help_exists_in_both_languages_and_names_the_keys():
    for text in HELP_TEXT.values():
        for key in ("F1", "F2", "F3", "F4", "F5", "F6", "Ctrl+P", "Esc"):
            assert key in text


@pytest.mark.parametrize("env, expected", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LC_ALL": "", "LC_MESSAGES": "C", "LANG": "zh_CN.UTF-8"}, "en"),
    ({}, "en"),
])
def test_default_language_follows_the_locale(env, expected):
    assert default_language(env) == expected


def test_prefs_round_trip_in_roleplay_home(roleplay_home):
    save_prefs(Prefs("小王", "en"))
    assert prefs_path().parent == roleplay_home
    assert load_prefs() == Prefs("小王", "en")


def test_an_old_prefs_file_with_a_mode_opens_in_practice(roleplay_home):
    (roleplay_home / "prefs.json").write_text(json.dumps({"trainee": "小王", "mode": "assessment"}), "utf-8")
    assert load_prefs() == Prefs("小王", None)


@pytest.mark.parametrize("content", ["{not json", "[]", '{"lang": "fr"}', '{"trainee": 5}', ""])
def test_damaged_prefs_fall_back_to_defaults(roleplay_home, content):
    (roleplay_home / "prefs.json").write_text(content, encoding="utf-8")
    assert load_prefs() == Prefs()


def test_unknown_keys_are_ignored_and_names_are_cleaned(roleplay_home):
    (roleplay_home / "prefs.json").write_text(json.dumps({"trainee": "小\x1b[31m王\n", "future": 1}), "utf-8")
    assert load_prefs().trainee == "小[31m王"
    assert clean_name("  a\tb  ") == "a b"
    assert clean_name("x" * 100) == "x" * 40
