"""A Chinese message's own words against its best two handbook entries (issue 18): the multilingual encoder ranks
sibling entries side by side ("is it in stock" and "will it be restocked") and weighs lightly the one word that tells
them apart; when the second entry's questions and training examples share far more of the message's Chinese
character pairs than the best's, the bot offers both rather than answering the first
(nlu_addons.handbook_index.HandbookIndex.shared_pairs / words_doubt_best, nlu_addons.arbiter route's ``doubted``).
Messages and entries written for this test.
"""

from __future__ import annotations

import numpy as np
from support.arbiters import arbiter_torn
from support.encoders import ZeroEncoder

from nlu_addons.encoders import CachedEncoder
from nlu_addons.handbook_index import HandbookIndex, IndexedEntry, character_pairs

ENTRIES = [
    IndexedEntry("product-availability", ("这个商品有货吗", "网站上的库存准不准"), ("页面显示的库存是实时的",)),
    IndexedEntry("back-in-stock", ("缺货的东西还会补货吗",), ("补货后可以通知您",), ("卖完了还会进货吗",)),
    IndexedEntry("delivery-time", ("多久能送到",), ("一般三到五天",)),
    IndexedEntry("return-policy", ("退货政策是什么",), ("30天内可以退货",)),
]
INDEX = HandbookIndex(ENTRIES, CachedEncoder(ZeroEncoder()))


def test_character_pairs_are_the_neighbouring_chinese_characters() -> None:
    assert character_pairs("退款100234到账") == frozenset({"退款", "款到", "到账"})
    assert character_pairs("where is it") == frozenset()


def test_the_words_an_entry_shares_with_a_message_weigh_by_how_few_entries_have_them() -> None:
    text = "这款杯子卖完了，以后还进货吗"
    theirs = INDEX.shared_pairs(text, INDEX.ids.index("back-in-stock"))  # 卖完, 进货 (its training example), 货吗
    assert theirs > 3 * INDEX.shared_pairs(text, INDEX.ids.index("product-availability"))  # 货吗 alone
    # the answer's passages are not the entry's words: "30天内可以退货" gives 退货 nothing
    assert INDEX.shared_pairs("我想退货", INDEX.ids.index("return-policy")) > 0.0  # its question has 退货
    assert INDEX.shared_pairs("三到五天", INDEX.ids.index("delivery-time")) == 0.0


def test_the_words_doubt_a_near_tied_best_entry_only() -> None:
    text = "这款杯子卖完了，以后还进货吗"
    near = np.array([0.70, 0.66, 0.30, 0.20])  # availability first, back-in-stock 0.04 behind
    assert INDEX.words_doubt_best(text, near, margin=0.1, ratio=3.0)
    far = np.array([0.80, 0.66, 0.30, 0.20])  # the best far ahead: the encoder is trusted
    assert not INDEX.words_doubt_best(text, far, margin=0.1, ratio=3.0)
    # the best entry's words have the message's as well: no doubt
    assert not INDEX.words_doubt_best("这个商品有货吗", near, margin=0.1, ratio=3.0)
    # the second entry shares none of the message's words: no doubt
    assert not INDEX.words_doubt_best("请问多久能送到", np.array([0.30, 0.29, 0.70, 0.20]), 0.1, 3.0)


def test_an_english_index_has_no_character_pairs() -> None:
    from helpdesk.knowledge.settings import load_settings

    english = HandbookIndex(ENTRIES, CachedEncoder(ZeroEncoder()), load_settings())
    assert english.shared_pairs("这款杯子卖完了，以后还进货吗", 1) == 0.0


def test_a_doubted_handbook_answer_offers_its_best_two_entries() -> None:
    text = "这款杯子卖完了，以后还进货吗"
    sure = {"faq": 0.97, "order_status": 0.02, "out_of_scope": 0.01}
    ids = ["product-availability", "back-in-stock", "delivery-time"]
    scores = np.array([[0.70, 0.66, 0.30]], dtype=np.float32)
    x, arbiter = arbiter_torn([text], scores, sure)
    arbiter.faq_answer_from = 0.62
    assert arbiter.route(x, scores, ids, text).destination == "faq:product-availability"
    route = arbiter.route(x, scores, ids, text, doubted=True)
    assert route.destination == "clarify", route
    assert route.offered[:2] == ["faq:product-availability", "faq:back-in-stock"], route
