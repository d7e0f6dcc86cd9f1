"""What a language is to the trainer: one LanguageProfile per language (lang/zh.py, lang/en.py).

Code that needs language knowledge (how text splits into units, which particles ask a question,
how lines are joined, how a turn is named on a sheet) asks the profile instead of testing
`lang == "zh"`; adding a language means adding a profile, not hunting for comparisons.
"""

from __future__ import annotations

from roleplay.core.lang import en, zh
from roleplay.core.lang.base import LanguageProfile

__all__ = ["LanguageProfile", "profile"]


def profile(lang: str) -> LanguageProfile:
    """The profile of a language code; unknown codes get Chinese, the trainer's default language."""
    return en.PROFILE if lang == "en" else zh.PROFILE
