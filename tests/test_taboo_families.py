"""Taboo phrase families: fresh rude replies are caught, tricky polite ones never flagged."""

# Every probe line was written for this test (none is copied from the labelled sets) and labelled
# per docs/labeling-guide.md. The rude lines cover the rude moves the families describe: brush-offs,
# blaming the client, contempt, impatience, speaking ill of the client, threats, sarcasm made of
# polite words, talking back. The polite lines are the near misses that must stay clean: firm
# refusals citing rules, apologies, calming words, complaints acknowledged, and polite sentences
# that share words with a rude family (你自己…, 再…我们就…, "make it quick", "not mine").

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.core.content.yamlsafe import load_yaml

BOOK = Path(__file__).resolve().parent.parent / "phrasebook"
# the lines themselves live in tests/data/taboo_probes.yaml
PROBES = load_yaml(Path(__file__).resolve().parent / "data" / "taboo_probes.yaml").data
ZH_RUDE, EN_RUDE = PROBES["rude"]["zh"], PROBES["rude"]["en"]
ZH_POLITE, EN_POLITE = PROBES["polite"]["zh"], PROBES["polite"]["en"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_rude_probe_is_caught(matcher_zh, matcher_en, lang):
    """Recall on the rude probes, per language: every line is taboo; the misses are listed when one is not."""
    matcher = matcher_zh if lang == "zh" else matcher_en
    rude = ZH_RUDE if lang == "zh" else EN_RUDE
    missed = [text for text in rude if "taboo" not in matcher.match(text).labels]
    assert not missed, f"{len(missed)}/{len(rude)} rude {lang} probes not flagged taboo:\n" + "\n".join(missed)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_polite_probe_is_called_rude(matcher_zh, matcher_en, lang):
    """False alarms on the polite near misses, per language: none is taboo; any that is gets listed."""
    matcher = matcher_zh if lang == "zh" else matcher_en
    polite = ZH_POLITE if lang == "zh" else EN_POLITE
    flagged = [text for text in polite if "taboo" in matcher.match(text).labels]
    assert not flagged, f"{len(flagged)}/{len(polite)} polite {lang} probes called rude:\n" + "\n".join(flagged)


@pytest.mark.parametrize("lang, text", [
    ("zh", "谢谢你啊，让我白忙活了一上午"),
    ("en", "Thank you so much for the lecture."),
    ("en", "Sorry you can't read."),
])
def test_sarcastic_courtesy_earns_nothing(matcher_zh, matcher_en, lang, text):
    # the polite word is there, but the reply mocks: only taboo remains
    matcher = matcher_zh if lang == "zh" else matcher_en
    assert matcher.match(text).labels == ["taboo"]


@pytest.mark.parametrize("text, polite", [
    ("我理解您的心情，您先别着急", "empathy"),
    ("非常抱歉，按照规定，这项业务需要本人亲自办理", "apology"),
])
def test_zh_polite_reply_keeps_its_label(matcher_zh, text, polite):
    assert matcher_zh.match(text).labels == [polite]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_family_files_only_add_taboo(lang):
    # these files are the taboo families and nothing else: a polite phrase here would be penalised
    doc = load_yaml(BOOK / lang / "taboo_families.yaml").data
    assert doc["language"] == lang
    assert set(doc) <= {"language", "phrases", "templates"}
    assert set(doc.get("phrases", {})) <= {"taboo"}
    assert set(doc["templates"]) == {"taboo"}
