"""Drive the served trainer in headless Chromium: start a room, sign in, read and type into the terminal.

xterm.js draws on a canvas, so the page has no text to read. A script injected before the page loads keeps a
reference to the xterm Terminal object (caught when its constructor sets `_addonManager`), and the screen is
read from xterm's own buffer: exactly the cells the trainee sees, wide Chinese characters included.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import first_free_port

CHROMIUM = os.environ.get("ROLEPLAY_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("ROLEPLAY_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")
PORTS = range(8150, 8155)  # served rooms; the xAPI tests' LRS uses 8155-8157, serve_bench 8158
ROOT = Path(__file__).resolve().parent.parent.parent

CATCH_TERMINAL = r"""
(() => {
  window.__terminals = [];
  Object.defineProperty(Object.prototype, '_addonManager', {
    configurable: true,
    set(value) {
      Object.defineProperty(this, '_addonManager', {value, writable: true, configurable: true, enumerable: true});
      window.__terminals.push(this);
    },
  });
})();
"""
READ_SCREEN = r"""
const t = (window.__terminals || []).find(x => x.buffer && x.buffer.active);
if (!t) return null;
const b = t.buffer.active, rows = [];
for (let y = 0; y < t.rows; y++) {
  const line = b.getLine(b.viewportY + y);
  rows.push(line ? line.translateToString(true) : '');
}
return rows.join('\n');
"""


def free_port() -> int:
    return first_free_port(PORTS, "the served room")


def chromium_or_skip() -> None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[test]')")
    for path in (CHROMIUM, CHROMEDRIVER):
        if not shutil.which(path):
            pytest.skip(f"{path} is missing: run .ci/browser.sh (Debian's chromium and chromium-driver)")


class Room:
    """`roleplay serve` in a subprocess on loopback."""

    def __init__(self, home: Path, db_url: str, password: str = "房间-secret1", *extra: str) -> None:
        self.password = password
        self.db_url = db_url
        self.log = home / "serve.log"
        for _ in range(3):  # another test process may take the free port first: then the next one
            self.port = free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            if self._start(home, db_url, password, extra):
                return
        raise AssertionError("roleplay serve did not start:\n" + self.log.read_text(errors="replace"))

    def _start(self, home: Path, db_url: str, password: str, extra: tuple[str, ...]) -> bool:
        env = dict(os.environ, ROLEPLAY_HOME=str(home), ROLEPLAY_ROOM_PASSWORD=password, PYTHONUNBUFFERED="1")
        env.pop("ROLEPLAY_DB", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "roleplay", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--db", db_url, *extra],
            cwd=home, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if "Training room open" in self.log.read_text(encoding="utf-8", errors="replace"):
                return True
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        return False

    def trainers(self) -> list[int]:
        """Process ids of the trainers this server runs now (one per open tab)."""
        path = f"/proc/{self.process.pid}/task/{self.process.pid}/children"
        try:
            with open(path) as handle:
                return [int(pid) for pid in handle.read().split()]
        except OSError:
            return []

    def wait_for_trainers(self, count: int, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.trainers()) != count and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(self.trainers()) == count, f"{len(self.trainers())} trainers running, expected {count}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def open_browser(download_dir: Path, size: tuple[int, int] = (1200, 800)):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # The flags this machine needs (no GPU, no outside network), from the team's notes on Debian's chromium.
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--window-size={size[0]},{size[1]}", "--lang=zh-CN"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(download_dir),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_TERMINAL})
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)})
    return driver


def close_tab(driver) -> None:
    """Close the tab as a trainee does (a new empty tab stays open): the page's websocket closes with it.
    (Navigating the tab elsewhere is not the same: Chromium may keep the page, and its connection, cached.)"""
    old = driver.current_window_handle
    driver.switch_to.new_window("tab")
    fresh = driver.current_window_handle
    driver.switch_to.window(old)
    driver.close()
    driver.switch_to.window(fresh)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_TERMINAL})  # per tab


def sign_in(driver, room: Room, secret: str | None = None) -> None:
    from selenium.webdriver.common.by import By

    driver.get(room.url + "/")
    driver.find_element(By.ID, "secret").send_keys(secret if secret is not None else room.password)
    driver.find_element(By.ID, "login-button").click()


def screen(driver) -> str:
    return driver.execute_script(READ_SCREEN) or ""


def wait_for(driver, text: str, timeout: float = 30.0) -> str:
    """The screen once it shows `text` (xterm's buffer, polled)."""
    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = screen(driver)
        if text in shown:
            return shown
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared; the screen shows:\n{shown}")


CURSOR = """
const t = (window.__terminals || []).find(x => x.buffer && x.buffer.active);
if (!t) return null;
const b = t.buffer.active;
const line = b.getLine(b.viewportY + b.cursorY);
return line ? line.translateToString(true) : null;
"""


def wait_for_cursor(driver, row_text: str, timeout: float = 30.0) -> None:
    """Until the terminal cursor sits on the row showing `row_text`: Textual puts the cursor in the focused
    input (for the IME's candidate window), so this says the box has the keyboard and typing will land there."""
    deadline = time.monotonic() + timeout
    row = None
    while time.monotonic() < deadline:
        row = driver.execute_script(CURSOR)
        if row and row_text in row:
            return
        time.sleep(0.1)
    raise AssertionError(f"the cursor never reached the row with {row_text!r} (it is on {row!r})")


def wait_settled(driver, text: str, timeout: float = 30.0, settle: float = 0.7) -> str:
    """wait_for, then a moment for the new screen to take the keyboard focus (it does so after painting)."""
    shown = wait_for(driver, text, timeout)
    time.sleep(settle)
    return shown


def focus_terminal(driver) -> None:
    """Keyboard focus into the terminal (xterm's hidden input element), as clicking the page gives it."""
    driver.execute_script("document.querySelector('.xterm-helper-textarea').focus()")


def type_text(driver, text: str, shows: str | None = None, timeout: float = 15.0) -> str:
    """Text as an input method commits it (CDP Input.insertText): Chinese and full-width punctuation intact.
    Waits until the field shows it (`shows`: the part expected on screen, default the text's first characters),
    so a key pressed next cannot overtake it; returns the screen."""
    driver.execute_cdp_cmd("Input.insertText", {"text": text})
    return wait_for(driver, shows if shows is not None else text[:6], timeout)


def type_with_ime(driver, pieces: list[tuple[str, str]], shows: str) -> str:
    """Type as a pinyin IME does: each piece's letters compose one by one (the page sees composition events,
    the candidate text in the box), then the chosen characters are committed. Waits until `shows` is on screen."""
    for pinyin, chosen in pieces:
        for end in range(1, len(pinyin) + 1):
            driver.execute_cdp_cmd("Input.imeSetComposition",
                                   {"text": pinyin[:end], "selectionStart": end, "selectionEnd": end})
        driver.execute_cdp_cmd("Input.insertText", {"text": chosen})
    return wait_for(driver, shows)


def press(driver, *keys: str, settle: float = 0.5) -> None:
    """Keys as a person presses them; then a pause, as a person takes before typing into the field that Enter
    focused (Textual moves the focus after the key is handled, so text sent in the same instant lands before)."""
    from selenium.webdriver.common.action_chains import ActionChains

    chain = ActionChains(driver)
    for key in keys:
        chain.send_keys(key)
    chain.perform()
    time.sleep(settle)
