"""Rescore: replaying stored attempts after a rubric change shows each trainee's score change."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from roleplay.core.attempts.assessment import create_session
from roleplay.core.conversation.engine import Session
from roleplay.core.scenario.library import load_scenario
from roleplay.core.attempts.attempt import Attempt
from roleplay.core.attempts.rescore import rescore
from tests.conftest import ROOT


def _play(store, examples):
    scenario, book = examples["scenario"], examples["phrasebook"]
    session = create_session(store, "复评", [scenario.id], pass_mark=50, attempts_allowed=2, code="RESC01")
    for trainee, run in [("小王", examples["good"]), ("小李", examples["bad"]), ("小王", examples["bad"])]:
        attempt = Attempt.start(scenario, book, trainee, store=store, assessment=session, prepared=run.prepared)
        for text in run.replies:
            if not attempt.ended:
                attempt.reply(text)
    return session


def _stricter_copy(examples, tmp_path):
    """The same scenario with an extra 100-point check nobody can pass (reach success in one reply)."""
    data = yaml.safe_load(open(examples["scenario"].path, encoding="utf-8"))
    data["rubric"]["checks"].append({"id": "instant_success", "description": "一句话搞定", "points": 100,
                                      "turn_budget": {"max": 1}})
    folder = tmp_path / "changed"
    folder.mkdir()
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder, load_scenario(path)


def test_unchanged_content_changes_nothing(store, examples):
    session = _play(store, examples)
    changes = rescore(store, examples["phrasebook"], session_code=session.code)
    assert [c.trainee for c in changes] == ["小李", "小王"]
    assert [len(c.attempts) for c in changes] == [1, 2]
    assert all(c.delta == 0 and not c.flipped for c in changes)


def test_rubric_change_shows_the_new_scores_and_leaves_the_store_alone(store, examples, tmp_path):
    session = _play(store, examples)
    before = {i.id: store.score_sheet(i.id) for i in store.history()}
    folder, changed = _stricter_copy(examples, tmp_path)
    seen = []
    changes = rescore(store, examples["phrasebook"], session_code=session.code, scenario_paths=[folder],
                      progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (3, 3)
    for change in changes:
        for result in change.attempts:
            replayed = Session.replay(changed, examples["phrasebook"], 0, result.trainee, "assessment",
                                      store.replies(result.attempt_id), store.attempt(result.attempt_id).prepared)
            sheet = replayed.score_sheet()
            assert result.new_percent == sheet.percent
            assert result.old_percent == before[result.attempt_id].percent
    wang = next(c for c in changes if c.trainee == "小王")
    assert wang.delta < 0  # the passing attempt now misses 100 extra points
    assert {i.id: store.score_sheet(i.id) for i in store.history()} == before


@pytest.mark.slow
def test_rescore_cli_json(store, store_url, examples, tmp_path):
    session = _play(store, examples)
    folder, _ = _stricter_copy(examples, tmp_path)
    done = subprocess.run([sys.executable, "-m", "roleplay", "rescore", "--session", session.code, "--db", store_url,
                           "--scenarios", str(folder), "--json"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["trainee"] for r in rows] == ["小李", "小王"]
    wang = rows[1]
    assert wang["delta"] < 0 and len(wang["attempts"]) == 2
    table = subprocess.run([sys.executable, "-m", "roleplay", "rescore", "--db", store_url, "--attempts"],
                           cwd=ROOT, capture_output=True, text=True)
    assert table.returncode == 0 and "小王" in table.stdout and "+0" in table.stdout


@pytest.mark.slow
def test_rescore_in_processes_prints_exactly_what_a_serial_run_prints(store, store_url, examples, tmp_path):
    """`--jobs 2` spreads the attempts over two processes; every byte of the output is the serial run's."""
    book = examples["phrasebook"]
    scenario = examples["scenario"]
    session = create_session(store, "并行复评", [scenario.id], pass_mark=50, attempts_allowed=9, code="RESC02")
    runs = [examples["good"], examples["bad"]]
    for n in range(7):  # varied trainees and replies, some repeated (the matcher's memo is exercised too)
        run = runs[n % 2]
        attempt = Attempt.start(scenario, book, f"学员{n % 3}", store=store, seed=n, assessment=session,
                                prepared=run.prepared)
        for text in run.replies[: len(run.replies) - n % 2]:
            if not attempt.ended:
                attempt.reply(text)
        attempt.finish()
    folder, _ = _stricter_copy(examples, tmp_path)
    outputs = []
    for jobs in ("1", "2"):
        for fmt in (["--json"], ["--attempts"]):
            done = subprocess.run([sys.executable, "-m", "roleplay", "rescore", "--db", store_url, "--scenarios",
                                   str(folder), "--jobs", jobs, "--no-progress", *fmt],
                                  cwd=ROOT, capture_output=True)
            assert done.returncode == 0, done.stderr.decode()
            outputs.append(done.stdout)
    serial_json, serial_table, parallel_json, parallel_table = outputs
    assert parallel_json == serial_json and parallel_table == serial_table
    rows = [json.loads(line) for line in serial_json.decode().splitlines()]
    assert sum(len(r["attempts"]) for r in rows) == 7
    assert any(r["delta"] for r in rows)  # the stricter rubric changed something, so equality means something


def test_rescore_rejects_a_nonsense_job_count(store_url):
    done = subprocess.run([sys.executable, "-m", "roleplay", "rescore", "--db", store_url, "--jobs", "two"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "'two' is not a number of processes" in done.stderr


def test_replay_inputs_read_in_one_batch_equal_the_per_attempt_reads(store, store_url, examples):
    from roleplay.core.conversation.results import ScoreSheet
    from roleplay.core.store import StoreError
    from tests.store.test_seals import _unguarded

    _play(store, examples)
    ids = [i.id for i in store.history()]
    found = store.replay_inputs(ids + [10_000])
    assert sorted(found) == sorted(ids)  # an unknown id is simply absent
    for attempt_id in ids:
        sheet, replies = found[attempt_id]
        assert replies == store.replies(attempt_id) and replies
        assert ScoreSheet.from_dict(sheet) == store.score_sheet(attempt_id)
    # a sheet edited behind roleplay's back is refused, as score_sheet refuses it
    _unguarded(store_url, f"UPDATE attempts SET sheet = REPLACE(sheet, '\"passed\"', '\"passed\" ') WHERE id = {ids[0]}")
    with pytest.raises(StoreError, match="does not match its hash"):
        store.replay_inputs(ids)


def test_worker_tasks_hold_one_scenario_each_and_every_attempt_once():
    from roleplay.core.attempts.rescore import _chunks
    from roleplay.core.store.store import AttemptInfo

    infos = [AttemptInfo(n, f"t{n % 7}", ("a", "b", "b", "c")[n % 4], "assessment", "S", 0, "", "", 1, 1, True)
             for n in range(1, 41)]
    for jobs in (1, 2, 3):
        chunks = _chunks(infos, jobs)
        assert sorted(i.id for chunk in chunks for i in chunk) == list(range(1, 41))
        assert all(len({i.scenario_id for i in chunk}) == 1 for chunk in chunks)
        assert [len(c) for c in chunks] == sorted((len(c) for c in chunks), reverse=True)  # largest first
    assert len(_chunks(infos, 2)) > 3  # "b" (half the work) is split so two workers share it
