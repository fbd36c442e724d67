"""An English message's own words against its best two handbook entries (issue 17): the English encoder ranks sibling
entries side by side ("what does delivery cost" and "when is delivery free") and weighs lightly the word that tells
them apart; when the second entry's own texts and training examples share more than twice the weight of the message's
content words than the best's, the bot offers both rather than answering the first
(nlu_addons.handbook_index.HandbookIndex.shared_words / words_doubt_best, the English twin of the Chinese pairs).
Messages and entries written for this test.
"""

from __future__ import annotations

import math

import numpy as np
from support.encoders import ZeroEncoder

from helpdesk.knowledge.settings import load_settings
from nlu_addons.encoders import CachedEncoder
from nlu_addons.handbook_index import HandbookIndex, IndexedEntry, name_words

ENTRIES = [
    IndexedEntry(
        "shipping-costs", ("What does delivery cost?", "Is there a delivery fee?"), ("Delivery is a flat fee.",)
    ),
    IndexedEntry(
        "free-shipping",
        ("When is delivery free?",),
        ("Orders over the threshold ship free.",),
        ("what order value gets free delivery", "minimum basket for no fee"),
    ),
    IndexedEntry("delivery-time", ("How long does delivery take?",), ("Three to five working days.",)),
    IndexedEntry("return-policy", ("What is your return policy?",), ("Return within 30 days.",)),
]
INDEX = HandbookIndex(ENTRIES, CachedEncoder(ZeroEncoder()), load_settings())
TEXT = "what order value do i need so there is no delivery fee"


def test_the_words_an_entry_shares_with_a_message_weigh_by_how_few_entries_have_them() -> None:
    costs, free = INDEX.ids.index("shipping-costs"), INDEX.ids.index("free-shipping")
    # delivery is in three entries of four, fee in two; order and value (free-shipping's training example) in one
    assert math.isclose(INDEX.shared_words(TEXT, costs), math.log(4 / 3) + math.log(4 / 2))
    assert math.isclose(INDEX.shared_words(TEXT, free), math.log(4 / 3) + math.log(4 / 2) + 2 * math.log(4))
    # the answer's words are the entry's too (English: what covers reads), "days" in two answers of four
    assert math.isclose(INDEX.shared_words("how many days", INDEX.ids.index("delivery-time")), math.log(4 / 2))
    assert INDEX.shared_words("fabric swatches", INDEX.ids.index("delivery-time")) == 0.0


def test_the_words_doubt_a_near_tied_best_entry_only() -> None:
    near = np.array([0.74, 0.70, 0.30, 0.20])  # delivery costs first, free delivery 0.04 behind
    assert INDEX.words_doubt_best(TEXT, near, margin=0.1, ratio=2.0)
    far = np.array([0.84, 0.70, 0.30, 0.20])  # the best far ahead: the encoder is trusted
    assert not INDEX.words_doubt_best(TEXT, far, margin=0.1, ratio=2.0)
    # the best entry's words are the message's as well: no doubt
    assert not INDEX.words_doubt_best("is there a delivery fee", near, margin=0.1, ratio=2.0)
    # the second entry shares none of the message's words: no doubt
    assert not INDEX.words_doubt_best("return policy", np.array([0.30, 0.29, 0.20, 0.70]), 0.1, 2.0)


def test_a_chinese_index_has_no_english_words() -> None:
    chinese = HandbookIndex(ENTRIES, CachedEncoder(ZeroEncoder()))
    assert chinese.shared_words(TEXT, 1) == 0.0
    assert not chinese.words_doubt_best(TEXT, np.array([0.74, 0.70, 0.30, 0.20]), 0.1, 2.0)


def test_names_the_handbook_writes_capitalised_are_no_evidence_of_a_topic() -> None:
    texts = ["We ship to Ireland and Spain.", "Ireland: 3 days. Delivery is free on Monday?", "Spain has islands."]
    assert name_words(texts) == frozenset({"ireland", "spain", "monday"})  # "Delivery" starts a sentence
    entries = [
        IndexedEntry("shipping-costs", ("How much is shipping?",), ("Shipping costs 4.95.",)),
        IndexedEntry("international-shipping", ("Do you ship abroad?",), ("We ship to Ireland and Spain.",)),
        IndexedEntry("delivery-time", ("How long does delivery take?",), ("Ireland: 3 days.",)),
    ]
    index = HandbookIndex(entries, CachedEncoder(ZeroEncoder()), load_settings())
    text = "how much is shipping to ireland"
    assert math.isclose(index.shared_words(text, 0), math.log(3))  # "shipping", in one entry of three
    # "ireland" is in two entries' answers, but a name: the international shipping entry shares nothing of its topic
    assert index.shared_words(text, 1) == 0.0
    assert not index.words_doubt_best(text, np.array([0.66, 0.63, 0.20]), margin=0.1, ratio=2.0)
