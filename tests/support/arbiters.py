"""An arbiter whose probabilities the test chooses (nlu_addons.arbiter.StackedArbiter): the rules the arbiter applies
after its model (which flow an order number or a Chinese word settles, the handbook gate) tested on their own."""

from __future__ import annotations

import numpy as np

from nlu_addons.arbiter import StackedArbiter, features


class SureModel:
    """A model giving every row the same probabilities."""

    def __init__(self, row: list[float]) -> None:
        self.row = row

    def predict_proba(self, rows: np.ndarray) -> np.ndarray:
        return np.tile(self.row, (len(rows), 1))


def arbiter_torn(texts: list[str], scores: np.ndarray, sure: dict[str, float]) -> tuple[np.ndarray, StackedArbiter]:
    """An arbiter giving every message the probabilities ``sure`` (per class) whatever it is shown."""
    classes = sorted(sure)
    x = features(np.tile([sure[c] for c in classes], (len(texts), 1)), scores, texts)
    labels = [classes[i % len(classes)] for i in range(len(texts) * len(classes))]
    arbiter = StackedArbiter(answer_at=0.65, clarify_at=0.1).fit(np.vstack([x] * len(classes)), labels)
    arbiter._model = SureModel([sure[c] for c in arbiter.classes])
    return x, arbiter
