"""The NLU's encoders remember the embeddings of short stock messages ("hi there", "thank you", "谢谢") sent one at a
time (nlu_addons/encoders.py `RecentStockMessages`, issue 22): the same message again costs no encoder pass and gets
the very row the pass gave; batches and customer-specific messages always reach the encoder; the memory is bounded;
and the wrapped encoder's vocabulary (the handbook index's speller reads it) still shows through."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from nlu_addons import DEFAULT_MODEL_DIR
from nlu_addons.encoders import MiniLMOnnx, RecentStockMessages, encoder_named, is_stock_message


class Counting:
    """A deterministic stand-in encoder that records every text it embeds."""

    name, dim = "counting", 4

    def __init__(self) -> None:
        self.seen: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.append(list(texts))
        rows = np.array([[len(t), t.count("h"), t.count(" "), 1.0] for t in texts], dtype=np.float32)
        out: np.ndarray = rows / np.linalg.norm(rows, axis=1, keepdims=True)
        return out


class WithVocabulary(Counting):
    def vocabulary(self) -> frozenset[str]:
        return frozenset({"order", "delivery"})


@pytest.mark.parametrize(
    "text",
    ["hi there", "thanks, bye", "thank you", "ok", "cheers, super helpful", "谢谢", "好的，多谢啦", "paypal ok?"],
)
def test_short_impersonal_messages_are_stock_messages(text: str) -> None:
    assert is_stock_message(text)


@pytest.mark.parametrize(
    "text",
    [
        "ann.lee@example.com",  # one customer's own
        "order 100234",
        "我的订单100234",
        "I want to talk to a person",  # more than three words
        "can I pay with paypal",
        "how long does delivery take to the netherlands?",
        "麻烦看一下我上周买的东西发货没有",  # a Chinese question, not a stock phrase
    ],
)
def test_long_or_personal_messages_are_not(text: str) -> None:
    assert not is_stock_message(text)


def test_a_stock_message_again_costs_no_pass_and_gets_the_same_row() -> None:
    inner = Counting()
    memo = RecentStockMessages(inner)
    first = memo.encode(["thank you"])
    first[0, 0] = 99.0  # what a caller does with its row does not reach the next caller
    again = memo.encode(["thank you"])
    assert inner.seen == [["thank you"]]
    assert np.array_equal(again, inner.encode(["thank you"]))
    assert again.shape == (1, 4) and again.dtype == np.float32


def test_batches_and_other_messages_always_reach_the_encoder() -> None:
    inner = Counting()
    memo = RecentStockMessages(inner)
    for _ in range(2):
        memo.encode(["hi", "hello"])  # a batch (training, a handbook index)
        memo.encode(["where is my order 100234?"])
        memo.encode(["ann.lee@example.com"])
    assert inner.seen == [["hi", "hello"], ["where is my order 100234?"], ["ann.lee@example.com"]] * 2


def test_only_the_latest_stock_messages_are_kept() -> None:
    inner = Counting()
    memo = RecentStockMessages(inner, size=2)
    for text in ["hi", "hello", "hi", "thanks", "hi", "hello"]:
        memo.encode([text])
    # "hello" was the least recently used when "thanks" came, so it was embedded again; "hi" was kept throughout
    assert [texts[0] for texts in inner.seen] == ["hi", "hello", "thanks", "hello"]


def test_the_encoders_vocabulary_shows_through() -> None:
    assert RecentStockMessages(WithVocabulary()).vocabulary() == frozenset({"order", "delivery"})
    assert RecentStockMessages(Counting()).vocabulary() is None


@pytest.mark.skipif(not (DEFAULT_MODEL_DIR / "model.onnx").is_file(), reason="no ONNX export (make onnx-model)")
def test_the_process_encoder_remembers_and_its_row_is_a_fresh_passs_row() -> None:
    """The English encoder the NLU uses: a remembered greeting equals, bit for bit, what a new pass over it gives."""
    encoder = encoder_named("minilm")
    assert isinstance(encoder, RecentStockMessages) and isinstance(encoder.encoder, MiniLMOnnx)
    remembered = [encoder.encode(["hi there"]) for _ in range(3)][-1]
    assert np.array_equal(remembered, MiniLMOnnx().encode(["hi there"]))
