"""PNG plots for the `make eval` report (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend is chosen first
import numpy as np  # noqa: E402


def confusion_png(matrix: Sequence[Sequence[int]], labels: Sequence[str], title: str, path: Path) -> None:
    """Rows: the true intent, columns: the predicted one; colour is the share of the row, text the count."""
    counts = np.array(matrix, dtype=float)
    totals = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    size = max(6.0, 0.45 * len(labels) + 2.5)
    fig, ax = plt.subplots(figsize=(size + 1.5, size))
    image = ax.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("predicted intent")
    ax.set_ylabel("true intent")
    ax.set_title(title)
    for row in range(len(labels)):
        for column in range(len(labels)):
            if counts[row, column]:
                colour = "white" if shares[row, column] > 0.6 else "black"
                ax.text(column, row, f"{int(counts[row, column])}", ha="center", va="center", fontsize=7, color=colour)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="share of the true intent's messages")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def tradeoff_png(
    sweeps: Mapping[str, Sequence[Mapping[str, float]]], chosen: float, path: Path, reason: str = ""
) -> None:
    """Left: answered rate against wrong-answer rate, one curve per split, the chosen threshold marked.
    Right: the rates against the answer threshold (the test split)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.5))
    styles = {"test": "-", "dev": "--"}
    for split, rows in sweeps.items():
        x = [100 * row["wrong_rate_all"] for row in rows]
        y = [100 * row["answered_rate"] for row in rows]
        left.plot(x, y, styles.get(split, ":"), marker=".", label=f"{split} split")
        for row in rows:
            if abs(row["answer_threshold"] - chosen) < 1e-9:
                left.scatter(
                    [100 * row["wrong_rate_all"]],
                    [100 * row["answered_rate"]],
                    s=120,
                    zorder=5,
                    facecolors="none",
                    edgecolors="red",
                    linewidths=2,
                )
                left.annotate(
                    f"chosen {chosen:.2f} ({split})",
                    (100 * row["wrong_rate_all"], 100 * row["answered_rate"]),
                    textcoords="offset points",
                    xytext=(8, -14),
                    color="red",
                    fontsize=8,
                )
        for row in rows[::5] if split == "test" else ():
            left.annotate(
                f"{row['answer_threshold']:.2f}",
                (100 * row["wrong_rate_all"], 100 * row["answered_rate"]),
                textcoords="offset points",
                xytext=(-24, 4),
                fontsize=7,
                color="gray",
            )
    left.set_xlabel("wrong answers, % of all messages (in-scope wrong entry + out-of-scope answered)")
    left.set_ylabel("in-scope questions answered, %")
    left.set_title("Handoff trade-off: answer_threshold sweep")
    left.grid(alpha=0.3)
    left.legend(loc="lower right")
    rows = sweeps.get("test") or next(iter(sweeps.values()))
    thresholds = [row["answer_threshold"] for row in rows]
    for key, label in (
        ("answered_rate", "in-scope answered"),
        ("wrong_answer_rate", "in-scope answered wrongly"),
        ("oos_answered_rate", "out-of-scope answered"),
        ("handoff_rate", "in-scope handed off"),
    ):
        right.plot(thresholds, [100 * row[key] for row in rows], marker=".", label=label)
    right.axvline(chosen, color="red", linestyle=":", label=f"kb.yml answer_threshold {chosen:.2f}")
    right.set_xlabel("answer_threshold")
    right.set_ylabel("% of in-scope (or out-of-scope) questions")
    right.set_title("Rates by threshold (test split)")
    right.grid(alpha=0.3)
    right.legend(fontsize=8)
    if reason:
        fig.text(0.01, 0.01, reason, fontsize=7, color="dimgray", wrap=True)
        fig.tight_layout(rect=(0, 0.06, 1, 1))
    else:
        fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def accuracy_bars_png(groups: Mapping[str, Mapping[str, Any]], title: str, path: Path) -> None:
    """One bar per group (`accuracy` in 0..1, `n` messages), labelled with the count."""
    names = list(groups)
    values = [100 * groups[name]["accuracy"] for name in names]
    fig, ax = plt.subplots(figsize=(max(6.0, 0.5 * len(names) + 3), 4.5))
    bars = ax.bar(range(len(names)), values, color="#4b44a8")
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right", fontsize=8)
    ax.set_ylim(0, 105)
    ax.set_ylabel("accuracy, %")
    ax.set_title(title)
    for bar, name in zip(bars, names, strict=True):
        ax.text(
            bar.get_x() + bar.get_width() / 2, bar.get_height() + 1, f"n={groups[name]['n']}", ha="center", fontsize=7
        )
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


OUTCOME_COLOURS = {"right": "#2e7d32", "clarify": "#f9a825", "handoff": "#1565c0", "wrong": "#c62828"}


def outcomes_png(sets: Sequence[Mapping[str, Any]], path: Path) -> None:
    """One horizontal bar per routing set, split into right / clarify / handoff / wrong (shares of its rows)."""
    labels = [f"{item['title']} ({item['language']}, {item['n']})" for item in sets]
    fig, ax = plt.subplots(figsize=(11, 0.45 * len(sets) + 1.6))
    left = np.zeros(len(sets))
    for category, colour in OUTCOME_COLOURS.items():
        shares = np.array([100 * item["rates"][category] for item in sets])
        ax.barh(range(len(sets)), shares, left=left, color=colour, label=category)
        left += shares
    ax.set_yticks(range(len(sets)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.axvline(90, color="black", linewidth=0.8, linestyle="--")
    ax.set_xlabel("% of first messages (out of scope: refused counts as right); dashed line: the 90 % target")
    ax.legend(ncol=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
