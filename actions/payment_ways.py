"""A question whether the shop takes a way of paying, by its words ("请问你们支持花呗吗", "收不收银联卡", "do you take
venmo?"). A way the handbook does not name reads to the NLU as nothing the shop knows, and the customer was offered a
person (issue 18, the walkthrough of Chinese conversations); the payment-methods entry answers it: it lists what the
shop takes, so what it does not name is not taken. Only a way of paying named (a card, a wallet, a pay-later
service, cash, crypto), asked about as taken; not a payment problem ("花呗付款失败了"), nor the customer's bills,
loans or other shops ("can i pay my phone bill", "信用卡能还房贷吗")."""

from __future__ import annotations

import re
from collections.abc import Mapping

from nlu_addons.order_cues import another_companys

PAYMENT_METHODS_ENTRY = "payment-methods"

# a way of paying by name: the cards, wallets, pay-later services and the rest customers name (the ones the shop
# takes as well as the ones it does not: either way the entry answers)
WAY_RE = re.compile(
    r"信用卡|借记卡|借記卡|储蓄卡|儲蓄卡|[银銀]行卡|[银銀][联聯]|云闪付|雲閃付|花[呗唄]|借[呗唄]|白[条條]|分期"
    r"|微信|支付宝|支付寶|数字人民币|數字人民幣|比特币|比特幣|加密[货貨]币|现金|現金|货到付款|貨到付款|礼品卡|禮品卡"
    r"|\b(?:credit\s+cards?|debit\s+cards?|cards?|venmo|zelle|cash\s?app|cash|alipay|wechat(?:\s+pay)?|unionpay|"
    r"bitcoin|crypto\w*|sofort|giropay|maestro|discover|diners(?:\s+club)?|amex|american\s+express|visa|mastercard|"
    r"paypal|klarna|afterpay|affirm|ideal|bancontact|apple\s+pay|google\s+pay|samsung\s+pay|gift\s+cards?|"
    r"instal+ments?|cheques?)\b",
    re.IGNORECASE,
)
# asking whether the shop takes it: "支持…吗", "收不收", "能用…吗", "可以用…付吗", "do you take / accept", "can I pay
# with"
TAKEN_RE = re.compile(
    r"支持|支不支持|接受|接不接受|收不收|[收用][吗嗎]|能[不没沒]?能?用|可以用|可不可以用|用得了|能付|可以付|行不行|可以[吗嗎]"
    r"|\b(?:do|does|will)\s+(?:you|u|ya|y'all)\s+(?:\w+\s+){0,2}(?:take|accept|support|allow)\b"
    r"|\bcan\s+(?:i|we)\s+(?:\w+\s+)?(?:pay|use|checkout|check\s+out)\s+(?:with|by|via|using|in)\b"
    r"|\bpay\s+(?:with|by|via|using)\b",
    re.IGNORECASE,
)
# a payment going wrong (a payment problem), or something of the customer's own paid with it (a bill, a loan, another
# shop): not a question about the shop's ways to pay
NOT_ASKING_RE = re.compile(
    r"失[败敗]|不成功|被拒|拒[绝絕]|扣[了钱錢款]|多扣|付不了|支付不了|用不了|(?<!能)不能|没法|沒法|无法|無法|退[款回]|报错|報錯|卡住|额度|額度"
    r"|[还還](?:款|钱|錢|房贷|房貸|车贷|車貸|信用卡)|[账賬帐帳]单|[话話]费|[电電]费|水费|水費|房租|房贷|房貸|贷款|貸款"
    r"|\b(?:fail\w*|declin\w*|rejected|error|charged|twice|refund\w*|not\s+work\w*|doesn'?t\s+work|won'?t\s+go|"
    r"bills?|rent|loans?|mortgage|debt|limit|balance|interest|rewards?|pin|lost|stolen|expire\w*|fraud\w*|"
    r"atm|withdraw\w*|deposit\w*|transfer\w*|top[\s-]?up|exchange\s+rate|fees?|cost\w*|extra|couldn'?t|can'?t|cannot|didn'?t|charges|"
    r"unable|wouldn'?t)\b",
    re.IGNORECASE,
)


def asks_payment_way(text: str) -> bool:
    """The message asks whether the shop takes a way of paying it names (and reports no problem with a payment)."""
    return bool(WAY_RE.search(text) and TAKEN_RE.search(text) and not NOT_ASKING_RE.search(text))


# the customer's card or bank itself, not a payment at the shop's checkout: a card applied for, its APR, interest or
# limit, fraud on it, a charge disputed with the bank ("how do I dispute a charge with my bank on another site"): the
# card issuer's business, which no answer of the handbook's payments section is about. Not other shops named beside a
# payment here ("my visa keeps getting rejected, other sites work fine": a payment problem at our checkout)
ISSUERS_BUSINESS_RE = re.compile(
    r"\b(?:apr|interest\s+rates?|credit\s+(?:limits?|scores?|lines?)|(?:card|spending)\s+limits?"
    r"|limits?\s+(?:on|of)\s+(?:my|the)\s+(?:\w+\s+){0,2}card|(?:card|credit)\s+applications?"
    r"|appl(?:y|ying|ied)\s+for\s+(?:a|an|the|my)\s+(?:new\s+)?(?:credit\s+|debit\s+)?card"
    r"|fraud\w*|disput\w*|chargebacks?)\b",
    re.IGNORECASE,
)


def card_issuers_business(text: str) -> bool:
    """The message is about the customer's card or bank itself or another company's charge (ISSUERS_BUSINESS_RE,
    nlu_addons.order_cues.another_companys), not a payment at the shop: an unsure reading of it is not answered
    from the payments section."""
    return bool(ISSUERS_BUSINESS_RE.search(text)) or another_companys(text)


# how far ahead of every other payments entry the one a "Did you mean" offers must score to be answered in its place
# (issue 17, lane en2, chosen on the English dev rows): "google pay isn't working" put payment-declined 0.013 ahead
# of payment-methods, "charged a fee for paying by card" payment-declined 0.025 ahead of double-charge; a near tie
# between two payments answers is no reading of which one the customer means
PAYMENT_ENTRY_LEAD = 0.04


def entries_near(best: str, scores: Mapping[str, float], lead: float) -> list[str]:
    """The entries other than ``best`` scoring less than ``lead`` below it (``scores``: entry id -> score), best
    first; none when ``best`` has no score."""
    if best not in scores:
        return []
    floor = scores[best] - lead
    return [e for e, s in sorted(scores.items(), key=lambda item: -item[1]) if e != best and s > floor]
