"""The shape of a language profile: what the trainer knows about one language (filled in lang/zh.py, lang/en.py)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LanguageProfile:
    """Language knowledge used by matching, the engine and what a trainee reads."""

    code: str
    words: bool  # units are words (en) rather than characters (zh)
    question_particles: str = ""  # a clause ending in one asks, even without a question mark (吗, 呢)
    # polite templates read the first as the second: register, not meaning (你 -> 您); taboo ones keep it
    polite_register: tuple[tuple[str, str], ...] = ()
    # a literal starting with the key does not count right after one of these characters (请 in 申请)
    literal_guards: dict[str, str] = field(default_factory=dict)
    fillers: frozenset[str] = frozenset()  # words that change no meaning: dropped before comparing
    contractions: dict[str, str] = field(default_factory=dict)  # written short form -> the words
    negation_window: int = 4  # how many units before a phrase a negation cue may end
    line_joiner: str = " "  # between two lines a client says in one turn
    list_separator: str = ", "  # between items of a list in running text
    label_separator: str = ": "  # after a speaker's name or a label
    turn_label: str = "turn {n}"  # how a score sheet names a turn
    tag: str = ""  # BCP 47 language tag of pages written in it (html lang=...)

    def polite(self, text: str) -> str:
        """Text as polite templates read it."""
        for plain, polite in self.polite_register:
            text = text.replace(plain, polite)
        return text

    def asks(self, key: str) -> bool:
        """True when a clause's units end in a question particle."""
        return bool(key) and bool(self.question_particles) and key[-1] in self.question_particles

