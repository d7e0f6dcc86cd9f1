"""Learning records: each finished attempt as xAPI statements, built and validated with ralph's pydantic models.

One attempt gives: initialized; one `responded` per turn (the reply, the categories recognised); passed or
failed (score scaled/raw/min/max, success, completion, duration); terminated. Every statement carries the
attempt as its context registration, the scenario as its object, and the content version as an extension.
Statement ids are derived from the attempt, so exporting or posting twice gives the same statements.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from roleplay.core.attempts.identity import parse_identity
from roleplay.core.conversation.results import ScoreSheet
from roleplay.core.store.store import AttemptInfo, Store

ADL = "http://adlnet.gov/expapi/verbs/"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
# Our own extension IRIs and identifiers live under one base a training department can change (--xapi-base).
DEFAULT_BASE = "http://roleplay.local/xapi"
NAMESPACE = uuid.UUID("6f1c2a9e-58a4-4f0e-9a57-3c1f6f0e2b71")  # fixed: the same attempt, the same ids
LANG_TAGS = {"zh": "zh-CN", "en": "en-US"}


class XapiUnavailable(RuntimeError):
    """ralph-malph (the xAPI models) is not installed."""


@dataclass(frozen=True)
class XapiOptions:
    """Where our IRIs point: the activity/extension base and the homePage of the staff-id accounts."""

    base: str = DEFAULT_BASE
    account_home: str = "http://roleplay.local/staff"

    def ext(self, name: str) -> str:
        return f"{self.base}/extensions/{name}"


def category_names(lang: str) -> dict[str, str]:
    """Category id -> its name in `lang`, from the phrasebook (empty when it cannot be read: ids are kept)."""
    from roleplay.core.content.problems import ContentError
    from roleplay.core.phrasebook.book import load_phrasebook

    try:
        book = load_phrasebook()
    except ContentError:
        return {}
    return {cid: cat.name(lang) for cid, cat in book.categories.items()}


def registration_id(info: AttemptInfo) -> uuid.UUID:
    """The attempt's registration UUID (xAPI wants a UUID; the store's id is a number, kept as an extension)."""
    return uuid.uuid5(NAMESPACE, f"attempt|{info.id}|{info.started_at}|{info.trainee}")


def _models() -> SimpleNamespace:
    """ralph's xAPI models, imported on first use (an optional dependency, ~0.3 s to import)."""
    try:
        from ralph.models.xapi.base.agents import BaseXapiAgentWithAccount
        from ralph.models.xapi.base.contexts import BaseXapiContext, BaseXapiContextContextActivities
        from ralph.models.xapi.base.results import BaseXapiResult, BaseXapiResultScore
        from ralph.models.xapi.base.statements import BaseXapiStatement
        from ralph.models.xapi.base.unnested_objects import BaseXapiActivity, BaseXapiActivityDefinition
        from ralph.models.xapi.base.verbs import BaseXapiVerb
        from ralph.models.xapi.concepts.verbs.scorm_profile import InitializedVerb, TerminatedVerb
    except ImportError as exc:
        raise XapiUnavailable("xAPI export needs ralph-malph: pip install 'roleplay[xapi]'") from exc
    return SimpleNamespace(
        Agent=BaseXapiAgentWithAccount, Context=BaseXapiContext, ContextActivities=BaseXapiContextContextActivities,
        Result=BaseXapiResult, Score=BaseXapiResultScore, Statement=BaseXapiStatement, Activity=BaseXapiActivity,
        ActivityDefinition=BaseXapiActivityDefinition, Verb=BaseXapiVerb, Initialized=InitializedVerb,
        Terminated=TerminatedVerb)


def turn_times(store: Store, attempt_id: int) -> dict[int, str]:
    """When each turn was written to the store (turn number -> ISO time), for the `responded` timestamps."""
    from sqlalchemy import select

    from roleplay.core.store.tables import turns

    query = select(turns.c.turn, turns.c.recorded_at).where(turns.c.attempt_id == attempt_id)
    with store.engine.connect() as conn:
        return {int(n): str(at) for n, at in conn.execute(query)}


def attempt_statements(info: AttemptInfo, sheet: ScoreSheet, options: XapiOptions = XapiOptions(),
                       category_names: dict[str, str] | None = None,
                       times: dict[int, str] | None = None) -> list[dict[str, Any]]:
    """The statements of one finished attempt, validated against the xAPI 1.0.3 models, as JSON-ready dicts."""
    m = _models()
    identity = parse_identity(info.trainee)
    actor = m.Agent(
        objectType="Agent", name=identity.name or info.trainee,
        account={"homePage": options.account_home, "name": identity.employee_id or info.trainee})
    lang = LANG_TAGS.get(sheet.language, "zh-CN")
    activity = m.Activity(
        objectType="Activity", id=f"{options.base}/scenarios/{sheet.scenario}",
        definition=m.ActivityDefinition(name={lang: sheet.title}, type=SIMULATION))
    registration = registration_id(info)
    context_ext: dict[str, Any] = {options.ext("attempt-id"): info.id, options.ext("mode"): sheet.mode}
    if sheet.content_version:
        context_ext[options.ext("content-version")] = sheet.content_version
    grouping = None
    if info.session_code:
        context_ext[options.ext("session-code")] = info.session_code
        grouping = m.ContextActivities(grouping=[m.Activity(
            objectType="Activity", id=f"{options.base}/sessions/{info.session_code}")])
    context_fields = {"registration": registration, "platform": "roleplay", "language": lang,
                      "contextActivities": grouping, "extensions": context_ext}
    context = m.Context(**{k: v for k, v in context_fields.items() if v is not None})
    names = category_names or {}

    def statement(n: int, verb: object, when: str | None, result: object = None) -> dict[str, Any]:
        fields = {"id": uuid.uuid5(registration, f"statement|{n}"), "actor": actor, "verb": verb,
                  "object": activity, "result": result, "context": context, "timestamp": _when(when),
                  "version": "1.0.0"}
        # the model refuses empty values outright, so absent parts are left out rather than None
        model = m.Statement(**{k: v for k, v in fields.items() if v is not None})
        data: dict[str, Any] = model.model_dump(mode="json", exclude_none=True, warnings=False)  # ralph types verb displays as Literal keys
        score = data.get("result", {}).get("score")
        if score:  # pydantic writes Decimal as a JSON string; xAPI scores are JSON numbers
            data["result"]["score"] = {k: _number(v) for k, v in score.items()}
        return data

    out = [statement(0, m.Initialized(display={"en-US": "initialized"}), sheet.started_at)]
    responded = m.Verb(id=f"{ADL}responded", display={"en-US": "responded"})
    for turn in sheet.turns:
        extensions = {options.ext("turn"): turn.turn, options.ext("categories"): list(turn.labels),
                      options.ext("category-names"): [names.get(c, c) for c in turn.labels],
                      options.ext("taboo"): bool(turn.taboo) or "taboo" in turn.labels}
        result = m.Result(response=turn.reply or "(silence)", extensions=extensions)
        when = (times or {}).get(turn.turn) or sheet.finished_at or sheet.started_at
        out.append(statement(turn.turn, responded, when, result))
    verdict = "passed" if sheet.passed else "failed"
    scaled = max(-1.0, min(1.0, sheet.total / sheet.max)) if sheet.max else 0.0
    score = m.Score(scaled=round(scaled, 4), raw=sheet.total, min=min(0.0, sheet.total),
                                     max=sheet.max)
    verdict_fields = {"score": score, "success": bool(sheet.passed), "completion": bool(sheet.ended),
                      "duration": _duration(sheet.started_at, sheet.finished_at)}
    result = m.Result(**{k: v for k, v in verdict_fields.items() if v is not None})
    end = len(sheet.turns) + 1
    out.append(statement(end, m.Verb(id=f"{ADL}{verdict}", display={"en-US": verdict}),
                         sheet.finished_at, result))
    out.append(statement(end + 1, m.Terminated(display={"en-US": "terminated"}), sheet.finished_at))
    return out


def _number(value: Any) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def _when(iso: str | None) -> datetime | None:
    return datetime.fromisoformat(iso) if iso else None


def _duration(start: str | None, end: str | None) -> timedelta | None:
    if not start or not end:
        return None
    return max(timedelta(0), datetime.fromisoformat(end) - datetime.fromisoformat(start))
