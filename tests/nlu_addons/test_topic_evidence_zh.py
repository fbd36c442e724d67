"""A confident Chinese handbook answer needs evidence of its entry's own topic (issue 18, lane zhroute): a pair of
neighbouring characters, no function character in it, that the entry's questions and training examples have and few
other entries do. Generic words (商品, 订单, 可以) and pairs straddling a particle ("店吗") are none; near-tied with the
second entry and without any, the bot asks back with the best entry first (nlu_addons.topic_evidence_zh). Messages
and entries written for this test; through the stack: tests/conversation/test_chinese_topic_evidence.py."""

from __future__ import annotations

import numpy as np
from support.encoders import ZeroEncoder

from nlu_addons.encoders import CachedEncoder
from nlu_addons.handbook_index import HandbookIndex, IndexedEntry
from nlu_addons.topic_evidence_zh import lacks_topic, topic_pairs

ENTRIES = [
    IndexedEntry("store-locations", ("你们有实体店吗", "门店在哪"), ("我们在阿姆斯特丹有门店",)),
    IndexedEntry("business-orders", ("公司批量采购可以吗",), ("企业订单请联系我们",)),
    IndexedEntry("final-sale-items", ("特价商品可以退吗",), ("清仓商品不退不换",)),
    IndexedEntry("return-policy", ("退货政策是什么", "订单可以退货吗"), ("30天内可以退货",)),
    IndexedEntry("delivery-time", ("订单多久能送到", "商品几天到"), ("一般三到五天",)),
    IndexedEntry("payment-methods", ("买商品可以用什么付款",), ("支持信用卡和PayPal",)),
]
INDEX = HandbookIndex(ENTRIES, CachedEncoder(ZeroEncoder()))
NEAR = np.array([0.66, 0.62, 0.30, 0.30, 0.20, 0.20])  # the first two entries 0.04 apart
FAR = np.array([0.76, 0.62, 0.30, 0.30, 0.20, 0.20])


def test_pairs_with_a_function_character_or_used_by_many_entries_are_no_topic() -> None:
    assert topic_pairs({"店吗": 4.0, "可以": 3.0, "门店": 3.0, "订单": 1.0}, 2.5) == ["门店"]


def test_a_near_tied_entry_sharing_only_generic_words_lacks_its_topic() -> None:
    # "店吗" straddles the question's particle: the shop-locations entry shares nothing of its topic with a franchise
    assert lacks_topic(INDEX, "可以加盟开分店吗", NEAR, margin=0.07, min_weight=1.0)
    # its own words (门店, 实体店) are evidence
    assert not lacks_topic(INDEX, "附近有门店吗", NEAR, margin=0.07, min_weight=1.0)
    assert not lacks_topic(INDEX, "有没有实体店可以看货", NEAR, margin=0.07, min_weight=1.0)


def test_an_entry_far_ahead_of_the_second_is_trusted_without_evidence() -> None:
    assert not lacks_topic(INDEX, "可以加盟开分店吗", FAR, margin=0.07, min_weight=1.0)


def test_generic_shop_words_shared_by_several_entries_are_no_evidence() -> None:
    final_sale_first = np.array([0.30, 0.30, 0.66, 0.62, 0.20, 0.20])
    # 商品, 订单 and 可以 are in several entries' questions: with the weight asked, nothing of its topic
    assert lacks_topic(INDEX, "订单里的商品可以只退一半吗", final_sale_first, margin=0.07, min_weight=1.5)
    # 特价 is its own
    assert not lacks_topic(INDEX, "特价的能退一半吗", final_sale_first, margin=0.07, min_weight=1.5)


def test_a_message_whose_words_are_all_the_entrys_own_is_no_doubt() -> None:
    return_policy_first = np.array([0.30, 0.30, 0.30, 0.66, 0.62, 0.20])
    # "退货政策" is in several entries and weighs little, but the message says nothing the entry does not: it asks what
    # the entry answers ("如何退货" and how-to-return, tests/conversation/test_answer_did_not_help.py)
    assert not lacks_topic(INDEX, "如何退货", return_policy_first, margin=0.07, min_weight=5.0)
    # with words of its own the entry lacks, it is asked back about as before
    assert lacks_topic(INDEX, "如何退货给朋友", return_policy_first, margin=0.07, min_weight=5.0)
