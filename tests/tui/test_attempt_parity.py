"""The TUI and the CLI drive the same core Attempt: the same replies give the same stored attempt and the same
stamped sheet (with a coach key: signed), whichever front end played them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from tests.tui.conftest import ROOT, TRAINEE, ready, type_reply, wait_for_screen

ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?")
STAMP = re.compile(r"sha256=[0-9a-f]{64}( hmac-sha256=[0-9a-f]{64} key=\S+)?")


def zh_run():
    """A shipped Chinese scenario without a checklist, and one of its in-file test runs that ends it.
    Taken from the authors' tests so this stays valid while the content evolves."""
    from roleplay.core.conversation.engine import Session
    from roleplay.core.phrasebook.book import load_phrasebook
    from roleplay.core.scenario.library import discover_scenarios

    book = load_phrasebook()
    for scenario in discover_scenarios():
        if scenario.language != "zh" or scenario.checklist:
            continue
        for test in scenario.tests:
            played = Session.replay(scenario, book, 0, TRAINEE, "assessment", test.replies, test.prepared)
            if played.ended and len(test.replies) >= 3 and not test.prepared:
                return scenario, test
    raise AssertionError("no shipped Chinese scenario has an in-file test that ends it")


def cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "roleplay", *args], cwd=ROOT, capture_output=True, env=env)


def without(data, *keys: str):
    """The JSON value with the named keys dropped at every depth (times and ids differ between two runs)."""
    if isinstance(data, dict):
        return {k: without(v, *keys) for k, v in data.items() if k not in keys}
    if isinstance(data, list):
        return [without(v, *keys) for v in data]
    return data


def masked(text: str) -> str:
    return re.sub(r"attempt\d+", "attemptN", STAMP.sub("sha256=…", ISO.sub("…", text)))


async def test_tui_and_cli_store_the_same_attempt_and_the_same_stamped_sheet(make_app, tmp_path, roleplay_home,
                                                                                monkeypatch):
    from roleplay.core.attempts.assessment import create_session
    from roleplay.core.reports.integrity import coach_key, create_key, verify_file
    from roleplay.core.store import open_store
    from roleplay.tui.screens.play import PlayScreen
    from roleplay.tui.screens.result import ResultScreen

    create_key()  # in $ROLEPLAY_HOME: both front ends sign with it
    scenario, run = zh_run()
    db = f"sqlite:///{tmp_path / 'attempts.db'}"
    with open_store(db) as store:
        create_session(store, "对照考核", [scenario.id], pass_mark=60, attempts_allowed=2, code="SAME01")

    app = make_app(store=True, db_url=db, scenario_paths=None, phrasebook_paths=None, session_code="SAME01")
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.pause()
        assert app.ctx.assessment is not None and app.ctx.assessment.code == "SAME01"
        app.screen.start_selected()
        play = await wait_for_screen(pilot, PlayScreen)
        for text in run.replies:
            if not play.attempt.ended:
                await type_reply(pilot, text)
        assert play.attempt.ended
        await pilot.press("enter")
        result = await wait_for_screen(pilot, ResultScreen)
        await pilot.press("e")
        await pilot.pause()
        tui_md, tui_json = result.exported
        tui_id = result.attempt_id

    env = {**os.environ, "ROLEPLAY_HOME": str(roleplay_home), "PYTHONIOENCODING": "utf-8"}
    replies = tmp_path / "replies.txt"
    replies.write_text("\n".join(run.replies) + "\n", encoding="utf-8")
    played = cli("session", "join", "SAME01", "--trainee", TRAINEE, "--replies", str(replies), "--db", db, env=env)
    assert played.returncode == 0, played.stderr.decode()

    with open_store(db) as store:
        tui_info, cli_info = sorted(store.history(TRAINEE), key=lambda i: i.id)
        assert tui_info.id == tui_id and tui_info.finished and cli_info.finished
        volatile = ("elapsed_ms", "started_at", "finished_at")
        assert [without(t.to_dict(), *volatile) for t in store.turns(tui_id)] == \
               [without(t.to_dict(), *volatile) for t in store.turns(cli_info.id)]
        assert without(store.score_sheet(tui_id).to_dict(), *volatile) == \
               without(store.score_sheet(cli_info.id).to_dict(), *volatile)
        assert (tui_info.mode, tui_info.session_code, tui_info.time_limit_s) == \
               (cli_info.mode, cli_info.session_code, cli_info.time_limit_s)

    # The TUI's export is what `roleplay report --attempt ID` writes, stamped and signed with the coach key.
    assert verify_file(tui_md, coach_key()).hmac_ok and verify_file(tui_json, coach_key()).hmac_ok
    for fmt, exported in (("md", tui_md), ("json", tui_json)):
        for attempt_id in (tui_id, cli_info.id):
            reported = cli("report", "--attempt", str(attempt_id), "--format", fmt, "-o", "-", "--db", db,
                           "--no-progress", env=env)
            assert reported.returncode == 0, reported.stderr.decode()
            got, want = reported.stdout.decode("utf-8"), exported.read_text(encoding="utf-8")
            if fmt == "json":
                volatile = ("elapsed_ms", "started_at", "finished_at", "generated_at", "integrity", "attempt_id")
                assert without(json.loads(got), *volatile) == without(json.loads(want), *volatile)
            else:
                assert masked(got) == masked(want)
