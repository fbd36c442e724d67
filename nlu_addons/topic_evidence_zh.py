"""Whether a Chinese message says anything of its best handbook entry's own topic (issue 18).

The Chinese side's encoder answered some questions confidently from an entry they share nothing particular with:
"退一部分商品可以吗" with the final-sale entry, "收到的商品与订单不符，请问如何处理" with the confirmation e-mail's,
"可以加盟开分店吗" (out of scope) with the shops' locations. Their words in common with the entry are generic ones
(商品, 订单, 收到, 处理, 寄到) or pairs that straddle a particle ("店吗": 店 and the question's 吗). A confident answer
needs evidence of the entry's topic: a pair of neighbouring Chinese characters, neither of them a function word, that
the entry's questions and training examples have and few other entries do (``min_weight``: log(entries / entries having
it)). Without any, and with the second entry near (within ``margin``), the bot asks back ("Did you mean", the best
entry first) rather than answering; an entry far ahead of the rest is answered as before.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from nlu_addons.handbook_index import HandbookIndex, character_pairs

# characters that carry no topic of their own: particles, pronouns, question words, modal and linking words. A pair
# with one of them ("店吗", "以把", "可以") says nothing of what the message is about
FUNCTION_CHARACTERS = frozenset(
    "的吗呢吧啊呀么嘛是在"  # particles, "is", "at"
    "我你他她它们您亲这那个"  # pronouns, "this", "that", the measure word, the shop's "dear"
    "可以能要想把被给对和与及或就都也还又很太更最"  # modal, linking and degree words
    "怎什为啥哪几多少如何请问"  # question words, "please", "ask"
)


def topic_pairs(shared: Mapping[str, float], min_weight: float) -> list[str]:
    """The pairs of ``shared`` (pair -> weight, nlu_addons.handbook_index.HandbookIndex.pairs_shared) that speak of a
    topic: no function character in them, and used by few entries (weight at least ``min_weight``)."""
    return [
        pair for pair, weight in shared.items() if weight >= min_weight and not FUNCTION_CHARACTERS.intersection(pair)
    ]


def lacks_topic(index: HandbookIndex, message: str, scores: np.ndarray, margin: float, min_weight: float) -> bool:
    """Whether the Chinese ``message``'s best entry (``scores``: its score of each entry of ``index``) has its second
    within ``margin`` and shares no pair of its topic with the message (:func:`topic_pairs`)."""
    if len(scores) < 2:
        return False
    best, second = (int(e) for e in np.argsort(-scores)[:2])
    if float(scores[best] - scores[second]) >= margin:
        return False
    shared = index.pairs_shared(message, best)
    if topic_pairs(shared, min_weight):
        return False
    # ... and only when the message says something the entry does not: a message whose words of substance are all the
    # entry's own, however common ("如何退货": 退货, which many entries have), asks what the entry answers (the team's
    # test of "如何退货" and how-to-return failed with the rule as first merged)
    return any(pair not in shared for pair in character_pairs(message) if not FUNCTION_CHARACTERS.intersection(pair))
