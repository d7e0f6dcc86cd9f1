"""Taboo phrase families: fresh rude replies are caught, tricky polite ones never flagged."""

# Every line here was written for this file (none is copied from the labelled sets) and labelled
# per docs/labeling-guide.md. The rude lines cover the rude moves the families describe: brush-offs,
# blaming the client, contempt, impatience, speaking ill of the client, threats, sarcasm made of
# polite words, talking back. The polite lines are the near misses that must stay clean: firm
# refusals citing rules, apologies, calming words, complaints acknowledged, and polite sentences
# that share words with a rude family (你自己…, 再…我们就…, "make it quick", "not mine").

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.core.yamlsafe import load_yaml

BOOK = Path(__file__).resolve().parent.parent / "phrasebook"

ZH_RUDE = [
    "这事你找别的部门，别在我这耗着",
    "我这儿办不了，你上别处去吧",
    "不是我们这儿的业务，问我干嘛",
    "自己下个APP弄去",
    "我忙着呢，等会儿再说",
    "这种事别来问我",
    "我哪有空管你这点事",
    "我只管开户，别的别问我",
    "去去去，下一个",
    "你没看见我这正忙着吗",
    "谁让你自己不看清楚就签字",
    "你自己填错了还来怪我们",
    "是你自己没按时还款，怨不得别人",
    "当初让你别买你非要买，现在后悔有什么用",
    "密码都记不住，还能怪谁",
    "卡丢了是你自己不小心",
    "都是你自己惹出来的事",
    "这能怪银行吗？",
    "就你这点存款还想办白金卡",
    "这么点钱也好意思来开VIP",
    "你这种人我见多了",
    "连自己名字都写不好",
    "没见过世面就是这样",
    "就你也配跟我们谈合作",
    "看你这样子也还不起",
    "你家那个破厂早晚倒闭",
    "快点快点，磨磨蹭蹭的",
    "你能不能快点，后面一堆人排着呢",
    "说重点，别啰嗦了",
    "我没工夫听你在这絮叨",
    "有话快说，有屁快放",
    "你到底想干嘛",
    "这客户真难缠",
    "那个老头子烦死人了",
    "这人脑子有问题吧",
    "又是那个难搞的王老板，真倒霉",
    "你再闹我就叫保安了",
    "再吵我报警了啊",
    "信不信我把你拉黑",
    "你再这样以后别想在我们这贷到款",
    "你等着瞧",
    "谢谢你啊，让我白忙活了一上午",
    "您可真行啊，这都能弄丢",
    "麻烦您下次出门带上脑子",
    "您真聪明，连密码都能忘",
    "你说的不对，你懂还是我懂",
    "别胡说八道",
    "少在这胡扯",
    "是你没听清，不是我没说",
    "办不了就是办不了，说多少遍都一样",
    "不想办就走，别耽误别人",
    "你自己想办法吧，我管不了那么多",
    "嫌麻烦你别来啊",
    "你这不是无理取闹吗",
    "你跟我吼有什么用",
    "跟你说了你也不懂",
]

EN_RUDE = [
    "Not my area, try the branch.",
    "You'll have to sort that out with someone else.",
    "I can't help you with that. Next!",
    "That's above my pay grade.",
    "Go online and do it yourself.",
    "Can't you see I'm busy?",
    "Don't ask me.",
    "You should have read the contract before signing.",
    "That's on you.",
    "Nobody forced you to sign.",
    "You brought this on yourself.",
    "If you had paid on time this wouldn't have happened.",
    "You clearly didn't read a thing.",
    "Your mistake, not ours.",
    "You messed it up, not us.",
    "With your credit score? Don't make me laugh.",
    "People like you never pay back.",
    "Even my grandma could do this.",
    "It's not rocket science.",
    "Do you even know what an interest rate is?",
    "You wouldn't understand.",
    "Your little shop isn't worth our time.",
    "Hurry up, I haven't got all day.",
    "Get to the point.",
    "Make it quick.",
    "Are you done yet?",
    "Yes, yes, I heard you the first time.",
    "Enough already.",
    "This guy is a real pain.",
    "What a nightmare customer.",
    "She's nuts.",
    "Keep shouting and I'll call security.",
    "Carry on like this and we'll close your account.",
    "I'll make sure you never get a loan here.",
    "Oh great, thanks for making my day so much harder.",
    "Congratulations, you managed to lose your card twice.",
    "Thank you so much for the lecture.",
    "Thanks for the headache.",
    "Sorry you can't read.",
    "Sorry, but that's your problem.",
    "Not my circus, not my monkeys.",
    "I'm not paid enough to deal with this.",
    "Why are you bothering me with this?",
    "You're making a fuss over nothing.",
    "Stop being so dramatic.",
    "Don't tell me how to do my job.",
    "Use your brain.",
]

ZH_POLITE = [
    "不好意思，这个我们规定不能办",
    "非常抱歉，按照规定，这项业务需要本人亲自办理",
    "您别着急，我帮您查一下",
    "您先别急，慢慢说",
    "很遗憾，这次审批没有通过，我帮您看看还有什么办法",
    "这个确实不在我们支行的业务范围，我帮您联系一下对应的部门",
    "这个问题我需要请示一下领导，核实后给您回电",
    "您反映的情况我们已经记录了，给您添麻烦了",
    "您说得对，这确实是我们的问题",
    "是我们没有解释清楚，让您误会了",
    "麻烦您再核对一下身份证号码，好像有一位填错了",
    "这里可能填错了，我帮您改一下",
    "系统显示您上个月有一笔逾期，您看是不是忘记还款了",
    "您的情况我理解，不过规定确实是这样，实在抱歉",
    "您提的意见很好，我一定向领导反映",
    "这个业务需要到营业厅办理，我把地址发给您",
    "您可以拨打我们的客服热线咨询，也可以随时找我",
    "很抱歉让您跑了两趟",
    "您放心，这件事我负责跟到底",
    "不是您的问题，是系统出了故障",
    "您别担心，不是您的错",
    "我们这边暂时办不了，不过可以帮您预约网点",
    "对不起，我刚才没说清楚，我再解释一遍",
    "您再说一遍好吗，我刚才没听清",
    "实在不好意思，今天已经过了营业时间，您看明天上午九点可以吗",
    "您投诉的问题我们非常重视",
    "您的心情我理解，换了谁都会着急",
    "很多客户都遇到过这个问题，不是您操作的问题",
    "我们的规定是贷款金额不能超过评估价的七成，抱歉",
    "我不太清楚这个，我帮您问一下同事",
    "这个我确实不懂，我请专业的同事来给您解答",
    "您慢慢来，不着急",
    "您有什么不满意的地方尽管提",
    "您要是对处理结果不满意，可以拨打投诉电话，这是您的权利",
    "这个确实是我们的责任，我们一定负责到底",
    "你好，我是建行的小王，今天来给你送资料",
    "你可以去别的网点办理，离你最近的是人民路支行",
    "您也可以去总行办，那边窗口多一些",
    "你自己在手机银行上也能查，我教你怎么弄",
    "您自己保管好密码，别告诉任何人",
    "你自己注意别把卡弄丢了",
    "这个我们改天再详细聊，您先忙",
    "等您考虑好了再说，不着急",
    "没关系，您慢慢想，以后再说也可以",
    "再有什么问题您随时找我",
    "您再稍等一下，我们就快办好了",
    "再过两天我们就上门拜访您",
    "逾期的话会影响征信，我们也会按规定催收，所以提醒您按时还款",
    "当初给您推荐这款产品时没说清楚风险，是我们的责任",
    "您现在后悔也是人之常情，我们一起看看能不能补救",
    "让您白跑了一趟，真不好意思",
    "没让您白跑，材料都齐了",
    "连周末都不休息，您真是辛苦了",
    "连我都搞不清这个政策，别说您了，我帮您问问",
    "这个规定确实复杂，连我们新同事都要学好几天",
    "您的条件很好，完全可以申请",
    "就您这条件，我们可以给您最高额度",
    "您还想办理其他业务吗",
    "你还想了解一下理财产品吗",
    "您说重点就行，我记一下",
    "您能不能快点把材料发过来，我们好尽快给您办",
    "我们能赶紧帮您处理，您放心",
    "我现在没时间详细介绍，明天上午给您打电话好吗",
    "您要是没时间管这些，我帮您全部办好",
    "原来是系统升级，怪不得我这边查不到",
    "这不能怪您，是我们的通知晚了",
    "这事谁也不能怪，是系统出的错",
    "不是你造成的，你别自责",
    "是您的资料，我帮您弄好了",
    "这是你要的资料，我帮您打印好了",
    "看你这样子挺累的，要不要先喝口水",
    "您动动手指在手机上就能办",
    "这位客户真讲究，给我们提了很多好建议",
    "这家公司真不简单",
    "这事确实让人真烦，我理解您",
    "您真行，一个人把公司做这么大",
    "您可以拨打投诉电话，我们会认真处理",
    "说了这么多，您辛苦了，喝口水",
    "您说几次都可以，我很乐意解释",
    "不办也没关系，您考虑好了再来",
    "不耽误您时间了，再见",
    "您要是觉得贵，我们还有更实惠的套餐",
    "您要是嫌麻烦，我可以上门帮您办",
    "您跟我发火我理解，换谁都会着急",
    "您放心，我不会让您白等的",
    "我们以后一定注意，别让这种事再发生",
    "再这样下去您的额度就不够用了，我建议提额",
    "这个情况我需要请示领导，领导同意了我就给您办",
    "您有什么不懂的随时问我",
    "你懂我的意思吗？我再解释一遍",
    "五十万的额度，利率是三点二五",
    "二百五十万的贷款需要抵押",
    "信不信由您，这个产品确实收益稳定",
    "您有意见尽管提，我们虚心接受",
    "有事您直说，不用客气",
]

EN_POLITE = [
    "I'm afraid we can't approve this; the rules require two years of accounts.",
    "I'm sorry, but that's not something we're allowed to do.",
    "Unfortunately that's outside my authority, but I'll ask my manager and call you back.",
    "Please don't worry, it's not your fault.",
    "I understand you're upset, and you have every right to be.",
    "You're right to complain, we made a mistake.",
    "I'm sorry for the trouble this has caused you.",
    "That department handles it; let me put you through.",
    "Could you check the form again? One digit seems to be wrong.",
    "It looks like the payment was late last month. Did something come up?",
    "Take your time, there's no rush.",
    "I'm afraid the branch is closed today; shall we meet tomorrow at ten?",
    "I don't know offhand, but I'll find out for you.",
    "Our policy doesn't allow it, I'm really sorry.",
    "Thanks for your patience while I sorted that out.",
    "Thanks for bringing this to our attention.",
    "No problem at all, happy to explain again.",
    "Let me explain it once more, more clearly this time.",
    "I hear you, and I'll escalate this today.",
    "You have every right to make a complaint; here's how.",
    "I'm afraid we can't waive the fee, but I can split it into instalments.",
    "It's not your fault at all, the system made the error.",
    "Sorry, I didn't catch that. Could you say it again?",
    "I'm busy with another client right now; may I call you back in ten minutes?",
    "That's not something I can decide myself, so I'll check with my manager.",
    "Please don't rush, we have plenty of time.",
    "Unfortunately the rules are strict on this, and I'm sorry about that.",
    "I'll be quick, I promise.",
    "I'll keep it short and make it quick.",
    "Did you fill it in already? Great.",
    "Have you finished the form already?",
    "Please ask at the front desk, they'll print it for you.",
    "You could try another branch; they open on Saturdays.",
    "You can also check it yourself in the app any time.",
    "Customers like you don't need to queue, you have priority service.",
    "Clients like yours are exactly who we want to help.",
    "We love working with companies like yours.",
    "Are you happy with your current income?",
    "Nobody told you about the fee? I'm so sorry, that's our fault.",
    "No one made you aware of the charge? I apologise.",
    "It's your decision, not mine, so take your time.",
    "It's your money, not mine, you decide.",
    "The mistake was ours, not yours.",
    "I'm afraid I can't help you with that myself, but my colleague can.",
    "That's not my area of expertise, so let me ask a specialist.",
    "Keep the receipt and we will refund you.",
    "Please send the ID or we will have to pause the application.",
    "If you feel unsafe we will call the police for you.",
    "I'm sorry we managed to lose your file; it won't happen again.",
    "We managed to block the card already, don't worry.",
    "Sorry you can't make it today; shall we say Friday?",
    "You know your business best, of course.",
    "I promise you'll never have to wait like this again.",
    "It's a real nightmare when the app crashes, I understand.",
    "The paperwork is a pain, I know, but we'll do it together.",
    "They are impossible to reach on Fridays, sorry about that.",
    "The phone never stops ringing today, sorry for the delay.",
    "Enough of the paperwork for today, thank you for your patience.",
    "You never bother us, call any time.",
    "I don't have time right now, but may I call you back at three?",
    "Why are you calling me today? Is something wrong with the card?",
    "Take your time, you don't have to decide today.",
    "If you had told us earlier we could have helped, but let's fix it now.",
    "Is it on you or on the company account?",
    "Please don't worry, you can't lose your money.",
    "You should work with us, we offer the best rates.",
    "Don't worry, I won't tell you how to run your business.",
]


@pytest.mark.parametrize("text", ZH_RUDE)
def test_zh_rude_reply_is_taboo(matcher_zh, text):
    assert "taboo" in matcher_zh.match(text).labels


@pytest.mark.parametrize("text", EN_RUDE)
def test_en_rude_reply_is_taboo(matcher_en, text):
    assert "taboo" in matcher_en.match(text).labels


@pytest.mark.parametrize("text", ZH_POLITE)
def test_zh_polite_reply_is_not_taboo(matcher_zh, text):
    assert "taboo" not in matcher_zh.match(text).labels


@pytest.mark.parametrize("text", EN_POLITE)
def test_en_polite_reply_is_not_taboo(matcher_en, text):
    assert "taboo" not in matcher_en.match(text).labels


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
