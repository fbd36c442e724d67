"""Stand-in sentence encoders for tests of what the NLU reads from a message's own words."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class ZeroEncoder:
    """An encoder whose vectors say nothing (the words are what is tested): every text the same unit vector."""

    name, dim = "zero", 8

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        out[:, 0] = 1.0
        return out
