"""nlu_addons/fast_linear.py: the intent head's and the arbiter's probabilities through numpy are scikit-learn's."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from nlu_addons import fast_linear
from nlu_addons.arbiter import StackedArbiter
from nlu_addons.intent_head import IntentHead

TEXTS = [
    "where is my order", "my parcel has not arrived", "has my package shipped yet", "tracking number please",
    "I want my money back", "refund the broken lamp", "can I get a refund", "return this chair for a refund",
    "hello there", "hi", "good morning", "hey, anyone there?",
    "我的订单到哪里了", "快递还没到", "我要退款", "你好",
]  # fmt: skip
LABELS = ["order"] * 4 + ["refund"] * 4 + ["greet"] * 4 + ["order", "order", "refund", "greet"]
# float32 embeddings: recent scikit-learn computes their decision in float32 (Rasa's, 1.1, in float64, as here)
CLOSE = 1e-6
QUERIES = ["wher is my ordr??", "REFUND NOW", "hi hi hi", "", "zzzz qqq", "退款 please", "the lamp arrived broken"]


def vectors(n: int, seed: int) -> np.ndarray:
    found = np.random.default_rng(seed).standard_normal((n, 16)).astype(np.float32)
    return np.asarray(found / np.linalg.norm(found, axis=1, keepdims=True))


def test_the_head_gives_scikit_learns_probabilities() -> None:
    head = IntentHead().fit(TEXTS, vectors(len(TEXTS), 1), LABELS)
    queries = vectors(len(QUERIES), 2)
    dense = head._dense.predict_proba(queries)
    chars = head._chars.predict_proba(head._vectorizer.transform(QUERIES))
    expected = (1 - head.char_weight) * dense + head.char_weight * chars
    for i, text in enumerate(QUERIES):  # one message at a time, as the NLU asks
        np.testing.assert_allclose(head.predict_proba([text], queries[i : i + 1]), expected[i : i + 1], atol=CLOSE)
    np.testing.assert_allclose(head.predict_proba(QUERIES, queries), expected, atol=CLOSE)
    assert fast_linear._tfidf(head._vectorizer) is not None  # the numpy path was the one taken


def test_a_head_with_a_second_encoder_averages_one_regression_per_encoder() -> None:
    """The English side's head reads both encoders' embeddings (issue 17): the embedding part is the mean of each
    encoder's logistic regression, and such a head refuses to predict without the second embedding."""
    first, second = vectors(len(TEXTS), 1), vectors(len(TEXTS), 5)
    head = IntentHead().fit(TEXTS, first, LABELS, second)
    queries, others = vectors(len(QUERIES), 2), vectors(len(QUERIES), 6)
    dense = (head._dense.predict_proba(queries) + head._second.predict_proba(others)) / 2
    chars = head._chars.predict_proba(head._vectorizer.transform(QUERIES))
    expected = (1 - head.char_weight) * dense + head.char_weight * chars
    np.testing.assert_allclose(head.predict_proba(QUERIES, queries, others), expected, atol=CLOSE)
    with pytest.raises(ValueError, match="second encoder"):
        head.predict_proba(QUERIES, queries)


def test_the_arbiter_gives_scikit_learns_probabilities() -> None:
    x = np.random.default_rng(3).standard_normal((40, 6)) * 3 + 1
    labels = [("a", "b", "c")[i % 3] for i in range(40)]
    arbiter = StackedArbiter(0.5, 0.3).fit(x, labels)
    rows = np.random.default_rng(4).standard_normal((5, 6))
    expected = arbiter._model.predict_proba(arbiter._scale.transform(rows))
    np.testing.assert_allclose(arbiter.probabilities(rows), expected, atol=1e-12)


@pytest.mark.parametrize(
    "vectorizer",
    [
        TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
        TfidfVectorizer(analyzer="word", sublinear_tf=True),  # not reproduced: scikit-learn's own transform
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=False),  # likewise
    ],
)
def test_other_vectorizers_and_models_give_scikit_learns_answer(vectorizer: TfidfVectorizer) -> None:
    y = [LABELS.index(label) for label in LABELS]
    matrix = vectorizer.fit_transform(TEXTS)
    for model in (LogisticRegression(max_iter=2000).fit(matrix, y), LogisticRegression(max_iter=2000).fit(
        matrix, [label == 0 for label in y]
    )):  # fmt: skip
        expected = model.predict_proba(vectorizer.transform(QUERIES))
        np.testing.assert_allclose(fast_linear.text_probabilities(vectorizer, model, QUERIES), expected, atol=1e-12)


def test_a_scaler_without_centring_is_applied_as_fitted() -> None:
    x = np.random.default_rng(5).standard_normal((20, 4)) + 2
    for scaler in (StandardScaler(), StandardScaler(with_mean=False), StandardScaler(with_std=False)):
        scaler.fit(x)
        np.testing.assert_allclose(fast_linear.scaled(scaler, x[:3]), scaler.transform(x[:3]), atol=1e-12)
