"""Bank half of the scenario library: what the library-wide checks (tests/test_scenario_shipped.py) do not cover.

- the library covers the bank situations the issue asks for, in both languages;
- the hard variants need one more step than their easy twin, and the easy model answer does not win them;
- the knowledge scenario (展期) tells right rules from wrong ones, and the intake scenarios recognise
  every required document by name.
"""

from __future__ import annotations

import pytest

from roleplay.core.conversation.engine import Session
from roleplay.core.scenario.library import discover_scenarios
from roleplay.core.settings import scenarios_dir

PAIRS = ["zh_bank_lobby_complaint", "zh_bank_interest_reminder"]
BANK = [s for s in discover_scenarios([scenarios_dir()]) if s.id.startswith(("zh_bank_", "en_bank_"))]
BY_ID = {s.id: s for s in BANK}


def test_library_covers_the_bank_situations():
    langs = [s.language for s in BANK]
    assert langs.count("zh") >= 6 and langs.count("en") >= 3
    zh = {s.id for s in BANK if s.language == "zh"}
    for needed in ("zh_bank_loan_intake", "zh_bank_loan_extension", "zh_bank_post_loan_check",
                   "zh_bank_preloan_first_visit", "zh_bank_lobby_complaint_easy", "zh_bank_lobby_complaint_hard"):
        assert needed in zh
    assert {"en_bank_loan_intake", "en_bank_interest_reminder", "en_bank_lobby_complaint"} <= set(BY_ID)
    assert BY_ID["zh_bank_loan_extension"].kind == "knowledge"
    assert {s.kind for s in BANK} >= {"visit", "call", "complaint", "knowledge"}


@pytest.mark.parametrize("stem", PAIRS)
def test_hard_client_needs_one_more_step(stem):
    assert len(BY_ID[f"{stem}_hard"].states) > len(BY_ID[f"{stem}_easy"].states), "a second push-back"


def test_easy_model_answer_is_not_enough_for_the_hard_client(phrasebook):
    """The hard variants ask for more: the easy variant's model answer does not succeed there."""
    for stem in PAIRS:
        easy, hard = BY_ID[f"{stem}_easy"], BY_ID[f"{stem}_hard"]
        session = Session.replay(hard, phrasebook, 0, None, "practice", easy.tests[0].replies)
        assert session.outcome != "success", f"{stem}: the easy model answer also wins the hard variant"


@pytest.mark.parametrize(("reply", "present", "absent"), [
    ("短期贷款要在到期前10天提交展期申请书。", {"short_deadline"}, {"wrong_deadline"}),
    ("短期贷款最晚到期前十天申请。", {"short_deadline"}, {"wrong_deadline"}),
    ("您这笔贷款要提前二十天申请。", {"wrong_deadline"}, {"short_deadline"}),
    ("到期当天来办就行。", {"wrong_deadline"}, {"short_deadline"}),
    ("中长期贷款要在到期前20天申请。", {"long_deadline"}, {"wrong_deadline"}),
    ("担保人要在申请书上签署同意展期的意见并盖章。", {"guarantor"}, {"wrong_guarantor"}),
    ("担保人无需签字。", {"wrong_guarantor"}, {"guarantor"}),
    ("短期贷款展期不能超过原贷款期限，您这笔最多展六个月。", {"short_limit"}, {"wrong_limit"}),
    ("展一年没问题。", {"wrong_limit"}, {"short_limit"}),
    ("展期最多一年。", {"wrong_limit"}, {"short_limit"}),
    ("长期贷款展期最长不超过3年。", {"mid_long_limit"}, {"wrong_limit"}),
    ("展期也要经过调查和审批，和办理贷款的程序一样。", {"procedure"}, {"promise"}),
    ("肯定能展。", {"promise"}, {"procedure"}),
])
def test_extension_rules_right_and_wrong(reply, present, absent, phrasebook):
    matcher = BY_ID["zh_bank_loan_extension"].matcher_for(phrasebook)
    labels = set(matcher.match(reply).labels)
    assert present <= labels, f"{reply!r}: {sorted(labels)}"
    assert not (absent & labels), f"{reply!r}: {sorted(labels)}"


DOCUMENTS = {
    "zh_bank_loan_intake": {
        "doc_license": "营业执照", "doc_org_code": "组织机构代码证", "doc_loan_card": "贷款卡",
        "doc_legal_rep": "法定代表人身份证明", "doc_articles": "公司章程", "doc_financials": "近三年经审计的财务报表",
        "doc_tax": "税务登记证", "doc_collateral": "房产证",
    },
    "en_bank_loan_intake": {
        "doc_license": "business licence", "doc_org_code": "organisation code certificate", "doc_loan_card": "loan card",
        "doc_legal_rep": "the legal representative's ID", "doc_articles": "articles of association",
        "doc_financials": "audited financial statements for the last three years",
        "doc_tax": "tax registration certificate", "doc_collateral": "title deeds",
    },
}


@pytest.mark.parametrize("scenario_id", sorted(DOCUMENTS))
def test_intake_recognises_each_document(scenario_id, phrasebook):
    scenario = BY_ID[scenario_id]
    matcher = scenario.matcher_for(phrasebook)
    wrapper = "麻烦您准备一下{doc}。" if scenario.language == "zh" else "Could you please bring your {doc}?"
    for category, name in DOCUMENTS[scenario_id].items():
        labels = matcher.match(wrapper.format(doc=name)).labels
        assert category in labels and "request" in labels, f"{name!r}: {labels}"
        others = {c for c in labels if c.startswith("doc_")} - {category}
        assert not others, f"{name!r} also read as {others}"
