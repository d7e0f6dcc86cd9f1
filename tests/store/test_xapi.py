"""Learning records: xAPI statements per attempt, valid against ralph's models, read back from a real LRS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import first_free_port

from roleplay.core.attempts.assessment import create_session
from roleplay.core.attempts.attempt import Attempt

pytest.importorskip("ralph.models.xapi", reason="xAPI export needs ralph-malph (pip install -e '.[test]')")

LRS_PORTS = range(8155, 8158)  # the served-room tests use 8150-8154


@pytest.fixture
def attempts(store, examples):
    """One passed and one failed assessment attempt, by 工号-identified trainees."""
    scenario, book = examples["scenario"], examples["phrasebook"]
    session = create_session(store, "十二月考核", [scenario.id], pass_mark=100.0 * scenario.pass_mark / scenario.max_points,
                             code="DEC26")
    ids = []
    for trainee, run in [("王小明 [A1024]", examples["good"]), ("李雷 [B7]", examples["bad"])]:
        attempt = Attempt.start(scenario, book, trainee, store=store, assessment=session, prepared=run.prepared)
        for text in run.replies:
            if not attempt.ended:
                attempt.reply(text)
        ids.append(attempt.attempt_id)
    return store, session, ids


def statements_of(store, attempt_id):
    from roleplay.core.reports.xapi import attempt_statements, turn_times

    info, sheet = store.attempt(attempt_id), store.score_sheet(attempt_id)
    return info, sheet, attempt_statements(info, sheet, times=turn_times(store, attempt_id))


def test_an_attempt_becomes_initialized_responded_verdict_terminated_and_each_statement_validates(attempts):
    from ralph.models.xapi.base.statements import BaseXapiStatement

    store, session, (passed_id, failed_id) = attempts
    info, sheet, statements = statements_of(store, passed_id)
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]
    assert verbs == ["initialized"] + ["responded"] * len(sheet.turns) + ["passed", "terminated"]
    for statement in statements:
        BaseXapiStatement.model_validate(json.loads(json.dumps(statement)))  # the JSON a file or LRS gets
        assert statement["actor"]["account"]["name"] == "A1024" and statement["actor"]["name"] == "王小明"
        assert statement["object"]["id"].endswith(f"/scenarios/{sheet.scenario}")
        assert statement["context"]["registration"] == statements[0]["context"]["registration"]
        ext = statement["context"]["extensions"]
        assert ext["http://roleplay.local/xapi/extensions/attempt-id"] == passed_id
        assert len(ext["http://roleplay.local/xapi/extensions/content-version"]) == 16
        assert statement["context"]["contextActivities"]["grouping"][0]["id"].endswith("/sessions/DEC26")
    first = statements[1]["result"]
    assert first["response"] == sheet.turns[0].reply
    assert first["extensions"]["http://roleplay.local/xapi/extensions/categories"] == sheet.turns[0].labels
    verdict = statements[-2]["result"]
    assert verdict["success"] is True and verdict["completion"] is True
    assert verdict["score"] == {"scaled": round(sheet.total / sheet.max, 4), "raw": sheet.total, "min": 0,
                                "max": sheet.max}
    assert verdict["duration"].startswith("P")
    _, failed_sheet, failed = statements_of(store, failed_id)
    assert failed[-2]["verb"]["id"] == "http://adlnet.gov/expapi/verbs/failed"
    assert failed[-2]["result"]["success"] is False
    assert failed[0]["actor"]["account"]["name"] == "B7"
    assert len({s["id"] for s in statements + failed}) == len(statements) + len(failed)
    assert statements_of(store, passed_id)[2] == statements  # stable ids: exporting again changes nothing


def test_report_format_xapi_writes_the_statements_of_a_session(attempts, store_url, tmp_path):
    out = tmp_path / "records.json"
    result = subprocess.run([sys.executable, "-m", "roleplay", "report", "--session", "dec26", "--format", "xapi",
                             "-o", str(out), "--db", store_url], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    statements = json.loads(out.read_text(encoding="utf-8"))
    registrations = {s["context"]["registration"] for s in statements}
    assert len(registrations) == 2
    assert sum(s["verb"]["id"].endswith("/terminated") for s in statements) == 2
    empty = subprocess.run([sys.executable, "-m", "roleplay", "report", "--trainee", "nobody", "--format", "xapi",
                            "--db", store_url], capture_output=True, text=True, timeout=120)
    assert empty.returncode == 1 and "no finished attempts" in empty.stderr


def _free_port() -> int:
    return first_free_port(LRS_PORTS, "the LRS")


@pytest.fixture
def lrs(tmp_path):
    """Ralph's LRS on loopback with its filesystem backend and one basic-auth user (coach / s3cret)."""
    for module in ("fastapi", "uvicorn", "bcrypt", "requests"):
        pytest.importorskip(module, reason=f"ralph's LRS needs {module} (pip install 'ralph-malph[lrs,backend-fs]')")
    import bcrypt

    auth = tmp_path / "lrs-auth.json"
    auth.write_text(json.dumps([{
        "username": "coach", "hash": bcrypt.hashpw(b"s3cret", bcrypt.gensalt(4)).decode(), "scopes": ["all"],
        "agent": {"objectType": "Agent", "name": "coach",
                  "account": {"homePage": "http://roleplay.local/staff", "name": "coach"}}}]), encoding="utf-8")
    (tmp_path / "lrs-data").mkdir()
    port = _free_port()
    env = dict(os.environ, RALPH_AUTH_FILE=str(auth), RALPH_RUNSERVER_BACKEND="fs",
               RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH=str(tmp_path / "lrs-data"),
               RALPH_APP_DIR=str(tmp_path / "ralph-app"))
    log = (tmp_path / "lrs.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "ralph.api:app", "--host", "127.0.0.1",
                                "--port", str(port)], env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/__heartbeat__", timeout=2):
                break
        except OSError:
            if process.poll() is not None:
                pytest.fail("ralph's LRS did not start:\n" + (tmp_path / "lrs.log").read_text())
            time.sleep(0.3)
    yield url
    process.terminate()
    process.wait(10)


def _read_back(url, registration):
    import base64

    request = urllib.request.Request(f"{url}/xAPI/statements?registration={registration}&limit=500", headers={
        "Authorization": "Basic " + base64.b64encode(b"coach:s3cret").decode(), "X-Experience-API-Version": "1.0.3"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["statements"]


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_lrs_option_posts_with_basic_auth_and_the_lrs_reads_them_back(attempts, store_url, lrs, tmp_path):
    store, _, (passed_id, _) = attempts
    _, _, expected = statements_of(store, passed_id)
    registration = expected[0]["context"]["registration"]
    command = [sys.executable, "-m", "roleplay", "report", "--attempt", str(passed_id), "--format", "xapi",
               "--lrs", lrs + "/xAPI/", "--db", store_url]
    wrong = subprocess.run(command, capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, ROLEPLAY_LRS_AUTH="coach:wrong"))
    assert wrong.returncode == 1 and "401" in wrong.stderr and "check the user and password" in wrong.stderr
    for _ in range(2):  # posting again is harmless: the ids are the same
        posted = subprocess.run(command, capture_output=True, text=True, timeout=120,
                                env=dict(os.environ, ROLEPLAY_LRS_AUTH="coach:s3cret"))
        assert posted.returncode == 0, posted.stderr
    stored = _read_back(lrs, registration)
    assert sorted(s["id"] for s in stored) == sorted(s["id"] for s in expected)
    by_id = {s["id"]: s for s in stored}
    verdict = by_id[expected[-2]["id"]]
    assert verdict["result"]["score"]["raw"] == expected[-2]["result"]["score"]["raw"]
    assert by_id[expected[1]["id"]]["result"]["response"] == expected[1]["result"]["response"]
    unreachable = subprocess.run(command[:-4] + ["--lrs", "http://127.0.0.1:1/xAPI", "--db", store_url],
                                 capture_output=True, text=True, timeout=120)
    assert unreachable.returncode == 1 and "cannot reach the LRS" in unreachable.stderr
