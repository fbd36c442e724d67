"""A question whether a product comes in a colour (or another option) beside another question: "is the linen duvet
cover available in a king size? also do you have it in green" (lane cen, 2026-12-07). The handbook, asked "do you
have it in green" alone, is unsure of any entry (its "it" leans on the other question), so the several-questions
answer left it out without a word. The product-availability entry answers it: options (colours, sizes) are shown on
the product page, each with its own stock. Only for such a clause beside another question: a message of that
question alone keeps the routing's own decision (no dev row has such words)."""

from __future__ import annotations

import re

PRODUCT_AVAILABILITY_ENTRY = "product-availability"

COLOURS = (
    r"(?:green|blue|red|yellow|pink|gr[ae]y|white|black|beige|brown|navy|sage|oat|clay|rust|ochre|stone|charcoal"
    r"|cream|orange|purple|teal|olive|colou?rs?)"
)
OPTION_ASKED_RE = re.compile(
    # "do you have it in green", "does it come in other colours", "is it available in grey too"
    r"\b(?:have|has|got|stock|sell|come|comes|available|make|do)\b[^.?!]*\bin\s+(?:(?:a|the)\s+)?"
    r"(?:other|another|different|more|dark|light|pale)?\s*" + COLOURS + r"\b"
    # "what colours does it come in", "any other colours?"
    r"|\bwhat\s+(?:other\s+)?colou?rs\b|\b(?:any|other|more)\s+colou?rs\b",
    re.IGNORECASE,
)


def option_asked(question: str) -> bool:
    """The question asks whether a product comes in a colour, or which colours it comes in."""
    return OPTION_ASKED_RE.search(question) is not None
