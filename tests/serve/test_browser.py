"""The served room in a real browser (headless Chromium): sign in, say who you are, talk to the client in Chinese,
close the tab and come back to the same conversation, download the score sheet."""

from __future__ import annotations

import time

import pytest

from tests.serve.browser import (Room, chromium_or_skip, close_tab, focus_terminal, open_browser, press, sign_in,
                                 type_text, type_with_ime, wait_for, wait_for_cursor, wait_settled)

SCENARIO = "交接后电话预约拜访集团客户（简单）"
FIRST_REPLY = "您好，我是移动公司的客户经理小李！请问是王总吗？"  # full-width ，！？ as a Chinese IME types them
CLIENT_ANSWER = "你找我有什么事"  # the client asks why you are calling


@pytest.fixture
def room(tmp_path):
    chromium_or_skip()
    home = tmp_path / "home"
    home.mkdir()
    started = Room(home, f"sqlite:///{tmp_path / 'room.db'}")
    yield started
    started.stop()


@pytest.fixture
def browser(tmp_path):
    chromium_or_skip()
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = open_browser(downloads)
    driver.downloads = downloads
    yield driver
    driver.quit()


def start_scenario(driver) -> None:
    """On the start screen: name, 工号, then search the scenario and open it."""
    from selenium.webdriver.common.keys import Keys

    wait_settled(driver, "工号")
    focus_terminal(driver)
    wait_for_cursor(driver, "学员")  # the name box has the keyboard once the tab has focus
    shown = type_with_ime(driver, [("wang", "王"), ("xiaoming", "小明")], shows="王小明")
    assert "wang" not in shown and "xiaoming" not in shown  # the composing letters never reach the app
    press(driver, Keys.ENTER)
    type_text(driver, "A1024")
    press(driver, Keys.ENTER)  # to the search box
    type_text(driver, "交接后电话预约拜访集团客户（简单")
    press(driver, Keys.ENTER)
    wait_for(driver, "华联商贸")
    wait_for_cursor(driver, "输入你的回答")  # the reply box has the keyboard


def test_a_trainee_plays_in_chinese_in_the_browser_and_resumes_after_closing_the_tab(room, browser):
    from selenium.webdriver.common.keys import Keys

    from roleplay.core.store import open_store

    sign_in(browser, room)
    start_scenario(browser)
    type_text(browser, FIRST_REPLY)
    press(browser, Keys.ENTER)
    shown = wait_for(browser, CLIENT_ANSWER)
    assert "王小明" in shown
    with open_store(room.db_url) as store:
        (attempt,) = store.unfinished_attempts("王小明 [A1024]")
        assert store.replies(attempt.id) == [FIRST_REPLY]  # autosaved, punctuation intact

    close_tab(browser)  # its trainer process ends (and gives the attempt back)
    room.wait_for_trainers(0)
    browser.get(room.url + "/")  # the cookie is still valid: straight back into the trainer
    wait_settled(browser, "继续未完成的练习")  # the browser's own preferences remember the trainee
    focus_terminal(browser)
    press(browser, Keys.ENTER)  # 继续 (Resume) has the focus
    shown = wait_for(browser, CLIENT_ANSWER)
    assert FIRST_REPLY.replace("！", "")[:8] in shown.replace(" ", "")


def test_an_assessment_code_signs_in_and_the_sheet_downloads_and_the_assessor_sees_the_attempt(tmp_path, browser):
    """Sign in with the session's code (--join-codes), play, end, press E: the browser saves the stamped sheet;
    `roleplay session show` lists the attempt under name and 工号."""
    import subprocess
    import sys

    from selenium.webdriver.common.keys import Keys

    from roleplay.core.attempts.assessment import create_session
    from roleplay.core.store import open_store

    chromium_or_skip()
    db_url = f"sqlite:///{tmp_path / 'room.db'}"
    with open_store(db_url) as store:
        code = create_session(store, "十二月考核", ["zh_tel_call_handover_easy"], pass_mark=70).code
    home = tmp_path / "home"
    home.mkdir()
    room = Room(home, db_url, "unused-password", "--join-codes")
    try:
        sign_in(browser, room, secret="wrong1")
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        error = WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.ID, "login-error"))[0]
        assert "不对" in error.text  # a wrong code is refused on the login page
        sign_in(browser, room, secret=code.lower())  # codes are read aloud; case does not matter
        start_scenario(browser)
        type_text(browser, FIRST_REPLY)
        press(browser, Keys.ENTER)
        wait_for(browser, CLIENT_ANSWER)
        press(browser, Keys.ESCAPE, Keys.ESCAPE)  # leave the call: the sheet
        wait_settled(browser, "成绩单")
        press(browser, "e")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not [p for p in browser.downloads.iterdir() if p.suffix == ".html"]:
            time.sleep(0.2)
        (sheet,) = [p for p in browser.downloads.iterdir() if p.suffix == ".html"]
        assert sheet.name.startswith("王小明_[A1024]-attempt")
        html = sheet.read_text(encoding="utf-8")
        assert "王小明 [A1024]" in html and "十二月考核" in html and FIRST_REPLY in html
    finally:
        room.stop()
    shown = subprocess.run([sys.executable, "-m", "roleplay", "session", "show", code, "--db", db_url],
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert "王小明 [A1024]" in shown.stdout
    verified = subprocess.run([sys.executable, "-m", "roleplay", "verify", str(sheet)], capture_output=True,
                              text=True, timeout=60)
    assert verified.returncode == 0, verified.stdout + verified.stderr


@pytest.mark.parametrize("how", ["stopped", "killed"])
def test_stopping_the_server_ends_the_trainers_of_open_tabs(room, browser, how):
    """Ctrl+C/SIGTERM ends them at once; after a SIGKILL (or a crash) they notice within seconds and leave."""
    import os

    sign_in(browser, room)
    wait_for(browser, "工号")
    trainers = room.trainers()
    assert trainers
    if how == "stopped":
        room.stop()
    else:
        room.process.kill()
        room.process.wait()
    deadline = time.monotonic() + 20
    alive = trainers
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if os.path.exists(f"/proc/{pid}") and
                 open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"]
        time.sleep(0.2)
    assert not alive, f"trainer processes {alive} outlived the server"
