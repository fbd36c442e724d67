"""Unanswered questions grouped by meaning for the editors' report (POST /kb/cluster in the action server): each
group with its closest handbook entry, a clean question to title a draft with, and tags taken from the group.

- The questions are embedded as the FAQ search embeds them (:meth:`KnowledgeBase.query_texts`: chat typos
  corrected towards the handbook's words, greeting and filler stripped), so "how long is shiping" and "how long
  is shipping" land together (helpdesk/knowledge/clusters.py groups them).
- A group's **title** is its cleanest member, corrected: a question-like member with no masked personal data
  and the fewest words the speller had to fix, the most typical first; the greeting and filler stripped.
- Its **tags** come from the entries its own members are closest to, when they are close enough to be offered
  (over the suggest threshold) for at least half of those members; otherwise the handbook's tags that the
  group's questions name. An unrelated closest entry gives none.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from helpdesk.knowledge.clusters import cluster_vectors
from helpdesk.knowledge.engine import KnowledgeBase

QUESTION_START = re.compile(
    r"^(?:how|what|when|where|which|who|why|can|could|do|does|did|is|are|will|would|should|may|have|has)\b", re.I
)
_WORD = re.compile(r"[A-Za-z]+")


def _fixed_words(original: str, corrected: str) -> int:
    return sum(
        1 for a, b in zip(_WORD.findall(original), _WORD.findall(corrected), strict=False) if a.lower() != b.lower()
    )


def group_title(originals: list[str], corrected: list[str]) -> str:
    """The draft title for a group: its cleanest member (see the module's notes) as a question."""

    def rank(i: int) -> tuple[int, int, int, int]:
        text = corrected[i]
        words = len(_WORD.findall(text))
        question = text.rstrip().endswith("?") or bool(QUESTION_START.match(text))
        return ("[" in originals[i], not question, _fixed_words(originals[i], text) + (not 3 <= words <= 20), i)

    best = corrected[min(range(len(corrected)), key=rank)]
    text = " ".join(best.split()).rstrip(" .!,;:")
    text = re.sub(r"[?？]+$", "", text)
    text = re.sub(r"\bi\b", "I", text[:1].upper() + text[1:])
    return text + ("？" if re.search(r"[\u4e00-\u9fff]$", text) else "?")


def group_tags(kb: KnowledgeBase, closest: list[tuple[str, float]], texts: list[str]) -> list[str]:
    """Tags for a group from its members' closest entries (each (id, score)), else from its own words."""
    near = [entry_id for entry_id, score in closest if score >= kb.settings.suggest_threshold]
    entries = kb.entries
    if near and len(near) * 2 >= len(closest):
        counted = Counter(tag for entry_id in near for tag in entries[entry_id].tags if entry_id in entries)
        shared = [tag for tag, n in counted.most_common() if n * 2 >= len(near)]
        if shared:
            return shared[:3]
    words = Counter(word.lower() for text in texts for word in set(_WORD.findall(text)))
    known = {tag for entry in entries.values() for tag in entry.tags}
    named = [tag for tag in known if words.get(tag, 0) + words.get(tag.rstrip("s"), 0) > 0]
    return sorted(named, key=lambda tag: (-(words.get(tag, 0) + words.get(tag.rstrip("s"), 0)), tag))[:3]


def cluster_texts(kb: KnowledgeBase, texts: list[str], threshold: float) -> list[dict[str, Any]]:
    """Group ``texts`` by meaning; each group its members (indexes, most typical first), closest entry, title
    and tags, biggest group first."""
    snapshot = kb.snapshot()
    groups = kb.query_texts(snapshot, texts)
    vectors = kb.embedder.encode_remembered([group[0] for group in groups])
    ranked = [kb.rank_vectors(snapshot, vectors[i : i + 1], 1) for i in range(len(texts))]
    found = []
    for members in cluster_vectors(vectors, threshold):
        best = ranked[members[0]]
        closest = None
        if best:
            entry = snapshot.entries[best[0][0]].entry
            closest = {
                "id": entry.id,
                "title": entry.title,
                "zh_title": entry.zh.title if entry.zh is not None else None,  # for a console in Chinese
                "score": round(float(best[0][1]), 4),
                "tags": list(entry.tags),
            }
        firsts = [ranked[i][0] for i in members if ranked[i]]
        found.append(
            {
                "members": members,
                "closest": closest,
                "title": group_title([texts[i] for i in members], [(groups[i][1:] or groups[i])[0] for i in members]),
                "tags": group_tags(kb, firsts, [texts[i] for i in members]),
            }
        )
    return found
