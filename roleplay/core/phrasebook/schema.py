"""Pydantic models of one phrasebook YAML file as a coach writes it (validated, located errors).

Kept apart from roleplay.core.phrasebook.book so that loading a cached phrasebook never imports pydantic.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

Language = Literal["zh", "en"]
CueKind = Literal["neutral", "negation", "not_negation", "imperative", "fact_check", "known", "refusal", "offer", "terms",
                  "party", "bystander", "softener",
                  "deference"]
CategoryId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
PhraseText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
TemplateText = Annotated[str, StringConstraints(min_length=1, max_length=500)]  # alternatives make them long
SlotId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,29}$")]
KindId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,29}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class LocalizedText(_Strict):
    zh: str | None = None
    en: str | None = None


class CategorySpec(_Strict):
    name: LocalizedText | str | None = None
    description: LocalizedText | str = ""
    negative: bool | None = None
    # dropped when the same reply is taboo: polite words used to mock or brush off (谢谢你浪费我的时间)
    yields_to_taboo: bool | None = None
    # dropped when one of these categories is recognised in the same clause (祝您新年快乐: closing, not greeting)
    yields_to: list[CategoryId] | None = None
    # the same, anywhere in the reply (an open "您看行吗" after a proposed time is part of the appointment)
    yields_to_in_reply: list[CategoryId] | None = None
    threshold: float | dict[Language, float] | None = None
    # kinds of this category shown with its name (忌语·推诿 / taboo · brush-off): kind id -> display name
    kinds: dict[KindId, LocalizedText] | None = None
    # a negative category that is no rudeness: polite clauses of the same reply keep their labels
    keeps_polite: bool | None = None
    # a shared scenario move: recognised only in scenarios that use it (by id, or `moves:` of a local category)
    move: bool | None = None

    @field_validator("threshold")
    @classmethod
    def _threshold_range(cls, value: float | dict[Language, float] | None) -> float | dict[Language, float] | None:
        values = value.values() if isinstance(value, dict) else [value] if value is not None else []
        for v in values:
            if not 0 <= v <= 100:
                raise ValueError("threshold must be between 0 and 100")
        return value


class KindFamily(_Strict):
    """Phrases and templates of one kind of a category (the matched phrase tells the kind)."""

    phrases: list[PhraseText] = Field(default_factory=list)
    templates: list[TemplateText] = Field(default_factory=list)


class PhrasebookFile(_Strict):
    """One phrasebook YAML file as written by a coach."""

    language: Language | None = None
    categories: dict[CategoryId, CategorySpec] = Field(default_factory=dict)
    phrases: dict[CategoryId, list[PhraseText]] = Field(default_factory=dict)
    templates: dict[CategoryId, list[TemplateText]] = Field(default_factory=dict)
    slots: dict[SlotId, list[PhraseText]] = Field(default_factory=dict)
    # category -> kind -> phrases/templates: like `phrases`/`templates`, and a match names its kind
    kinds: dict[CategoryId, dict[KindId, KindFamily]] = Field(default_factory=dict)
    cues: dict[CueKind, list[PhraseText]] = Field(default_factory=dict)
    aliases: dict[Annotated[str, StringConstraints(pattern=r"^[a-z0-9']{1,20}$")], PhraseText] = Field(
        default_factory=dict)
