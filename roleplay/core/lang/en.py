"""English: compared word by word; what the trainer knows about the language."""

from __future__ import annotations

from roleplay.core.lang.base import LanguageProfile

# Contractions expanded so "I'm sorry" and "I am sorry" are the same words.
CONTRACTIONS = {
    "i'm": "i am", "im": "i am", "you're": "you are", "youre": "you are", "we're": "we are",
    "they're": "they are", "it's": "it is", "that's": "that is", "thats": "that is",
    "what's": "what is", "there's": "there is", "here's": "here is", "let's": "let us",
    "i'll": "i will", "we'll": "we will", "you'll": "you will", "it'll": "it will", "that'll": "that will",
    "they'll": "they will", "he'll": "he will", "she'll": "she will", "there'll": "there will",
    "i've": "i have", "we've": "we have", "you've": "you have", "i'd": "i would", "we'd": "we would",
    "you'd": "you would", "don't": "do not", "dont": "do not", "doesn't": "does not",
    "didn't": "did not", "can't": "can not", "cant": "can not", "cannot": "can not",
    "won't": "will not", "isn't": "is not", "aren't": "are not", "wasn't": "was not",
    "shouldn't": "should not", "wouldn't": "would not", "couldn't": "could not",
    "haven't": "have not", "hasn't": "has not", "how's": "how is", "who's": "who is",
    "name's": "name is", "where's": "where is", "he's": "he is", "she's": "she is",
}

# Words that change no meaning a category depends on: dropped from phrases and replies alike.
FILLERS = frozenset(
    "so very really truly just quite terribly awfully extremely deeply sincerely um uh umm oh ah er "
    "erm hmm actually honestly genuinely totally".split()
)

PROFILE = LanguageProfile(
    code="en",
    words=True,
    fillers=FILLERS,
    contractions=CONTRACTIONS,
    negation_window=4,  # words
    line_joiner=" ",
    list_separator=", ",
    label_separator=": ",
    turn_label="turn {n}",
    tag="en",
)
