"""Candidate query-preparation steps (study copy; the adopted ones go into helpdesk/knowledge/query.py)."""
import re

REQUEST = re.compile(
    r"\b(?:"
    r"(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|kindly\s+)?help\s+me(?:\s+(?:out\s+)?(?:to|with|on))?"
    r"|(?:please\s+)?help\s+me(?:\s+(?:out\s+)?(?:to|with|on))?"
    r"|i(?:\s+would|'d|\s+really)?\s+(?:want|need|like|require)\s+(?:some\s+)?(?:assistance|help|support)"
    r"(?:\s+(?:with|to|on|for|in|about))?"
    r"|i(?:'ve|\s+have)\s+got\s+to|i\s+gotta"
    r"|i(?:\s+would|'d)?\s+(?:want|need|like)\s+to\s+(?:know|find\s+out|ask)(?:\s+(?:about|if|whether))?"
    r"|(?:please|kindly|pls|plz)"
    r")\b[\s,.:;]*",
    re.IGNORECASE,
)
HOW_COULD = re.compile(r"\bhow\s+(?:could|would|might|should|can)\s+(i|we)\b", re.IGNORECASE)

MONEY = re.compile(
    r"(?:[€$£]\s?\d[\d.,]*|\b\d[\d.,]*\s?(?:€|eur\b|euros?\b|dollars?\b|pounds?\b|usd\b|gbp\b|chf\b))",
    re.IGNORECASE,
)
MEASURE = re.compile(
    r"\b\d+(?:[.,]\d+)?\s?(?:[x×]\s?\d+(?:[.,]\d+)?|kg|g|cm|mm|ml|l|m)\b", re.IGNORECASE
)
NUMBER = re.compile(r"#?\b\d[\d.,/-]*\b")
QUOTED = re.compile(r"[\"“”][^\"“”]{1,40}[\"“”]")


def strip_request(text: str, how: bool = True) -> str:
    out = REQUEST.sub(" ", text)
    if how:
        out = HOW_COULD.sub(lambda m: f"how do {m.group(1)}", out)
    out = " ".join(out.split()).lstrip(" ,.;:!-")
    return out if any(c.isalnum() for c in out) else text


def mask_specifics(text: str, money: str = "money", numbers: bool = True) -> str:
    out = MONEY.sub(f" {money} " if money else " ", text)
    out = MEASURE.sub(" ", out)
    out = QUOTED.sub(" text ", out)
    if numbers:
        out = NUMBER.sub(" ", out)
    out = re.sub(r"\s+([,.!?])", r"\1", " ".join(out.split()))
    return out if any(c.isalpha() for c in out) else text


CLAUSE = re.compile(r"\s*[,;:]\s+|\s+(?:but|so|and\s+so|although|though|because|since)\s+", re.IGNORECASE)
QWORD = re.compile(
    r"^(?:what|whats|what's|where|when|why|how|which|who|can|could|do|does|did|is|are|will|would|should|may|any|have|has)\b",
    re.IGNORECASE,
)
WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def clauses(text: str, min_words: int = 3, long_words: int = 12) -> list[str]:
    """For one long sentence, its question-like clause (or last clause)."""
    if len(WORD.findall(text)) < long_words:
        return []
    parts = [p.strip(" ,.;:") for p in CLAUSE.split(text)]
    parts = [p for p in parts if len(WORD.findall(p)) >= min_words]
    if len(parts) < 2:
        return []
    q = [p for p in parts if p.endswith("?") or QWORD.match(p)]
    return (q or parts)[-1:]


def all_clauses(text: str, min_words: int = 3, long_words: int = 12, limit: int = 3) -> list[str]:
    """Every clause (≥ min_words) of a long message, split at sentence ends, commas and conjunctions: the last ``limit``."""
    if len(WORD.findall(text)) < long_words:
        return []
    parts = [p.strip(" ,.;:!?") for p in re.split(r"(?<=[.!?])\s+|\n+", text)]
    parts = [c.strip(" ,.;:") for p in parts for c in CLAUSE.split(p)]
    parts = [p for p in parts if len(WORD.findall(p)) >= min_words]
    if len(parts) < 2:
        return []
    return parts[-limit:]
