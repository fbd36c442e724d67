"""Every bot response in domain.yml has a Chinese variant, chosen by Rasa's own response generator when the
conversation's `language` slot is zh (and only then)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from support.rasa import run_probe

from nlu_addons import PROJECT_ROOT

CJK = re.compile(r"[\u3400-\u9fff]")
ZH_CONDITION = [{"type": "slot", "name": "language", "value": "zh"}]

PROBE = """
import asyncio, json
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

domain = Domain.load("domain.yml")
nlg = TemplatedNaturalLanguageGenerator(domain.responses)

async def main():
    out = {}
    for language in ("zh", "en"):
        tracker = DialogueStateTracker.from_events("t", [SlotSet("language", language)], slots=domain.slots)
        for name in sorted(domain.responses):
            reply = await nlg.generate(name, tracker, "rest")
            out.setdefault(name, {})[language] = {"text": reply["text"], "buttons": reply.get("buttons") or []}
    return out

print(json.dumps(asyncio.run(main()), ensure_ascii=False))
"""


def domain_responses() -> dict[str, list[dict[str, object]]]:
    domain = yaml.safe_load(Path(PROJECT_ROOT, "domain.yml").read_text(encoding="utf-8"))
    responses: dict[str, list[dict[str, object]]] = domain["responses"]
    return responses


def test_every_response_has_one_chinese_variant_with_the_same_buttons() -> None:
    responses = domain_responses()
    assert responses
    for name, variants in responses.items():
        chinese = [variant for variant in variants if variant.get("condition") == ZH_CONDITION]
        english = [variant for variant in variants if "condition" not in variant]
        assert len(chinese) == 1 and english, name
        assert CJK.search(str(chinese[0]["text"])), name
        zh_buttons = chinese[0].get("buttons") or []
        en_buttons = english[0].get("buttons") or []
        assert isinstance(zh_buttons, list) and isinstance(en_buttons, list)
        assert len(zh_buttons) == len(en_buttons), name
        for zh_button, en_button in zip(zh_buttons, en_buttons, strict=True):
            assert CJK.search(zh_button["title"]), (name, zh_button)
            if str(en_button["payload"]).startswith("/"):  # an intent: the same; free text: Chinese text
                assert zh_button["payload"] == en_button["payload"], name
            else:
                assert CJK.search(zh_button["payload"]), name


def test_rasa_renders_the_chinese_reply_for_a_chinese_conversation_and_english_otherwise() -> None:
    rendered = run_probe(PROBE)
    assert set(rendered) == set(domain_responses())
    for name, by_language in rendered.items():
        assert CJK.search(by_language["zh"]["text"]), (name, by_language["zh"])
        assert not CJK.search(by_language["en"]["text"]), (name, by_language["en"])
    greet = rendered["utter_greet"]["zh"]
    assert greet["text"].startswith("您好！我是 Larkspur Home 智能助手")
    assert [button["payload"] for button in greet["buttons"]] == [
        "/order_status",
        "/request_refund",
        "配送需要多长时间？",
        "/request_human",
    ]
    assert rendered["utter_iamabot"]["zh"]["text"].startswith("我是 Larkspur Home 的智能助手")
