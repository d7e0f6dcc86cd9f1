"""The served room in a real browser (headless Chromium): sign in, say who you are, talk to the client in Chinese,
close the tab and come back to the same conversation, download the score sheet."""

from __future__ import annotations

import time

import pytest

from tests.serve.browser import (Room, chromium_or_skip, focus_terminal, open_browser, press, screen, sign_in,
                                 type_text, wait_for, wait_settled)

SCENARIO = "交接后电话预约拜访集团客户（简单）"
FIRST_REPLY = "您好，我是移动公司的客户经理小李！请问是王总吗？"  # full-width ，！？ as a Chinese IME types them
CLIENT_ANSWER = "原来不是小张负责我们吗"


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
    type_text(driver, "王小明")
    press(driver, Keys.ENTER)
    type_text(driver, "A1024")
    press(driver, Keys.ENTER)  # to the search box
    type_text(driver, "交接后电话预约拜访集团客户（简单")
    press(driver, Keys.ENTER)
    wait_settled(driver, "华联商贸")


def test_a_trainee_plays_in_chinese_in_the_browser_and_resumes_after_closing_the_tab(room, browser):
    from selenium.webdriver.common.keys import Keys

    from roleplay.core.store import open_store

    started = time.monotonic()
    sign_in(browser, room)
    start_scenario(browser)
    type_text(browser, FIRST_REPLY)
    press(browser, Keys.ENTER)
    shown = wait_for(browser, CLIENT_ANSWER)
    assert "王小明" in shown
    with open_store(room.db_url) as store:
        (attempt,) = store.unfinished_attempts("王小明 [A1024]")
        assert store.replies(attempt.id) == [FIRST_REPLY]  # autosaved, punctuation intact

    browser.get("about:blank")  # the tab is closed: its trainer process ends
    browser.get(room.url + "/")  # the cookie is still valid: straight back into the trainer
    wait_settled(browser, "继续未完成的练习")  # the browser's own preferences remember the trainee
    focus_terminal(browser)
    press(browser, Keys.ENTER)  # 继续 (Resume) has the focus
    shown = wait_for(browser, CLIENT_ANSWER)
    assert FIRST_REPLY.replace("！", "")[:8] in shown.replace(" ", "")
    assert time.monotonic() - started < 60
