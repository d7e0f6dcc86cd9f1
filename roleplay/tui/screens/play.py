"""The role-play screen: conversation, reply line, mood, and (in practice) objectives, scores and hints."""

from __future__ import annotations

import time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from roleplay.core.matching.matcher import MAX_REPLY_CHARS
from roleplay.tui.i18n import colon, tr
from roleplay.tui.messages import SessionEnded, TurnPlayed
from roleplay.tui.text import filled, styled
from roleplay.tui.widgets.conversation import Conversation
from roleplay.tui.widgets.debug_panel import DebugPanel
from roleplay.tui.widgets.feedback_line import FeedbackLine
from roleplay.tui.widgets.key_bar import KeyBar
from roleplay.tui.widgets.mood_gauge import MoodGauge
from roleplay.tui.widgets.objective_list import ObjectiveList
from roleplay.tui.widgets.reply_input import ReplyInput
from roleplay.tui.widgets.side_panels import ActionPanel, BriefPanel, HintPanel

PRACTICE_KEYS = [("Enter", "key.send"), ("F1", "key.help"), ("F2", "key.hint"), ("F3", "key.debug"),
                 ("F4", "key.book"), ("Esc", "key.leave")]
ASSESSMENT_KEYS = [("Enter", "key.send"), ("F1", "key.help"), ("F3", "key.debug"), ("Esc", "key.leave")]
LEAVE_CONFIRM_S = 3.0  # a second Esc within this time ends the conversation


PHONE_SILENCE_S = 10  # assessment calls: this long without a reply is silence on the line

class PlayScreen(Screen):
    """Owns the Session of one attempt; records every turn in the store as it happens."""

    BINDINGS = [
        Binding("f2", "hint", "Hint", show=False),
        Binding("f3", "toggle_debug", "Debug", show=False),
        Binding("escape", "leave", "End", show=False),
    ]

    def __init__(self, scenario, prepared: list[str] | None = None, resume=None) -> None:
        super().__init__()
        self.scenario = scenario
        self.prepared = prepared
        self.resume = resume  # AttemptInfo of an unfinished attempt to rebuild
        self.session = None
        self.attempt_id: int | None = None
        self.show_hints = False
        self.show_debug = False
        self.asked_at = time.monotonic()
        self.leave_armed_at = 0.0
        self.finished = False

    # -- helpers -------------------------------------------------------------------------------
    @property
    def lang(self) -> str:
        return self.app.ctx.lang

    @property
    def practice(self) -> bool:
        return self.app.ctx.mode != "assessment"

    def t(self, key: str, **values) -> str:
        return tr(self.lang, key, **values)

    def category_name(self, category: str) -> str:
        book = self.session.matcher.phrasebook if self.session else self.app.ctx.phrasebook()
        cat = book.categories.get(category)
        return cat.name(self.lang) if cat else category

    # -- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        ctx = self.app.ctx
        mode = self.t("mode.practice" if self.practice else "mode.assessment")
        yield Static(styled(f"{self.scenario.title} · {mode} · {ctx.trainee}", "bold"), id="title-bar",
                     markup=False)
        with Horizontal(id="play-body"):
            with Vertical(id="play-main"):
                yield Conversation(self.scenario.language, id="conversation")
                yield FeedbackLine(id="feedback")
                yield ReplyInput([a.id for a in self.scenario.actions], placeholder=self.t("play.placeholder"),
                                 id="reply")
            with VerticalScroll(id="play-side"):
                yield MoodGauge(self.t("play.mood"), self.scenario.persona.mood, id="mood")
                yield Static(markup=False, id="timer")
                yield DebugPanel(id="debug", classes="hidden" if not self.show_debug else "")
                if self.practice:
                    yield HintPanel(id="hints", classes="hidden" if not self.show_hints else "")
                    yield ObjectiveList(self.t("play.objectives"), id="objectives")
                yield ActionPanel(self.t("play.actions"), self.scenario.actions, id="actions")
                yield BriefPanel(self.t("play.brief"), filled(self.scenario, self.scenario.brief, ctx.trainee), id="brief")
        yield KeyBar(PRACTICE_KEYS if self.practice else ASSESSMENT_KEYS, self.lang, id="keys")

    def on_mount(self) -> None:
        if self.session is None:
            self.session = self.start_session()
        self.render_all()
        self.query_one(ReplyInput).focus()
        if self.silence_limit():
            self.set_interval(1.0, self.tick)

    async def relabel(self) -> None:
        await self.recompose()
        self.render_all()

    def start_session(self):
        from roleplay.core.conversation.engine import Session

        ctx = self.app.ctx
        book = ctx.phrasebook()
        if self.resume is not None:
            info = self.resume
            self.attempt_id = info.id
            replies = ctx.store().replies(info.id)
            return Session.replay(self.scenario, book, info.seed, info.trainee, info.mode, replies, info.prepared)
        session = Session(self.scenario, book, seed=ctx.seed, trainee=ctx.trainee, mode=ctx.mode)
        if self.prepared is not None:
            session.prepare(self.prepared)
        store = ctx.store()
        if store is not None:
            code = getattr(ctx.assessment, "code", None)
            self.attempt_id = store.start_attempt(ctx.trainee, self.scenario.id, ctx.seed, ctx.mode,
                                                  session_code=code, prepared=self.prepared)
        return session

    def render_all(self) -> None:
        """Rebuild every widget from the session (first show, resume, language switch)."""
        log = self.query_one(Conversation)
        log.reset()
        log.client(self.scenario.persona.name, self.session.opening)
        for turn in self.session.turns:
            self.write_turn(turn)
        last = self.session.turns[-1] if self.session.turns else None
        self.query_one(FeedbackLine).show(last, self.lang, self.category_name, self.practice)
        self.refresh_side()
        if self.session.ended:
            self.end_note()

    def write_turn(self, turn) -> None:
        log = self.query_one(Conversation)
        reply = turn.reply
        if turn.action:
            action = self.scenario.action(turn.action)
            words = reply.strip().partition(" ")[2].strip()  # what was said along with the action
            reply = (f"/{turn.action}（{action.label}）" if action else f"/{turn.action}") + words
        log.trainee(self.app.ctx.trainee or self.t("play.you"), reply if reply.strip() else self.t("play.silence"))
        if turn.client:
            log.client(self.scenario.persona.name, turn.client)

    def refresh_side(self) -> None:
        self.query_one(MoodGauge).mood = self.session.mood
        if self.practice:
            self.query_one(ObjectiveList).show(self.session.objectives())
            if self.show_hints:
                self.query_one(HintPanel).show(self.t("play.hints"), self.hints(), self.category_name,
                                               self.t("play.no_hints"), colon(self.lang))
        if self.show_debug:
            self.query_one(DebugPanel).show(self.session.debug(), self.lang)

    def hints(self) -> list[tuple[str, str]]:
        """The engine's phrase hints, plus the /actions the current state's rules wait for (a state that
        expects `/card` has no phrase to suggest, but the trainee still needs the nudge)."""
        found = list(self.session.hints())
        if self.session.ended:
            return found
        for rule in self.session.current.rules:
            action = self.scenario.action(rule.when.action) if rule.when.action else None
            if action and ("/" + action.id, action.label) not in found:
                found.append(("/" + action.id, action.label))
        return found

    def end_note(self) -> None:
        self.query_one(Conversation).note(self.t("play.ended"), "bold")

    # -- replies -------------------------------------------------------------------------------
    @on(Input.Submitted, "#reply")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.session.ended:
            self.post_message(SessionEnded())
            return
        self.send(event.value)

    def send(self, text: str) -> None:
        reply_input = self.query_one(ReplyInput)
        reply_input.value = ""
        if len(text) > MAX_REPLY_CHARS:
            self.notify(self.t("play.reply_cut", count=MAX_REPLY_CHARS), severity="warning")
            text = text[:MAX_REPLY_CHARS]
        elapsed_ms = (time.monotonic() - self.asked_at) * 1000.0
        turn = self.session.reply(text)
        turn.elapsed_ms = round(elapsed_ms, 1)
        self.asked_at = time.monotonic()
        self.record(turn)
        self.post_message(TurnPlayed(turn))

    def record(self, turn) -> None:
        store = self.app.ctx.store()
        if store is None or self.attempt_id is None:
            return
        try:
            store.record_turn(self.attempt_id, turn)
        except Exception as exc:  # noqa: BLE001 - a full disk must not end the role-play; the trainee is told
            self.notify(self.t("play.store_error", error=str(exc)), severity="error", markup=False)

    def on_turn_played(self, message: TurnPlayed) -> None:
        self.write_turn(message.turn)
        self.query_one(FeedbackLine).show(message.turn, self.lang, self.category_name, self.practice)
        self.refresh_side()
        if message.turn.ended:
            self.end_note()
            self.finish()

    def on_session_ended(self, message: SessionEnded) -> None:
        self.app.show_result(self.finish(), self.attempt_id)

    def final_sheet(self):
        """The sheet as scored by the engine; a joined assessment applies its own pass mark."""
        sheet = self.session.score_sheet()
        if self.app.ctx.assessment is not None:
            sheet = self.app.ctx.assessment.apply_pass_mark(sheet)
        return sheet

    def finish(self):
        """Store the final sheet once (the attempt becomes immutable); returns the sheet."""
        sheet = self.final_sheet()
        if self.finished:
            return sheet
        self.finished = True
        store = self.app.ctx.store()
        if store is not None and self.attempt_id is not None:
            try:
                store.finish_attempt(self.attempt_id, sheet)
            except Exception as exc:  # noqa: BLE001 - shown to the trainee; the sheet can still be exported
                self.notify(self.t("play.store_error", error=str(exc)), severity="error", markup=False)
        return sheet

    # -- timer (assessment) --------------------------------------------------------------------
    def silence_limit(self) -> float | None:
        """Seconds before an unanswered line counts as silence (assessments only): the time limit, or on a call
        the phone practice's pause, after which the engine's client asks 能听到吗 (three times, then hangs up)."""
        if self.practice:
            return None
        if self.app.ctx.time_limit_s:
            return self.app.ctx.time_limit_s
        return PHONE_SILENCE_S if self.scenario.kind == "call" else None

    def tick(self) -> None:
        if self.session is None or self.session.ended:
            self.query_one("#timer", Static).update("")
            return
        limit = self.silence_limit() or 0
        left = int(limit - (time.monotonic() - self.asked_at))
        timer = self.query_one("#timer", Static)
        if not self.app.ctx.time_limit_s:  # phone silence: no countdown, and typing is not silence
            if left <= 0 and not self.query_one(ReplyInput).value.strip():
                self.send("")
            elif left <= 0:
                self.asked_at = time.monotonic()
            return
        if left > 0:
            timer.update(styled(self.t("play.time_left", seconds=left), "bold yellow" if left > 10 else "bold red"))
            return
        self.notify(self.t("play.time_up"), severity="warning")
        self.send("")

    # -- keys ----------------------------------------------------------------------------------
    def action_hint(self) -> None:
        if not self.practice:
            self.notify(self.t("play.not_in_assessment"), severity="warning")
            return
        self.show_hints = not self.show_hints
        self.query_one(HintPanel).set_class(not self.show_hints, "hidden")
        self.refresh_side()
        if self.show_hints:
            self.query_one("#play-side", VerticalScroll).scroll_home(animate=False)

    def action_toggle_debug(self) -> None:
        self.show_debug = not self.show_debug
        self.query_one(DebugPanel).set_class(not self.show_debug, "hidden")
        self.refresh_side()

    def action_leave(self) -> None:
        now = time.monotonic()
        if self.session.ended or now - self.leave_armed_at < LEAVE_CONFIRM_S:
            self.post_message(SessionEnded())
            return
        self.leave_armed_at = now
        self.notify(self.t("play.leave_confirm"))

