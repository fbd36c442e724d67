"""Shared helpers for the knowledge-engine tests: a small handbook and one embedder per process."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from helpdesk.knowledge.embedder import Embedder  # noqa: E402
from helpdesk.knowledge.settings import Settings  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

# Eight entries of a small shop's help centre: id → file text.
HANDBOOK: dict[str, str] = {
    "refund-policy": """---
id: refund-policy
title: What is your refund policy?
questions:
  - Can I get my money back?
  - Do you give refunds?
tags: [refunds]
---
You can return any unused item within 30 days of delivery for a full refund to your original
payment method. Items must be in their original packaging.
""",
    "delivery-time": """---
id: delivery-time
title: How long does delivery take?
questions:
  - When will my parcel arrive?
tags: [delivery]
---
Standard delivery takes 3 to 5 working days. Express delivery arrives the next working day if you
order before 2 pm.
""",
    "password-reset": """---
id: password-reset
title: How do I reset my password?
questions:
  - I forgot my password
  - I can't log in to my account
tags: [account]
---
Click "Forgot password" on the sign-in page and we will e-mail you a link to choose a new password.
""",
    "payment-methods": """---
id: payment-methods
title: Which payment methods do you accept?
questions:
  - Can I pay with PayPal?
tags: [payments]
---
We accept Visa, Mastercard, American Express, PayPal and Apple Pay.
""",
    "delete-account": """---
id: delete-account
title: How do I delete my account?
questions:
  - Please remove all my personal data
tags: [account]
---
Go to Account settings → Privacy and choose "Delete account". Your data is erased within 30 days.
""",
    "gift-cards": """---
id: gift-cards
title: Do you sell gift cards?
questions:
  - Can I buy a voucher for a friend?
tags: [gifts]
---
Yes: digital gift cards from 10 to 500 euros, delivered by e-mail and valid for two years.
""",
    "newsletter": """---
id: newsletter
title: How do I unsubscribe from the newsletter?
questions:
  - Stop sending me marketing e-mails
tags: [account]
---
Use the "Unsubscribe" link at the bottom of any newsletter, or untick the box in your account.
""",
    "store-hours": """---
id: store-hours
title: What are your shop opening hours?
questions:
  - When is the store open?
tags: [stores]
---
Our shops are open Monday to Saturday from 9 am to 7 pm, and closed on Sundays.
""",
}

# Paraphrases that share few words with their entry's questions.
PARAPHRASES: dict[str, str] = {
    "I'd like a refund for the shoes I returned, what are the rules?": "refund-policy",
    "how many days until my order gets to me": "delivery-time",
    "I don't remember my login password": "password-reset",
    "is Mastercard accepted": "payment-methods",
    "close my profile and erase everything about me": "delete-account",
    "can I buy a present voucher": "gift-cards",
    "no more promotional emails please": "newsletter",
    "what time does your shop close on saturday": "store-hours",
}

OUT_OF_SCOPE = [
    "what's the weather like in Paris tomorrow",
    "who won the football world cup",
    "write me a poem about the sea",
]


def write_handbook(root: Path, entries: dict[str, str] | None = None) -> Path:
    """Write the handbook under ``root`` (two sub-folders, like the real one) and return it."""
    for number, (entry_id, text) in enumerate((entries or HANDBOOK).items()):
        folder = root / ("account" if number % 2 else "shop")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{entry_id}.md").write_text(text, encoding="utf-8")
    return root


def entry_path(root: Path, entry_id: str) -> Path:
    return next(root.rglob(f"{entry_id}.md"))


@functools.cache
def shared_embedder() -> Embedder:
    """One loaded model per test process, however many modules ask for it."""
    embedder = Embedder()
    embedder.load()
    return embedder


def kb_settings(index_dir: Path, **changes: object) -> Settings:
    """Settings for tests: a private index folder, fixed thresholds."""
    base = Settings(index_dir=index_dir, answer_threshold=0.6, suggest_threshold=0.4, margin=0.04)
    return base.replace(**changes)


def kb_env() -> dict[str, str]:
    """Environment for CLI subprocesses: offline, no project overrides leaking in."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("KB_")}
    env["HF_HUB_OFFLINE"] = "1"
    return env
