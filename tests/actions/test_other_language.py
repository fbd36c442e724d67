"""actions/other_language.py: a message in a language the bot does not speak is told so (English and Chinese), an
English one never is. Messages written for this test."""

from __future__ import annotations

import pytest

from actions.other_language import other_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("hallo, ich habe eine frage zu meiner bestellung", "de"),
        ("wie lange dauert die lieferung nach wien?", "de"),
        ("bonjour, où est ma commande ?", "fr"),
        ("hola, dónde está mi pedido", "es"),
        ("ciao, dove è il mio ordine", "it"),
        ("hoi, waar is mijn bestelling", "nl"),
        ("olá, onde está minha encomenda", "pt"),
    ],
)
def test_a_message_in_another_language_is_told_apart(text: str, language: str) -> None:
    assert other_language(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "where is my order",
        "I bought the Bon Appetit plate and the die is cast",  # French and German words inside English
        "my name is Jan de Vries, where is my order?",
        "is the linen de luxe cover in stock",
        "can i pay with klarna",
        "订单100234到哪了",
        "merci",  # one word: not enough to tell
    ],
)
def test_english_or_too_little_is_not_another_language(text: str) -> None:
    assert other_language(text) is None
