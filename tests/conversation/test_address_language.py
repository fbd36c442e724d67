"""A Latin-script address from a Chinese customer does not switch the conversation to English (issue 18 leftovers,
zh-desk 5): an address is written as its country writes it ("33000 Bordeaux"), so an answer to "what's the new
delivery address?" carries no language of its own and the bot keeps answering in Chinese; nor does an e-mail address
switch the conversation's stored language (what the console shows and the helpdesk's own notices follow).

Order 100259 (Thomas Leroy, placed, France) as in tests/conversation/test_dialogue_walk.py: nothing here changes it.
"""

from __future__ import annotations

import re
import sqlite3

from support.chat import Chat, another_address, client_from

ORDER = "100259"
EMAIL = "thomas.leroy@example.com"
CJK = re.compile(r"[\u3400-\u9fff]")


def stored_language(db: sqlite3.Connection, chat: Chat) -> str:
    """The conversation's language as the helpdesk stored it."""
    return str(db.execute("SELECT language FROM conversations WHERE id = ?", (chat.id,)).fetchone()["language"])


def message_languages(db: sqlite3.Connection, chat: Chat) -> dict[str, str]:
    """Each customer message's stored language, by its text."""
    rows = db.execute(
        "SELECT text, language FROM messages WHERE conversation_id = ? AND sender = 'customer'", (chat.id,)
    )
    return {row["text"]: row["language"] for row in rows}


def test_an_email_address_keeps_the_conversations_stored_language(helpdesk_url: str, db: sqlite3.Connection) -> None:
    chat = Chat(client_from(helpdesk_url, another_address()))
    chat(f"我要取消订单{ORDER}")
    chat(EMAIL)  # nothing about a language: the conversation stays Chinese
    assert stored_language(db, chat) == "zh"
    assert message_languages(db, chat)[EMAIL] == "zh"
    chat("不用了")
    chat("where is my order?")  # English words: the conversation follows the customer
    assert stored_language(db, chat) == "en"


def test_a_latin_address_from_a_chinese_customer_is_answered_in_chinese(helpdesk_url: str) -> None:
    chat = Chat(client_from(helpdesk_url, another_address()))
    chat(f"我要修改订单{ORDER}的收货地址，邮箱 {EMAIL}")
    assert "新收货地址" in chat.text, chat.texts
    chat("Rue Sainte-Catherine 12")  # only the street: the bot asks for the rest, in Chinese
    assert "这个地址里缺少邮编和城市。" in chat.text, chat.texts
    chat("33000 Bordeaux")
    assert "Thomas Leroy, Rue Sainte-Catherine 12, 33000 Bordeaux" in chat.text, chat.texts
    assert all(CJK.search(text) for text in chat.texts), chat.texts  # was English from here on
    chat("不用了")
    assert all(CJK.search(text) for text in chat.texts), chat.texts

    whole = Chat(client_from(helpdesk_url, another_address()))
    whole(f"订单{ORDER}要换个收货地址，邮箱是 {EMAIL}")
    assert "新收货地址" in whole.text, whole.texts
    whole("12 Rue Sainte-Catherine, 33000 Bordeaux, France")
    assert "33000 Bordeaux" in whole.text and all(CJK.search(text) for text in whole.texts), whole.texts
    whole("不用了")


def test_a_latin_address_keeps_the_conversations_stored_language(helpdesk_url: str, db: sqlite3.Connection) -> None:
    # the address is written in Latin letters but not in English: the console keeps showing a Chinese conversation
    chat = Chat(client_from(helpdesk_url, another_address()))
    chat(f"订单{ORDER}的收货地址要改一下，邮箱 {EMAIL}")
    assert "新收货地址" in chat.text, chat.texts
    address = "Rue Sainte-Catherine 12, 33000 Bordeaux"
    chat(address)
    assert all(CJK.search(text) for text in chat.texts), chat.texts
    assert stored_language(db, chat) == "zh"
    assert message_languages(db, chat)[address] == "zh"
    chat("不用了")
    chat("please cancel it")  # English words: the conversation follows the customer
    assert stored_language(db, chat) == "en"


def test_an_address_in_china_gets_the_countries_the_shop_delivers_to(helpdesk_url: str) -> None:
    """The walkthrough of 2026-12-06 (fourth session): "上海市浦东新区世纪大道100号 200120" at the new-address question
    was read as order 200120 (its postcode has six digits) and its identity asked for; read as an address it got
    "这个地址里缺少邮编、街道和门牌号和城市" (it has all of them). It is an address in China, where the shop does not
    deliver: the customer is told where it does. Then "那改成 12 Rue de Rivoli, 75001 Paris" kept "那改成" in the
    street."""
    chat = Chat(client_from(helpdesk_url, another_address()))
    chat(f"我想改一下收货地址，订单{ORDER}")
    chat(EMAIL)
    assert "新收货地址" in chat.text, chat.texts
    chat("上海市浦东新区世纪大道100号 200120")
    assert "200120" not in chat.text and "缺少" not in chat.text, chat.texts
    assert "我们不配送到中国" in chat.text and "欧盟国家" in chat.text, chat.texts
    chat("那改成 12 Rue de Rivoli, 75001 Paris")
    assert f"要把订单 {ORDER} 的收货地址改为 Thomas Leroy, 12 Rue de Rivoli, 75001 Paris, 法国 吗？" in chat.text, (
        chat.texts
    )
    chat("不用了")


def test_a_romanian_postcode_at_the_new_address_question_is_no_order_number(helpdesk_url: str) -> None:
    """Romania's postcodes have six digits, as the shop's order numbers do: "Strada Victoriei 10, 010011 Bucuresti,
    Romania" got the identity check for "order 010011". Order 100260 (Matteo Ricci, paid, Italy; 100255 is cancelled
    by another test): the change is declined at its yes/no."""
    chat = Chat(client_from(helpdesk_url, another_address()))
    chat("i need to change the address on 100260")
    chat("matteo.ricci@example.net")
    chat("Strada Victoriei 10, 010011 Bucuresti, Romania")
    assert "order 010011" not in chat.text, chat.texts  # the identity check for another order
    assert "Shall I change the delivery address of order 100260 to Matteo Ricci, Strada Victoriei 10, 010011" in (
        chat.text
    ), chat.texts
    chat("no")


def test_an_address_in_france_written_in_chinese_asks_for_it_as_france_writes_it(helpdesk_url: str) -> None:
    """The czh lane's walk (2026-12-07): "法国波尔多圣凯瑟琳街12号，邮编33000" (all of it in Chinese) got "this address
    lacks the postcode, the street and the town", the postcode given. A French courier reads Latin letters: that is
    what the customer is told, and the address written so is taken as written, town and all."""
    chat = Chat(client_from(helpdesk_url, another_address()))
    chat(f"我要修改订单{ORDER}的收货地址，邮箱 {EMAIL}")
    chat("法国波尔多圣凯瑟琳街12号，邮编33000")
    assert "法国的快递员需要按当地写法、用拉丁字母书写的地址。" in chat.text, chat.texts
    assert "缺少" not in chat.text, chat.texts
    chat("12 Rue Sainte-Catherine, 33000 Bordeaux")
    assert "Thomas Leroy, 12 Rue Sainte-Catherine, 33000 Bordeaux" in chat.text, chat.texts
    chat("不用了")


def test_the_town_is_kept_as_written_without_the_words_after_it(helpdesk_url: str) -> None:
    """The czh lane's walk (2026-12-07): "…能改成 Via Roma 1, 00184 Roma 吗 邮箱marco.rossi@…" put "Roma 吗 邮箱marco…"
    on the summary as the town, for the yes to write on the parcel. The town as the customer wrote it, and no more."""
    chat = Chat(client_from(helpdesk_url, another_address()))
    chat(f"我下单时地址写错了 订单{ORDER} 能改成 12 Rue Sainte-Catherine, 33000 Bordeaux 吗 邮箱{EMAIL}")
    assert "Thomas Leroy, 12 Rue Sainte-Catherine, 33000 Bordeaux, 法国 吗？" in chat.text, chat.texts
    chat("不用了")
