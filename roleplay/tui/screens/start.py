"""Start screen: who trains, in which mode and UI language, and which scenario (search, filters, preview)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, Select, Static

from roleplay.core.attempts.identity import MAX_EMPLOYEE_ID_CHARS, clean_employee_id, employee_id_problem
from roleplay.core.store.prefs import MAX_NAME_CHARS, clean_name
from roleplay.tui.i18n import tr
from roleplay.tui.widgets.key_bar import KeyBar
from roleplay.tui.widgets.scenario_list import ScenarioList, matches
from roleplay.tui.widgets.scenario_preview import ScenarioPreview

KINDS = ("visit", "call", "complaint", "knowledge")
DIFFICULTIES = ("easy", "medium", "hard")
KEYS = [("F1", "key.help"), ("Enter", "key.start"), ("F4", "key.book"), ("F5", "key.history"),
        ("F6", "key.lang"), ("F7", "key.mode"), ("^Q", "key.quit")]
STUDY_KEYS = ("F4", "F5")  # phrasebook and history: not offered in assessment mode


def start_keys(locked: bool) -> list[tuple[str, str]]:
    return [(key, label) for key, label in KEYS if not (locked and key in STUDY_KEYS)]


class StartScreen(Screen):
    """Pick a scenario; the name, language and mode are remembered between runs."""

    BINDINGS = [
        Binding("f7", "toggle_mode", "Mode", show=False),
        Binding("question_mark", "app.help", "Help", show=False),
        Binding("down", "list_down", show=False),
        Binding("up", "list_up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.search = ""
        self.filters = {"kind": "", "difficulty": "", "language": ""}
        self.selected_id: str | None = None

    def t(self, key: str, **values) -> str:
        return tr(self.app.ctx.lang, key, **values)

    def compose(self) -> ComposeResult:
        ctx = self.app.ctx
        yield Static(self.t("app.title"), id="title-bar", markup=False)
        with Horizontal(id="start-who"):
            yield Label(self.t("start.trainee"))
            yield Input(ctx.trainee, placeholder=self.t("start.trainee_placeholder"), id="trainee",
                        max_length=MAX_NAME_CHARS, compact=True)
            yield Label(self.t("start.employee_id"))
            yield Input(ctx.employee_id, placeholder=self.t("start.employee_id_placeholder"), id="employee-id",
                        max_length=MAX_EMPLOYEE_ID_CHARS, compact=True)
            yield Label(self.t("start.mode"))
            yield Select([(self.t("mode.practice"), "practice"), (self.t("mode.assessment"), "assessment")],
                         value=ctx.mode, allow_blank=False, compact=True, id="mode")
            yield Label(self.t("start.ui_lang"))
            yield Select([("中文", "zh"), ("English", "en")], value=ctx.lang, allow_blank=False,
                         compact=True, id="ui-lang")
            yield Label(self.t("start.session_code"))
            yield Input(placeholder="ABC123", id="session-code", max_length=16, compact=True)
        with Horizontal(id="start-filters"):
            yield Input(self.search, placeholder=self.t("start.search"), id="search", compact=True)
            yield self._filter("kind", KINDS, "kind.")
            yield self._filter("difficulty", DIFFICULTIES, "difficulty.")
            yield self._filter("language", ("zh", "en"), "lang.")
        with Horizontal(id="start-body"):
            yield ScenarioList(id="scenarios")
            yield ScenarioPreview(id="preview")
        yield KeyBar(start_keys(ctx.locked), ctx.lang, id="keys")

    def _filter(self, name: str, values: tuple[str, ...], prefix: str) -> Select:
        options = [(self.t("start.filter_" + name) + "·" + self.t("start.all"), "")]
        options += [(self.t(prefix + v), v) for v in values]
        return Select(options, value=self.filters[name], allow_blank=False, compact=True, id=f"filter-{name}")

    def on_mount(self) -> None:
        self.query_one("#search" if self.app.ctx.trainee else "#trainee", Input).focus()
        if self.app.ctx.loaded:
            self.refill()
        else:
            self.query_one("#preview-body", Static).update(self.t("start.loading"))
            self.call_after_refresh(self.load_content)  # paint first, then parse

    @work(thread=True, exclusive=True, group="start-content")
    def load_content(self) -> None:
        """Parse the scenarios and phrasebook and open the store off the UI thread, so the screen is up at once
        (YAML parsing and database migrations take about a second together)."""
        from roleplay.core.content.problems import ContentError

        ctx = self.app.ctx
        ctx.scenarios()
        self.app.call_from_thread(self.refill)  # the list first; the phrasebook and the store can follow
        problems = None
        try:
            ctx.phrasebook()  # warm: the first reply's feedback then needs no loading
        except ContentError as exc:
            problems = str(exc)
        resume = self.find_resume()
        self.app.call_from_thread(self.content_ready, problems, resume)

    def content_ready(self, problems: str | None, resume) -> None:
        self.refill()
        if problems:
            self.notify(problems, title=self.t("start.phrasebook_problems"), severity="error", markup=False,
                        timeout=30)
        elif not self.app.ctx.scenarios():
            self.notify(self.t("start.no_scenarios"), severity="warning")
        code, self.app.ctx.session_code = self.app.ctx.session_code, None
        if code:
            self.query_one("#session-code", Input).value = code
            self.join_assessment(code)
        if resume is not None and self.app.screen is self:  # not over a scenario opened by --scenario
            self.offer_resume(*resume)

    async def relabel(self) -> None:
        await self.recompose()
        if self.app.ctx.loaded:
            self.refill()

    # -- list and preview ----------------------------------------------------------------------
    def visible(self) -> list:
        ctx = self.app.ctx
        pool = ctx.scenarios()
        if ctx.assessment is not None:
            pool = [s for s in pool if s.id in set(ctx.assessment.scenario_ids)]
        shown = [s for s in pool if matches(s, self.search, **self.filters)]
        # scenarios in the UI language first: a Chinese-speaking trainee sees the Chinese library on top
        return sorted(shown, key=lambda s: (s.language != ctx.lang, s.id))

    def refill(self) -> None:
        if not self.app.ctx.loaded:
            return  # the worker fills the list when the content is in
        listing = self.query_one(ScenarioList)
        listing.show(self.visible(), self.app.ctx.lang, keep=self.selected_id)
        self.show_preview()

    def show_preview(self) -> None:
        current = self.query_one(ScenarioList).current()
        self.selected_id = current.id if current else None
        preview = self.query_one(ScenarioPreview)
        if current is None and not self.query_one(ScenarioList).shown:
            preview.query_one("#preview-body", Static).update(self.t("start.no_scenarios"))
        else:
            preview.show(current, self.app.ctx.lang, self.app.ctx.trainee)

    @on(OptionList.OptionHighlighted, "#scenarios")
    def _highlighted(self) -> None:
        self.show_preview()

    @on(OptionList.OptionSelected, "#scenarios")
    def _chosen(self) -> None:
        self.start_selected()

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        self.search = event.value
        self.refill()

    @on(Input.Submitted, "#search")
    def _search_enter(self) -> None:
        self.start_selected()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        name = event.select.id or ""
        if name.startswith("filter-"):
            self.filters[name.removeprefix("filter-")] = event.value or ""
            self.refill()
        elif name == "mode" and event.value != self.app.ctx.mode:
            self.app.ctx.mode = str(event.value)
            self.query_one(KeyBar).show(start_keys(self.app.ctx.locked), self.app.ctx.lang)
            self.app.refresh_bindings()
        elif name == "ui-lang" and event.value != self.app.ctx.lang:
            self.run_worker(self.app.action_toggle_lang(), exclusive=True)

    @on(Input.Changed, "#trainee")
    def _name(self, event: Input.Changed) -> None:
        self.app.ctx.trainee = clean_name(event.value)

    @on(Input.Submitted, "#trainee")
    def _name_done(self) -> None:
        self.app.ctx.save()
        self.query_one("#employee-id", Input).focus()

    @on(Input.Changed, "#employee-id")
    def _employee_id(self, event: Input.Changed) -> None:
        self.app.ctx.employee_id = clean_employee_id(event.value)

    @on(Input.Submitted, "#employee-id")
    def _employee_id_done(self) -> None:
        if self.employee_id_ok():
            self.app.ctx.save()
            self.query_one("#search", Input).focus()
            code = self.query_one("#session-code", Input).value.strip()
            if code and self.app.ctx.assessment is None:  # a code given before the name (roleplay serve)
                self.join_assessment(code)
            self.offer_resume_now()

    def employee_id_ok(self) -> bool:
        """Say what is wrong with a typed 工号 (and keep the cursor there) instead of storing a bad one."""
        problem = employee_id_problem(self.app.ctx.employee_id)
        if problem:
            self.notify(self.t("start.employee_id_" + problem), severity="warning")
            self.query_one("#employee-id", Input).focus()
        return problem is None

    def offer_resume_now(self) -> None:
        """Once the trainee has said who they are, offer their unfinished attempt (a closed browser tab)."""
        if self.app.ctx.loaded and self.app.screen is self:
            resume = self.find_resume()
            if resume is not None:
                self.offer_resume(*resume)

    @on(Input.Submitted, "#session-code")
    def _join(self, event: Input.Submitted) -> None:
        self.join_assessment(event.value.strip())

    def action_list_down(self) -> None:
        self.query_one(ScenarioList).action_cursor_down()

    def action_list_up(self) -> None:
        self.query_one(ScenarioList).action_cursor_up()

    def action_toggle_mode(self) -> None:
        if self.app.ctx.assessment is not None:
            return  # a joined assessment fixes the mode
        mode = "assessment" if self.app.ctx.mode == "practice" else "practice"
        self.query_one("#mode", Select).value = mode

    # -- starting ------------------------------------------------------------------------------
    def start_selected(self) -> None:
        ctx = self.app.ctx
        if not ctx.trainee:
            self.notify(self.t("start.need_name"), severity="warning")
            self.query_one("#trainee", Input).focus()
            return
        if not self.employee_id_ok():
            return
        current = self.query_one(ScenarioList).current()
        if current is None:
            self.notify(self.t("start.no_scenarios"), severity="warning")
            return
        if ctx.assessment is not None and ctx.store() is not None:
            if ctx.assessment.attempts_left(ctx.store(), ctx.identity).get(current.id, 0) <= 0:
                self.notify(self.t("start.no_attempts"), severity="warning")
                return
        ctx.save()
        self.app.begin_scenario(current.id)

    def join_assessment(self, code: str) -> None:
        ctx = self.app.ctx
        if not code:
            return
        if not ctx.trainee:
            self.notify(self.t("start.need_name"), severity="warning")
            return
        store = ctx.store()
        if store is None:
            self.notify(self.t("history.no_store", error=ctx.store_error), severity="error", markup=False)
            return
        from roleplay.core.attempts.assessment import AssessmentError, join_session

        try:
            joined = join_session(store, code, ctx.identity)
        except AssessmentError as exc:  # unknown code, past deadline, no attempts left: said clearly
            self.notify(str(exc), severity="error", markup=False)
            return
        ctx.assessment = joined
        ctx.mode = "assessment"
        ctx.time_limit_s = joined.time_limit_s
        self.query_one("#mode", Select).value = "assessment"
        self.query_one("#mode", Select).disabled = True
        self.query_one(KeyBar).show(start_keys(True), ctx.lang)
        self.app.refresh_bindings()
        self.notify(self.t("start.session_joined", title=joined.title), markup=False)
        self.refill()

    def find_resume(self):
        """The trainee's latest unfinished attempt (a crash or a closed terminal) and its reply count, or None."""
        ctx = self.app.ctx
        if not ctx.trainee or not ctx.store_enabled:
            return None
        store = ctx.store()
        if store is None:
            return None
        unfinished = store.unfinished_attempts(ctx.identity)
        if not unfinished:
            return None
        return unfinished[0], len(store.replies(unfinished[0].id))

    def offer_resume(self, latest, turns: int) -> None:
        """Resume, or abandon after a second, explicit confirmation (the app does either through the Attempt)."""
        from roleplay.tui.screens.resume import ResumeScreen

        ctx = self.app.ctx
        title = next((s.title for s in ctx.scenarios() if s.id == latest.scenario_id), latest.scenario_id)

        def answer(resume: bool | None) -> None:
            if resume:
                self.app.resume_attempt(latest)
            elif resume is False:
                self.app.confirm_abandon(latest, title)

        self.app.push_screen(ResumeScreen(title, turns, latest.mode), answer)
