"""The training room server: textual-serve's page and websocket behind a login, one trainer process per tab."""

from __future__ import annotations

import asyncio
import logging
import os
import shlex
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from roleplay.serve.access import COOKIE, COOKIE_MAX_AGE_S, Pass, RoomAccess

log = logging.getLogger("roleplay.serve")
TEMPLATES = Path(__file__).resolve().parent / "templates"
TITLE = "客户经理礼仪训练"
OPEN_PATHS = ("/login", "/favicon.ico")
GRANT = web.RequestKey("grant", Pass)  # the signed-in browser's pass, set by the guard


@dataclass
class RoomSettings:
    """How the room is served; `app_args` are passed to every `roleplay tui` the server starts."""

    host: str = "0.0.0.0"
    port: int = 8000
    public_url: str | None = None  # None: the address each browser used (works on any LAN interface)
    max_sessions: int = 30
    db_url: str | None = None  # None: $ROLEPLAY_DB or the default SQLite file
    home: Path = field(default_factory=lambda: Path("."))  # per-browser preferences and the cookie key
    app_args: list[str] = field(default_factory=list)
    lang: str = "zh"  # UI language a new browser starts in (each can switch with F6; it is remembered)
    secure_cookie: bool = False  # set when the room is reached over https (a TLS proxy in front)


class TraineeApp(AppService):
    """One browser tab's trainer process, tagged with the browser it belongs to (for downloads)."""

    def __init__(self, command: str, browser_id: str, extra_env: dict[str, str], **kwargs) -> None:
        super().__init__(command, **kwargs)
        self.browser_id = browser_id
        self.extra_env = extra_env

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment.update(self.extra_env)
        return environment


class RoomServer(Server):
    """textual-serve's Server with access control, a session limit, per-browser settings and safe downloads."""

    def __init__(self, settings: RoomSettings, access: RoomAccess) -> None:
        super().__init__("roleplay tui", host=settings.host, port=settings.port, title=TITLE,
                         public_url=settings.public_url, templates_path=TEMPLATES)
        self.settings = settings
        self.access = access
        self.active: set[TraineeApp] = set()
        self.on_ready: list = []  # callbacks(server) once listening (the CLI prints the URL; tests wait)

    # -- the trainer process -------------------------------------------------------------------
    def app_command(self, grant: Pass) -> str:
        """`exec python -m roleplay tui ...`: textual-serve runs it through a shell, and exec leaves no shell
        process behind (one fewer process per trainee, and signals reach the trainer directly)."""
        prefs = self.settings.home / "browsers" / f"{grant.browser_id}.json"
        if not prefs.exists():
            # Seed the room's language in the browser's own preferences rather than pass --lang, which
            # would override the trainee's F6 choice on every reconnect.
            from roleplay.core.store.prefs import Prefs, save_prefs

            save_prefs(Prefs(lang=self.settings.lang), prefs)
        args = [sys.executable, "-m", "roleplay", "tui", "--prefs-file", str(prefs), *self.settings.app_args]
        if grant.session_code:
            args += ["--session", grant.session_code]
        command = shlex.join(args)
        return command if os.name == "nt" else f"exec {command}"

    def app_environment(self) -> dict[str, str]:
        # The store URL goes by environment, not argv: a PostgreSQL password never shows in `ps`.
        env = {"ROLEPLAY_HOME": str(self.settings.home)}
        if self.settings.db_url:
            env["ROLEPLAY_DB"] = self.settings.db_url
        return env

    # -- routes --------------------------------------------------------------------------------
    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard], client_max_size=64 * 1024)
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True)
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/login", self.handle_login_page, name="login"),
            web.post("/login", self.handle_login, name="login_post"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def guard(self, request: web.Request, handler):
        """Everything but the login page and static files needs a valid room cookie."""
        if request.path in OPEN_PATHS or request.path.startswith("/static/"):
            return await handler(request)
        grant = self.access.read_cookie(request.cookies.get(COOKIE))
        if grant is None:
            if request.path == "/":
                raise web.HTTPSeeOther("/login")
            raise web.HTTPForbidden(text="sign in first at /login")
        request[GRANT] = grant
        return await handler(request)

    def login_context(self, error: str | None = None) -> dict:
        by_code = self.access.check_code is not None
        if self.access.password and by_code:
            prompt, prompt_en = "教室密码或考核码", "Room password or assessment code"
        elif by_code:
            prompt, prompt_en = "考核码（培训师给的 6 位码）", "Assessment code (from your trainer)"
        else:
            prompt, prompt_en = "教室密码", "Room password"
        return {"title": TITLE, "prompt": prompt, "prompt_en": prompt_en, "error": error}

    async def handle_login_page(self, request: web.Request) -> web.Response:
        if self.access.read_cookie(request.cookies.get(COOKIE)) is not None:
            raise web.HTTPSeeOther("/")  # signed in already (a bookmarked login page)
        return aiohttp_jinja2.render_template("login.html", request, self.login_context())

    async def handle_login(self, request: web.Request) -> web.Response:
        client = request.remote or "?"
        if self.access.throttled(client):
            context = self.login_context("尝试次数太多，请一分钟后再试。Too many tries: wait a minute.")
            return aiohttp_jinja2.render_template("login.html", request, context, status=429)
        form = await request.post()
        grant = self.access.login(str(form.get("secret", "")), client)
        if grant is None:
            log.info("failed sign-in from %s", client)  # never the typed text
            context = self.login_context("密码或考核码不对，请再试一次。Wrong password or code: try again.")
            return aiohttp_jinja2.render_template("login.html", request, context, status=401)
        log.info("sign-in from %s%s", client, " with an assessment code" if grant.session_code else "")
        response = web.HTTPSeeOther("/")
        response.set_cookie(COOKIE, self.access.cookie_value(grant), max_age=COOKIE_MAX_AGE_S, httponly=True,
                            samesite="Strict", secure=self.settings.secure_cookie, path="/")
        raise response

    def base_url(self, request: web.Request) -> str:
        """--public-url when given; otherwise the address this browser used, so a 0.0.0.0 bind still gives
        every PC a websocket URL it can reach (textual-serve's default would point it at 0.0.0.0)."""
        if self.settings.public_url:
            return self.settings.public_url.rstrip("/")
        return f"{request.scheme}://{request.host}"

    async def handle_index(self, request: web.Request) -> web.Response:
        if len(self.active) >= self.settings.max_sessions:
            return aiohttp_jinja2.render_template("full.html", request, {
                "title": TITLE, "limit": self.settings.max_sessions}, status=503)
        base = self.base_url(request)
        ws_base = ("wss:" if base.startswith("https:") else "ws:") + base.split(":", 1)[1]
        context = {
            "font_size": max(8, min(to_int(request.query.get("fontsize", "16"), 16), 40)),
            "app_websocket_url": f"{ws_base}/ws",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": TITLE},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One trainer process per connection (textual-serve's handler, plus the limit and per-browser args)."""
        if len(self.active) >= self.settings.max_sessions:
            raise web.HTTPServiceUnavailable(text="the room is full")
        grant = request[GRANT]
        websocket = web.WebSocketResponse(heartbeat=15)
        width = max(20, min(to_int(request.query.get("width", "80"), 80), 400))
        height = max(10, min(to_int(request.query.get("height", "24"), 24), 200))
        service = TraineeApp(self.app_command(grant), grant.browser_id, self.app_environment(),
                             write_bytes=websocket.send_bytes, write_str=websocket.send_str, close=websocket.close,
                             download_manager=self.download_manager, debug=self.debug)
        self.active.add(service)  # counted before the first await, so a burst cannot overshoot the limit
        log.info("trainer started (%d of %d)", len(self.active), self.settings.max_sessions)
        try:
            await websocket.prepare(request)
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 - one tab's failure must not take the room down; logged
            log.exception(error)
        finally:
            await service.stop()
            await self.end_trainer(service)
            self.active.discard(service)
            log.info("trainer closed (%d of %d)", len(self.active), self.settings.max_sessions)
        return websocket

    async def end_trainer(self, service: TraineeApp, grace_s: float = 5.0) -> None:
        """Make sure a closed tab's trainer process ends (a lingering one would keep holding its attempt):
        textual-serve asks it to quit; closing its stdin as well ends Textual's web driver's input loop, and a
        process that still runs after that is terminated."""
        process = service._process  # textual-serve keeps no public handle (pinned < 1.2)
        if process is None or process.returncode is not None:
            return
        if process.stdin is not None and not process.stdin.is_closing():
            process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), grace_s)
        except TimeoutError:
            log.warning("trainer %s did not end when its tab closed: terminating it", process.pid)
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), grace_s)
            except TimeoutError:
                process.kill()

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A sheet delivered by the app: only to the browser whose app made it, with a UTF-8 file name."""
        key = request.match_info["key"]
        try:
            meta = await self.download_manager.get_download_metadata(key)
        except KeyError:
            raise web.HTTPNotFound(text="this download has expired; press E again") from None
        if getattr(meta.app_service, "browser_id", None) != request[GRANT].browser_id:
            raise web.HTTPNotFound(text="this download has expired; press E again")
        response = web.StreamResponse()
        content_type = meta.mime_type + (f"; charset={meta.encoding}" if meta.encoding else "")
        response.headers["Content-Type"] = content_type
        disposition = "inline" if meta.open_method == "browser" else "attachment"
        ascii_name = meta.file_name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
        response.headers["Content-Disposition"] = (
            f'{disposition}; filename="{ascii_name}"; filename*=UTF-8\'\'{quote(meta.file_name)}')
        await response.prepare(request)
        async for chunk in self.download_manager.download(key):
            await response.write(chunk)
        await response.write_eof()
        return response

    async def on_startup(self, app: web.Application) -> None:
        """Nothing to print yet: the socket is bound after startup (see `serve`)."""

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C or SIGTERM: every trainer process ends with the server (their turns are already stored);
        left alone, a trainer whose tab was still open outlived the server."""
        for service in list(self.active):
            process = service._process  # textual-serve keeps no public handle (pinned < 1.2)
            if process is not None and process.returncode is None:
                process.terminate()

    def serve(self, debug: bool = False) -> None:
        """textual-serve's loop, telling `on_ready` once the socket listens (its banner came before binding)."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        if sys.platform != "win32":  # Windows event loops take no signal handlers; Ctrl+C still stops the server there
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)

        def listening(*_args) -> None:
            for callback in self.on_ready:
                callback(self)

        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop,
                    print=listening, access_log=log)


