"""Style variants of the training examples (issues 17 and 18, nlu_addons.style_variants): deterministic, in the
example's own language, openers and frames only on requests and questions, and, where the intent head is fitted
(nlu_addons.onepass_nlu ``Side.train``, nlu_addons.intent_head ``out_of_fold``), a variant never trains the head whose
out-of-fold reading of its own example the arbiter learns from."""

from __future__ import annotations

import random
import zlib

import numpy as np

from nlu_addons.intent_head import example_folds, out_of_fold
from nlu_addons.language import CJK, language_of
from nlu_addons.onepass_settings import DEFAULTS
from nlu_addons.style_variants import (
    OPENERS,
    QUESTION_FRAMES,
    REQUEST_FRAMES,
    augmented,
    casual,
    framed,
    keyboard_neighbours,
    typo,
    variants,
    zh_without_particles,
)

ENGLISH = [
    ("where is my order 100234?", "order_status"),
    ("I'd like to cancel my order", "cancel_order"),
    ("What's your refund policy?", "faq"),
    ("my parcel hasn't arrived yet", "order_status"),
    ("yes please", "affirm"),
    ("thanks a lot", "thank"),
    ("can you tell me the weather tomorrow", "out_of_scope"),
]
CHINESE = [
    ("我的订单到哪了？", "order_status"),
    ("请问退货政策是什么呢", "faq"),
    ("帮我查订单100234", "order_status"),
    ("好的", "affirm"),
]


def frame_heads(frames: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(frame.split("{}")[0] for frame in frames if frame.split("{}")[0])


def test_off_is_the_examples_alone_and_the_setting_is_off_by_default_per_language() -> None:
    texts, labels = [t for t, _ in ENGLISH], [label for _, label in ENGLISH]
    same = augmented(texts, labels, "en", 0)
    assert same.texts == texts and same.labels == labels and same.origin == list(range(len(texts)))
    assert set(DEFAULTS["style_variants"]) == {"en", "zh"}


def test_variants_are_deterministic_distinct_and_do_not_depend_on_the_other_examples() -> None:
    texts, labels = [t for t, _ in ENGLISH], [label for _, label in ENGLISH]
    once = augmented(texts, labels, "en", 3)
    again = augmented(list(reversed(texts)), list(reversed(labels)), "en", 3)
    mine = {(t, label) for t, label in zip(once.texts, once.labels, strict=True)}
    assert mine == {(t, label) for t, label in zip(again.texts, again.labels, strict=True)}
    assert len(once.texts) > len(texts) and len({t.lower() for t in once.texts}) == len(once.texts)
    for text, label, origin in zip(once.texts, once.labels, once.origin, strict=True):
        assert label == labels[origin]  # a variant keeps its example's label
        assert language_of(text) == "en"
    assert variants("where is my order 100234?", "order_status", "en", 2) == variants(
        "where is my order 100234?", "order_status", "en", 2
    )


def test_english_styles_typos_casual_and_frames() -> None:
    rng = random.Random(3)
    for word in ("order", "refund", "delivery", "password"):
        slip = typo(word, rng)
        assert slip != word and slip[0] == word[0] and abs(len(slip) - len(word)) <= 1
    assert set(keyboard_neighbours("s")) == {"a", "d", "w", "e", "z", "x"}
    assert casual("What's your refund policy?") == "whats your refund policy"
    request = framed("I'd like to cancel my order", rng)
    assert request.endswith("cancel my order") and request.startswith(frame_heads(REQUEST_FRAMES))
    assert framed("cancel my order please", rng).startswith(frame_heads(REQUEST_FRAMES))
    # a noun phrase is no request: "return policy" is not "help me to return policy"
    assert not framed("return policy", rng).startswith(frame_heads(REQUEST_FRAMES))
    assert framed("where is my order?", rng).startswith(frame_heads(QUESTION_FRAMES))


def test_short_replies_get_no_openers_fillers_or_frames() -> None:
    heads = frame_heads(REQUEST_FRAMES + QUESTION_FRAMES) + OPENERS
    short = [("yes please", "affirm"), ("thanks a lot", "thank"), ("hello there", "greet"), ("no not that", "deny")]
    for text, label in short:
        for variant in variants(text, label, "en", 6):
            assert not variant.startswith(heads), (text, variant)
    requests = [v for t, label in ENGLISH[:4] for v in variants(t, label, "en", 6)]
    assert any(v.startswith(heads) for v in requests)  # requests and questions do get them


def test_chinese_variants_for_chinese_examples_only() -> None:
    assert variants("where is my order", "order_status", "zh", 3) == []
    assert variants("我的订单到哪了", "order_status", "en", 3) == []
    assert zh_without_particles("请问我的订单到哪了呢？") == "我的订单到哪了"
    made = [v for t, label in CHINESE for v in variants(t, label, "zh", 3)]
    assert made and all(CJK.search(v) for v in made)
    assert any(v.startswith(("请问", "亲", "你好", "您好", "在吗", "麻烦", "客服", "那个", "嗯", "就是")) for v in made)
    for variant in variants("好的", "affirm", "zh", 3):
        assert not variant.startswith(("请问", "亲", "你好", "您好", "客服")), variant


def test_a_variant_is_in_its_examples_fold_and_only_examples_are_read_out_of_fold() -> None:
    texts = ["track my order", "where is my parcel", "refund policy", "how do refunds work", "trak my ordr"]
    labels = ["order_status", "order_status", "faq", "faq", "order_status"]
    origin = [0, 1, 2, 3, 0]
    folds = example_folds(texts, labels, origin, 5)
    assert folds[4] == folds[0]
    # without variants, an example's fold is its own text's, as before variants existed
    assert list(example_folds(texts[:4], labels[:4], None, 5)) == [
        zlib.crc32(f"{t}\t{label}".encode()) % 5 for t, label in zip(texts[:4], labels[:4], strict=True)
    ]
    examples = [f"order question {k}" for k in range(10)] + [f"refund policy question {k}" for k in range(10)]
    kinds = ["order_status"] * 10 + ["faq"] * 10
    texts, labels = examples + [f"{t} pls" for t in examples[:5]], kinds + kinds[:5]
    origin = list(range(20)) + list(range(5))
    vectors = np.random.default_rng(0).normal(size=(25, 8)).astype(np.float32)
    out = out_of_fold(texts, vectors, labels, ["faq", "order_status"], folds=2, origin=origin)
    assert not out[20:].any() and out[:20].all()  # the examples are read out of fold, the variants are not
    plain = out_of_fold(examples, vectors[:20], kinds, ["faq", "order_status"], folds=2)
    same = out_of_fold(examples, vectors[:20], kinds, ["faq", "order_status"], folds=2, origin=list(range(20)))
    assert np.array_equal(plain, same)
