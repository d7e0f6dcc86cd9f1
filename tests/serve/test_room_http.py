"""The room's doors, without a browser: login, cookie, throttling, the session limit, downloads, the command."""

from __future__ import annotations

import shlex
import sys

import pytest
from aiohttp.test_utils import TestClient, TestServer

from roleplay.serve.access import COOKIE, FAILED_LOGINS_PER_MINUTE, Pass, RoomAccess
from roleplay.serve.server import RoomServer, RoomSettings

PASSWORD = "教室-2026"


@pytest.fixture
def room(tmp_path):
    settings = RoomSettings(host="127.0.0.1", port=0, max_sessions=2, db_url=f"sqlite:///{tmp_path / 'r.db'}",
                            home=tmp_path, app_args=["--mode", "practice"])
    return RoomServer(settings, RoomAccess(b"k" * 32, PASSWORD))


@pytest.fixture
async def client(room):
    async with TestClient(TestServer(await room._make_app())) as test_client:
        yield test_client


async def sign_in(client, secret=PASSWORD):
    return await client.post("/login", data={"secret": secret}, allow_redirects=False)


async def test_the_trainer_page_needs_a_sign_in(client):
    response = await client.get("/", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/login"
    assert (await client.get("/ws")).status == 403
    assert (await client.get("/download/abc")).status == 403
    page = await client.get("/login")
    assert page.status == 200 and "教室密码" in await page.text()
    assert (await client.get("/static/js/textual.js")).status == 200  # the page's scripts need no cookie


async def test_the_right_password_sets_a_signed_http_only_cookie(client):
    response = await sign_in(client)
    assert response.status == 303 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and PASSWORD not in cookie
    page = await client.get("/")
    text = await page.text()
    assert page.status == 200 and "textual-terminal" in text
    # the websocket URL is the address this browser used, not the 0.0.0.0 the server listens on
    assert f'data-session-websocket-url="ws://{client.server.host}:{client.server.port}/ws"' in text
    assert "googleapis" not in text  # nothing is fetched from outside the room


async def test_a_wrong_password_is_refused_and_repeated_guesses_are_throttled(client):
    response = await sign_in(client, "guess")
    assert response.status == 401 and "不对" in await response.text() and COOKIE not in response.cookies
    for _ in range(FAILED_LOGINS_PER_MINUTE):
        await sign_in(client, "guess")
    throttled = await sign_in(client)  # even the right password waits out the minute
    assert throttled.status == 429


async def test_a_forged_or_foreign_cookie_is_not_a_pass(room, client):
    client.session.cookie_jar.update_cookies({COOKIE: "forged.value.here"})
    assert (await client.get("/", allow_redirects=False)).status == 303
    other = RoomAccess(b"x" * 32, PASSWORD)  # another server's key
    client.session.cookie_jar.update_cookies({COOKIE: other.cookie_value(Pass("abc"))})
    assert (await client.get("/", allow_redirects=False)).status == 303
    changed = RoomAccess(b"k" * 32, "new password")  # same key, the password changed since
    client.session.cookie_jar.update_cookies({COOKIE: changed.cookie_value(Pass("abc"))})
    assert (await client.get("/", allow_redirects=False)).status == 303
    client.session.cookie_jar.update_cookies({COOKIE: room.access.cookie_value(Pass("abc"))})
    assert (await client.get("/", allow_redirects=False)).status == 200


async def test_a_full_room_says_so(room, client):
    await sign_in(client)
    class Running:  # a trainer as the room counts it (its process is not needed here)
        _process = None

    room.active.update({Running(), Running()})  # two trainers running: the limit
    page = await client.get("/")
    assert page.status == 503 and "教室已满" in await page.text() and "The room is full" in await page.text()
    assert (await client.get("/ws")).status == 503


async def test_a_download_goes_only_to_the_browser_whose_trainer_made_it(room, client):
    class FakeApp:
        browser_id = "someone-else"

    await room.download_manager.create_download(app_service=FakeApp(), delivery_key="k1", file_name="成绩单.html",
                                                open_method="download", mime_type="text/html", encoding="utf-8")
    await sign_in(client)
    assert (await client.get("/download/k1")).status == 404


def test_the_trainer_is_exec_ed_with_this_python_and_the_store_url_stays_out_of_argv(room):
    command = room.app_command(Pass("b1", "K7M2QX"))
    argv = shlex.split(command)
    assert argv[0] == "exec" and argv[1] == sys.executable
    assert argv[2:5] == ["-m", "roleplay", "tui"]
    assert argv[argv.index("--session") + 1] == "K7M2QX"
    assert argv[argv.index("--prefs-file") + 1].endswith("browsers/b1.json")
    assert "r.db" not in command and room.app_environment()["ROLEPLAY_DB"].endswith("r.db")


def test_a_new_browser_starts_in_the_room_language_and_keeps_its_own_choice(room):
    import json

    room.settings.lang = "en"
    room.app_command(Pass("b2"))
    prefs = room.settings.home / "browsers" / "b2.json"
    assert json.loads(prefs.read_text(encoding="utf-8"))["lang"] == "en"
    prefs.write_text(json.dumps({"lang": "zh"}), encoding="utf-8")  # the trainee pressed F6
    room.app_command(Pass("b2"))
    assert json.loads(prefs.read_text(encoding="utf-8"))["lang"] == "zh"


def test_assessment_codes_open_only_live_sessions(tmp_path):
    from datetime import datetime, timezone

    from roleplay.core.attempts.assessment import create_session
    from roleplay.core.store import open_store
    from roleplay.serve.codes import session_code_checker

    url = f"sqlite:///{tmp_path / 'codes.db'}"
    with open_store(url) as store:
        live = create_session(store, "live", ["zh_tel_call_handover_easy"]).code
        closed = create_session(store, "closed", ["zh_tel_call_handover_easy"], deadline="2020-01-01T00:00:00+00:00",
                                now=datetime(2019, 12, 1, tzinfo=timezone.utc)).code  # created then; closed now
    check = session_code_checker(url)
    assert check(f" {live.lower()} ") == live
    assert check(closed) is None and check("NOPE99") is None and check("'; drop table") is None
    access = RoomAccess(b"k" * 32, None, check)
    grant = access.login(live, "10.0.0.5")
    assert grant is not None and grant.session_code == live
    assert access.read_cookie(access.cookie_value(grant)) == grant


def test_the_trainer_binds_no_key_a_browser_keeps_for_itself():
    """Ctrl+W/T/N close or open tabs and Ctrl+R reloads before the page sees them: nothing may depend on them."""
    import importlib
    import pkgutil

    from textual.screen import Screen

    import roleplay.tui.screens as screens
    from roleplay.tui.app import RoleplayApp

    owners = [RoleplayApp]
    for module in pkgutil.iter_modules(screens.__path__):
        loaded = importlib.import_module(f"roleplay.tui.screens.{module.name}")
        owners += [v for v in vars(loaded).values() if isinstance(v, type) and issubclass(v, Screen)]
    reserved = {"ctrl+w", "ctrl+t", "ctrl+n", "ctrl+r", "ctrl+shift+t", "ctrl+shift+w", "f11", "f12"}
    for owner in owners:
        for binding in owner.BINDINGS:
            keys = binding.key if hasattr(binding, "key") else binding[0]
            assert not reserved & set(keys.split(",")), f"{owner.__name__} binds {keys}"
