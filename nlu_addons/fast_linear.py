"""The NLU's fitted scikit-learn models applied to one message with numpy alone: the same arithmetic as their
`transform` / `predict_proba`, without scikit-learn's per-call input checks and sparse-matrix set-up.

Every message goes through three of them (nlu_addons/intent_head.py: logistic regression on the embedding and on
character n-gram TF-IDF; nlu_addons/arbiter.py: a scaler and a logistic regression). Measured on the trained model
(2-core AMD EPYC): the head's `predict_proba` was 0.83 ms (English) and 1.10 ms (Chinese) of CPU a message, most of
it scikit-learn's checks (`check_array`, `_validate_data`, `check_is_fitted`, a CSR matrix per call); it was 9.3 %
of Rasa's busy samples under the load benchmark (issue 22).

Only the configurations fitted here take the numpy path (multinomial logistic regression, a char / char_wb TF-IDF
with sublinear tf, idf and l2 norm, a standard scaler); anything else goes through scikit-learn as before, so a
model fitted another way still gives scikit-learn's answer. tests/nlu_addons/test_fast_linear.py checks that both
paths give the same probabilities.
"""

from __future__ import annotations

import weakref
from collections import Counter
from typing import Any

import numpy as np

# the prepared vectorizers, beside the fitted objects (never on them: a model pickled after a prediction would
# carry them into its file)
_PREPARED: weakref.WeakKeyDictionary[Any, _Tfidf | None] = weakref.WeakKeyDictionary()


def _multinomial(model: Any) -> bool:
    """`model` is a LogisticRegression whose `predict_proba` is the softmax of its decision function."""
    if type(model).__name__ != "LogisticRegression" or not hasattr(model, "coef_"):
        return False
    classes = len(getattr(model, "classes_", ()))
    multi_class = getattr(model, "multi_class", "auto")
    if multi_class == "multinomial":
        return True
    return multi_class == "auto" and classes > 2 and getattr(model, "solver", "lbfgs") != "liblinear"


def softmax_rows(decision: np.ndarray) -> np.ndarray:
    """Row-wise softmax (scikit-learn's `softmax`: the row's maximum subtracted first)."""
    shifted = np.exp(decision - decision.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True))


def probabilities(model: Any, x: np.ndarray) -> np.ndarray:
    """`model.predict_proba(x)` for dense rows `x`."""
    if not _multinomial(model):
        return np.asarray(model.predict_proba(x))
    decision = np.asarray(x, dtype=np.float64) @ model.coef_.T + model.intercept_
    return softmax_rows(decision)


def scaled(scaler: Any, x: np.ndarray) -> np.ndarray:
    """`scaler.transform(x)` for a fitted StandardScaler (dense rows)."""
    if type(scaler).__name__ != "StandardScaler":
        return np.asarray(scaler.transform(x))
    out = np.array(x, dtype=np.float64)
    if getattr(scaler, "with_mean", True) and scaler.mean_ is not None:
        out -= scaler.mean_
    if getattr(scaler, "with_std", True) and scaler.scale_ is not None:
        out /= scaler.scale_
    return out


class _Tfidf:
    """A fitted TfidfVectorizer's vocabulary, idf weights and analyzer, for one text at a time."""

    def __init__(self, vectorizer: Any) -> None:
        self.analyze = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float64)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The text's non-zero columns and their TF-IDF values (sublinear tf, idf, l2 norm)."""
        counts = Counter(j for gram in self.analyze(text) if (j := self.vocabulary.get(gram)) is not None)
        columns = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        values = np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))) + 1.0
        values *= self.idf[columns]
        norm = float(np.sqrt(values @ values)) if len(values) else 0.0
        if norm > 0.0:
            values /= norm
        return columns, values


def _tfidf(vectorizer: Any) -> _Tfidf | None:
    """The prepared vectorizer, or None when it is not a configuration `_Tfidf` reproduces."""
    if vectorizer in _PREPARED:
        return _PREPARED[vectorizer]
    exact = (
        type(vectorizer).__name__ == "TfidfVectorizer"
        and vectorizer.analyzer in ("char", "char_wb")
        and vectorizer.sublinear_tf
        and vectorizer.use_idf
        and vectorizer.norm == "l2"
        and not vectorizer.binary
        and np.dtype(vectorizer.dtype) == np.float64
        and hasattr(vectorizer, "vocabulary_")
    )
    prepared = _Tfidf(vectorizer) if exact else None
    _PREPARED[vectorizer] = prepared
    return prepared


def text_probabilities(vectorizer: Any, model: Any, texts: list[str]) -> np.ndarray:
    """`model.predict_proba(vectorizer.transform(texts))`."""
    tfidf = _tfidf(vectorizer)
    if tfidf is None or not _multinomial(model):
        return np.asarray(model.predict_proba(vectorizer.transform(texts)))
    decision = np.tile(np.asarray(model.intercept_, dtype=np.float64), (len(texts), 1))
    for i, text in enumerate(texts):
        columns, values = tfidf.row(text)
        if len(columns):
            decision[i] += model.coef_[:, columns] @ values
    return softmax_rows(decision)
