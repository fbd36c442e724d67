"""Chinese words that tell apart two handbook entries the Chinese encoder ranks side by side (issue 18): a swap of
the message's own best two entries, never a new score.

The Chinese encoder reads "退一部分商品可以吗" nearest to the final-sale entry (0.85, return policy 0.81) and "买了多久
以内可以退" nearest to the refund timing (0.82, return policy 0.78): both entries speak of returns and refunds, and
what sets them apart is one word the encoder weighs lightly. Here the message's words decide between its best two:

- the final-sale entry is about the goods that cannot be returned (clearance, "final sale", personalised): a
  return question that names none of them (清仓, 特价, 最终销售, 定制, 刻字…) is about returns in general, and the
  returns entry second to it answers it;
- the refund timing says when the money arrives; a return question with a time limit (以内, 之内, 期限, 几天内) and
  no money (钱, 款, 到账) asks how long returns are accepted, which the return policy answers;
- "is it in stock" and "will it come back": a product sold out (卖光, 售罄, 断货) or restocked (补货, 进货, 再上架,
  到货通知) is the back-in-stock entry's;
- ordering and opening an account: a message that names the account (开户, 注册, 账号) asks about the account.

Only the message's best two entries swap places (their scores stay the message's own), so a gate on the best score
(answering, offering, handing over) decides as before. Texts are read as the Chinese side reads them (simplified
characters, nlu_addons.onepass_nlu.understood).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

FINAL_SALE = "final-sale-items"
# the returns entries a general return question is answered from
RETURNS = frozenset({"return-policy", "how-to-return", "refund-policy", "exchanges"})
# the goods the final-sale entry is about, and asking which goods cannot be returned
FINAL_SALE_WORDS = re.compile(
    r"清仓|特价|打折|折扣|促销|最终销售|final\s*sale|定制|订制|刻字|绣|个性化|不退|不能退|不可退|不支持退|哪些|什么样",
    re.IGNORECASE,
)
REFUND_TIMING, RETURN_POLICY = "refund-timing", "return-policy"
RETURN_WINDOW = re.compile(r"以内|之内|期限|[天日月]内")
MONEY = re.compile(r"钱|款|到账|到帐")
# (best, second) entries and the words that make the second the answer
SECOND_BY_WORDS = {
    ("product-availability", "back-in-stock"): re.compile(
        r"补货|进货|再有|再上架|重新上架|到货通知|到货提醒|卖光|卖完|售罄|售完|断货"
    ),
    ("how-to-order", "create-account"): re.compile(r"开户|开个户|注册|账号|帐号|账户|帐户"),
}


def preferred_second(text: str, best: str, second: str) -> bool:
    """Whether the (simplified) Chinese ``text`` is answered by its second entry rather than its best (see the
    module)."""
    if best == FINAL_SALE and second in RETURNS:
        return "退" in text and not FINAL_SALE_WORDS.search(text)
    if best == REFUND_TIMING and second == RETURN_POLICY:
        return "退" in text and bool(RETURN_WINDOW.search(text)) and not MONEY.search(text)
    words = SECOND_BY_WORDS.get((best, second))
    return words is not None and bool(words.search(text))


def entries_by_words_zh(text: str, scores: np.ndarray, entry_ids: Sequence[str]) -> np.ndarray:
    """The handbook scores of one Chinese message (``scores``, one row over ``entry_ids``) with its best two entries'
    scores swapped when its words say the second answers it (:func:`preferred_second`); the same row otherwise."""
    if scores.shape[-1] < 2:
        return scores
    best, second = (int(k) for k in np.argsort(-scores[0])[:2])
    if not preferred_second(text, entry_ids[best], entry_ids[second]):
        return scores
    swapped = scores.copy()
    swapped[0, best], swapped[0, second] = scores[0, second], scores[0, best]
    return swapped
