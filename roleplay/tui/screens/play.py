"""The role-play screen: conversation, reply line, mood, and (in practice) objectives, scores and hints.

It holds one core Attempt and renders what it returns; starting, timing, storing and finishing live there."""

from __future__ import annotations

import time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from roleplay.core.attempts.attempt import Attempt
from roleplay.core.matching.matcher import MAX_REPLY_CHARS
from roleplay.core.store.connect import StoreError
from roleplay.core.store.leases import LeaseLost
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
ASSESSMENT_KEYS = [("Enter", "key.send"), ("F1", "key.help"), ("Esc", "key.leave")]  # no help surfaces
LEAVE_CONFIRM_S = 3.0  # a second Esc within this time ends the conversation


PHONE_SILENCE_S = 10  # assessment calls: this long without a reply is silence on the line

class PlayScreen(Screen):
    """Shows one Attempt: the talk, the reply line, the mood, and in practice the objectives, hints and debug view."""

    BINDINGS = [
        Binding("f2", "hint", "Hint", show=False),
        Binding("f3", "toggle_debug", "Debug", show=False),
        Binding("escape", "leave", "End", show=False),
    ]

    def __init__(self, attempt: Attempt) -> None:
        super().__init__()
        self.attempt = attempt
        self.scenario = attempt.scenario
        self.show_hints = False
        self.show_debug = False
        self.leave_armed_at = 0.0

    # -- helpers -------------------------------------------------------------------------------
    @property
    def session(self):
        return self.attempt.session

    @property
    def attempt_id(self) -> int | None:
        return self.attempt.attempt_id

    @property
    def lang(self) -> str:
        return self.app.ctx.lang

    @property
    def practice(self) -> bool:
        return self.attempt.coaching

    def t(self, key: str, **values) -> str:
        return tr(self.lang, key, **values)

    def category_name(self, category: str, kind: str | None = None) -> str:
        """忌语·推诿 for a taboo match of a known kind, else the category's name."""
        return self.session.matcher.phrasebook.label(category, kind, self.lang)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In an assessment the hint and debug keys do nothing and are offered nowhere."""
        if action in ("hint", "toggle_debug") and not self.practice:
            return False
        return True

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
                if self.practice:
                    yield DebugPanel(id="debug", classes="hidden" if not self.show_debug else "")
                    yield HintPanel(id="hints", classes="hidden" if not self.show_hints else "")
                    yield ObjectiveList(self.t("play.objectives"), id="objectives")
                yield ActionPanel(self.t("play.actions"), self.scenario.actions, id="actions")
                yield BriefPanel(self.t("play.brief"), filled(self.scenario, self.scenario.brief, ctx.trainee), id="brief")
        yield KeyBar(PRACTICE_KEYS if self.practice else ASSESSMENT_KEYS, self.lang, id="keys")

    def on_mount(self) -> None:
        self.render_all()
        self.query_one(ReplyInput).focus()
        self.attempt.keep_alive()
        if self.attempt.diverged:
            self.notify(self.t("play.diverged"), severity="warning", timeout=15)
        self.asked_at = time.monotonic()  # when the client's last line was shown (phone silence counts from here)
        if self.attempt.time_limit_s or self.phone_silence():
            self.tick()
            self.set_interval(1.0, self.tick)

    def on_unmount(self) -> None:
        self.attempt.close()  # unfinished (window closed): resumable later without a take-over

    async def relabel(self) -> None:
        await self.recompose()
        self.render_all()

    def render_all(self) -> None:
        """Rebuild every widget from the attempt (first show, resume, language switch)."""
        log = self.query_one(Conversation)
        log.reset()
        log.client(self.scenario.persona.name, self.session.opening)
        for turn in self.attempt.turns:
            self.write_turn(turn)
        last = self.attempt.turns[-1] if self.attempt.turns else None
        self.query_one(FeedbackLine).show(last, self.lang, self.category_name, self.practice)
        self.refresh_side()
        if self.attempt.ended:
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
        if not self.practice:
            return
        self.query_one(ObjectiveList).show(self.session.objectives())
        if self.show_hints:
            self.query_one(HintPanel).show(self.t("play.hints"), self.hints(), self.category_name,
                                           self.t("play.no_hints"), colon(self.lang))
        if self.show_debug:
            self.query_one(DebugPanel).show(self.attempt.debug() or {}, self.lang)

    def hints(self) -> list[tuple[str, str]]:
        """The attempt's phrase hints, plus the /actions the current state's rules wait for (a state that
        expects `/card` has no phrase to suggest, but the trainee still needs the nudge)."""
        found = list(self.attempt.hints())
        if self.attempt.ended or not self.practice:
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
        if self.attempt.ended:
            self.post_message(SessionEnded())
            return
        self.send(event.value)

    def send(self, text: str) -> None:
        reply_input = self.query_one(ReplyInput)
        reply_input.value = ""
        if len(text) > MAX_REPLY_CHARS:
            self.notify(self.t("play.reply_cut", count=MAX_REPLY_CHARS), severity="warning")
            text = text[:MAX_REPLY_CHARS]
        try:
            turn = self.attempt.reply(text)
        except LeaseLost:
            self.notify(self.t("play.lease_lost"), severity="error", timeout=15)
            turn = self.attempt.turns[-1]
        except StoreError as exc:  # a full disk must not end the role-play; the trainee is told
            self.notify(self.t("play.store_error", error=str(exc)), severity="error", markup=False)
            turn = self.attempt.turns[-1]
        if turn.over_time:
            self.notify(self.t("play.time_up"), severity="warning")
        self.asked_at = time.monotonic()
        self.post_message(TurnPlayed(turn))

    def on_turn_played(self, message: TurnPlayed) -> None:
        self.write_turn(message.turn)
        self.query_one(FeedbackLine).show(message.turn, self.lang, self.category_name, self.practice)
        self.refresh_side()
        if message.turn.ended:
            self.end_note()
            self.finish()

    def on_session_ended(self, message: SessionEnded) -> None:
        self.app.show_result(self.finish(), self.attempt_id)

    def finish(self):
        """Store the final sheet once (the attempt becomes immutable); returns the sheet."""
        try:
            return self.attempt.finish()
        except StoreError as exc:  # shown to the trainee; the sheet can still be exported
            self.notify(self.t("play.store_error", error=str(exc)), severity="error", markup=False)
            return self.attempt.sheet or self.attempt.current_sheet()

    # -- timer (a session's or --time-limit's per-reply limit) ---------------------------------
    def phone_silence(self) -> bool:
        """On a call in an assessment without a reply time limit, silence is a timer (the 10086 practice): after
        PHONE_SILENCE_S with nothing typed the client asks whether it can be heard, three times, then hangs up."""
        return not self.practice and not self.attempt.time_limit_s and self.scenario.kind == "call"

    def tick(self) -> None:
        timer = self.query_one("#timer", Static)
        if self.attempt.ended:
            timer.update("")
            return
        if self.phone_silence():
            if time.monotonic() - self.asked_at < PHONE_SILENCE_S:
                return
            if self.query_one(ReplyInput).value.strip():  # typing is not silence
                self.asked_at = time.monotonic()
                return
            self.send("")  # the engine's client asks 能听到吗 / can you hear me
            return
        left = self.attempt.seconds_left()
        if left is None:
            timer.update("")
            return
        if left > 0:
            seconds = int(left + 0.999)
            timer.update(styled(self.t("play.time_left", seconds=seconds),
                                "bold yellow" if seconds > 10 else "bold red"))
            return
        self.send("")  # the limit passed: the attempt records the turn as over time (silence)

    # -- keys ----------------------------------------------------------------------------------
    def action_hint(self) -> None:
        if not self.practice:
            return
        self.show_hints = not self.show_hints
        self.query_one(HintPanel).set_class(not self.show_hints, "hidden")
        self.refresh_side()
        if self.show_hints:
            self.query_one("#play-side", VerticalScroll).scroll_home(animate=False)

    def action_toggle_debug(self) -> None:
        if not self.practice:
            return
        self.show_debug = not self.show_debug
        self.query_one(DebugPanel).set_class(not self.show_debug, "hidden")
        self.refresh_side()

    def action_leave(self) -> None:
        now = time.monotonic()
        if self.attempt.ended or now - self.leave_armed_at < LEAVE_CONFIRM_S:
            self.post_message(SessionEnded())
            return
        self.leave_armed_at = now
        self.notify(self.t("play.leave_confirm"))
