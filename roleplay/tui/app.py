"""The Textual app and its one factory, `create_app`, shared by the CLI and the tests."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from roleplay.tui.context import TrainerContext
from roleplay.tui.i18n import default_language, tr

LOCKED_ACTIONS = ("phrasebook", "history")  # study aids closed in assessment mode (hint/debug: PlayScreen)


class RoleplayApp(App):
    """Trainer app: start screen → (preparation) → role-play → score sheet, plus study and history screens."""

    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    # Screens get `-wide` from 100 columns: the play screen's side bar widens (see app.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("f1", "help", "Help", key_display="F1"),
        Binding("f4", "phrasebook", "Phrasebook", show=False),
        Binding("f5", "history", "History", show=False),
        Binding("f6", "toggle_lang", "中/EN", key_display="F6"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, ctx: TrainerContext, start_scenario: str | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.start_scenario = start_scenario

    # -- strings -------------------------------------------------------------------------------
    def t(self, key: str, **values: object) -> str:
        return tr(self.ctx.lang, key, **values)

    @property
    def lang(self) -> str:
        return self.ctx.lang

    def on_mount(self) -> None:
        if self.is_web:
            # Served by `roleplay serve`: if the server dies without ending us (SIGKILL, a crash), nobody will
            # ever type here again; Textual's web driver keeps running when its input ends, so leave by ourselves.
            self._server_pid = os.getppid()
            self.set_interval(5.0, self._exit_if_server_gone)
        self.title = self.t("app.title")
        from roleplay.tui.screens.start import StartScreen

        self.push_screen(StartScreen())
        if self.start_scenario:
            self.call_after_refresh(self.begin_scenario, self.start_scenario)

    def _exit_if_server_gone(self) -> None:
        if os.getppid() != self._server_pid:
            self.exit()

    # -- navigation used by several screens ----------------------------------------------------
    def begin_scenario(self, scenario_id: str) -> None:
        """Open a scenario: the preparation checklist first when it has one, then a new attempt."""
        from roleplay.core.content.problems import ContentError

        try:
            scenario = self.ctx.scenario(scenario_id)
            self.ctx.phrasebook()
        except (ContentError, LookupError, OSError) as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if scenario.checklist:
            from roleplay.tui.screens.preparation import PreparationScreen

            def prepared(items: list[str] | None) -> None:
                if items is not None:
                    self.start_attempt(scenario, items)

            self.push_screen(PreparationScreen(scenario), prepared)
        else:
            self.start_attempt(scenario, None)

    def start_attempt(self, scenario, prepared: list[str] | None) -> None:
        """A new core Attempt (a joined session's rules and attempt allowance apply), shown on a PlayScreen."""
        from roleplay.core.attempts.attempt import Attempt
        from roleplay.core.store.connect import StoreError
        from roleplay.tui.screens.play import PlayScreen

        ctx = self.ctx
        try:
            attempt = Attempt.start(scenario, ctx.phrasebook(), ctx.identity, store=ctx.store(), seed=ctx.seed,
                                    mode=ctx.mode, assessment=ctx.assessment, prepared=prepared,
                                    time_limit_s=ctx.time_limit_s if ctx.locked else None, owner=ctx.lease_owner())
        except StoreError as exc:  # e.g. the last allowed attempt was taken in another terminal a moment ago
            self.notify(self.t("start.cannot_start", error=str(exc)), severity="error", markup=False)
            return
        self.push_screen(PlayScreen(attempt))

    def resume_attempt(self, info, take_over: bool = False, abandon: bool = False) -> None:
        """Continue (or, confirmed already, abandon) an unfinished attempt. A terminal that went quiet is taken
        over only after the trainee confirms; one that is still active is never taken over."""
        from roleplay.core.attempts.attempt import Attempt
        from roleplay.core.content.problems import ContentError
        from roleplay.core.store.connect import StoreError
        from roleplay.core.store.leases import LeaseHeld, LeaseStale

        ctx = self.ctx
        try:
            attempt = Attempt.resume(ctx.store(), info.id, ctx.scenario(info.scenario_id), ctx.phrasebook(),
                                     owner=ctx.lease_owner(), take_over=take_over or abandon)
        except LeaseHeld as exc:
            self.notify(self.t("start.lease_held", holder=exc.holder), severity="error", markup=False, timeout=15)
            return
        except LeaseStale as exc:
            self.confirm_take_over(info, exc)
            return
        except (StoreError, ContentError, LookupError, OSError) as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if abandon:
            attempt.abandon()
            self.notify(self.t("start.abandoned"))
            return
        ctx.mode, ctx.assessment = attempt.mode, attempt.assessment  # the attempt's own rules, not the screen's
        if attempt.assessment is not None:
            ctx.time_limit_s = attempt.time_limit_s
        from roleplay.tui.screens.play import PlayScreen

        self.push_screen(PlayScreen(attempt))

    def confirm_take_over(self, info, stale) -> None:
        from roleplay.tui.screens.confirm import ConfirmScreen

        what = self.t("mode.assessment" if info.mode == "assessment" else "mode.practice")
        dialog = ConfirmScreen(self.t("start.takeover_title", what=what),
                               self.t("start.takeover_body", holder=stale.holder, seconds=f"{stale.seen_s_ago:.0f}"),
                               self.t("start.takeover_yes"), self.t("start.takeover_no"))
        self.push_screen(dialog, lambda yes: self.resume_attempt(info, take_over=True) if yes else None)

    def confirm_abandon(self, info, title: str) -> None:
        """Abandoning cannot be undone and uses up the attempt: ask once more, in so many words."""
        from roleplay.tui.screens.confirm import ConfirmScreen

        what = self.t("mode.assessment" if info.mode == "assessment" else "mode.practice")
        dialog = ConfirmScreen(self.t("start.abandon_title", what=what), self.t("start.abandon_body", scenario=title),
                               self.t("start.abandon_yes"), self.t("start.abandon_no"))
        self.push_screen(dialog, lambda yes: self.resume_attempt(info, abandon=True) if yes else None)

    def show_result(self, sheet, attempt_id: int | None = None) -> None:
        from roleplay.tui.screens.result import ResultScreen

        self.switch_screen(ResultScreen(sheet, attempt_id))

    # -- global actions ------------------------------------------------------------------------
    def action_help(self) -> None:
        from roleplay.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_phrasebook(self) -> None:
        from roleplay.tui.screens.phrasebook import PhrasebookScreen

        if not self.ctx.locked and not isinstance(self.screen, PhrasebookScreen):
            self.push_screen(PhrasebookScreen())

    def action_history(self) -> None:
        from roleplay.tui.screens.history import HistoryScreen

        if not self.ctx.locked and not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    async def action_toggle_lang(self) -> None:
        """Switch zh/en and rebuild every screen on the stack, so no old-language string survives."""
        self.ctx.lang = "en" if self.ctx.lang == "zh" else "zh"
        self.ctx.save()
        self.title = self.t("app.title")
        for screen in self.screen_stack:
            if isinstance(screen, Screen) and hasattr(screen, "relabel"):
                await screen.relabel()
        self.refresh_bindings()

    def action_command_palette(self) -> None:
        """Textual's palette, with its search prompt in the UI language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=self.t("cmd.search"), id="--command-palette"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In assessment mode the phrasebook and history are closed (keys, footer and palette alike)."""
        if action in LOCKED_ACTIONS and self.ctx.locked:
            return False
        return True

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        locked = self.ctx.locked
        if not locked:
            yield SystemCommand(self.t("key.book"), self.t("cmd.book"), self.action_phrasebook)
            yield SystemCommand(self.t("key.history"), self.t("cmd.history"), self.action_history)
        yield SystemCommand(self.t("key.help"), self.t("cmd.help"), self.action_help)
        yield SystemCommand(self.t("key.lang"), self.t("cmd.lang"), self.action_toggle_lang)
        if not locked and hasattr(screen, "action_toggle_debug"):
            yield SystemCommand(self.t("key.debug"), self.t("cmd.debug"), screen.action_toggle_debug)
        if not locked and hasattr(screen, "action_hint"):
            yield SystemCommand(self.t("key.hint"), self.t("cmd.hint"), screen.action_hint)
        yield SystemCommand(self.t("key.quit"), self.t("cmd.quit"), self.action_quit)

    def watch_app_focus(self, focus: bool) -> None:
        """In a browser (roleplay serve) the app starts without focus, and a screen pushed meanwhile (the resume
        question on reconnect) gets no auto-focus; Textual only restores the widget focused before the blur.
        Give such a screen its auto-focus once the tab has focus, so Enter works without a mouse click."""
        screen = self.screen
        auto_focus = self.AUTO_FOCUS if screen.AUTO_FOCUS is None else screen.AUTO_FOCUS  # as Textual reads it
        if focus and screen.focused is None and auto_focus:
            screen.focus_next(auto_focus)

    def on_unmount(self) -> None:
        self.ctx.close()


def create_app(
    *,
    lang: str | None = None,
    mode: str | None = None,
    trainee: str | None = None,
    employee_id: str | None = None,
    scenario: str | None = None,
    scenario_paths: list[str] | None = None,
    phrasebook_paths: list[str] | None = None,
    db_url: str | None = None,
    seed: int = 0,
    export_dir: str | Path | None = None,
    prefs_file: str | Path | None = None,
    remember: bool = True,
    store: bool = True,
    time_limit_s: float | None = None,
    session_code: str | None = None,
) -> RoleplayApp:
    """Build the app. The CLI passes its options; tests pass fixed values (seed, trainee, lang, temp dirs)."""
    ctx = TrainerContext.from_prefs(
        lang,
        default_language(),
        mode=mode,
        trainee=trainee,
        employee_id=employee_id or "",
        seed=seed,
        scenario_paths=scenario_paths,
        phrasebook_paths=phrasebook_paths,
        db_url=db_url,
        export_dir=Path(export_dir) if export_dir else Path("exports"),
        prefs_file=Path(prefs_file) if prefs_file else None,
        remember=remember,
        store_enabled=store,
        time_limit_s=time_limit_s,
        session_code=session_code,
    )
    return RoleplayApp(ctx, start_scenario=scenario)
