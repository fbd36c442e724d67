"""The optional photo step of the returns and damaged-item flows (issue 21): the bot offers to take a photo for the
team as buttons whose payloads the widget handles itself (helpdesk/files/photo_requests.py); nothing in the
dialogue waits for it, so a customer who skips it or just types on is never held up."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.product_kinds import kinds_in
from actions.texts.catalog import photos as say
from helpdesk.files.photo_requests import (
    ENTRY_PURPOSES,
    RETURN,
    SKIP,
    WRONG_ITEM,
    parse_payload,
    request_payload,
)
from helpdesk.orders import ReturnReason

# "I got the wrong item in order 100184", "the vase arrived broken", "发错货了": what arrived is wrong or damaged (the
# handbook's wrong-item and damaged-item entries), however the NLU read the order number beside it
RECEIVED_WRONG_RE = re.compile(
    r"\b(?:got|received|sent\s+me|delivered)\s+(?:\w+\s+){0,2}wrong\b|\bwrong\s+(?:item|product|colou?r)s?\b"
    # a size the shop sent wrong ("it came in the wrong size"), not a size that is wrong for the customer ("the throw
    # is the wrong size, can i return it": their return, lane cust's walk)
    r"|\b(?:arrived|came|shipped|sent)\s+(?:\w+\s+){0,2}wrong\s+sizes?\b"
    r"|\bnot\s+what\s+i\s+ordered\b|[发寄發]错|[发寄發]錯"
    # "床单颜色不对", "型号不對", "收到的不是我买的", "跟图片不一样", "货不对板": what arrived is not what was ordered
    # (not a size that does not fit, "尺码不对": the customer's choice, a return)
    r"|(?:颜色|顏色|色号|色號|款式|型号|型號|规格|規格|花色|图案|圖案|货|貨)(?:也|都|完全)?不[对對]"
    r"|不是我(?:买|買|订|訂|下单|下單|要|选|選|拍)的|[货貨]不[对對]板"
    r"|(?:和|跟|与|與)(?:图片|圖片|照片|描述|网页|網頁|页面|頁面|详情页|詳情頁)(?:上)?(?:的)?(?:不一样|不一樣|不符|不同)",
    re.IGNORECASE,
)
# the customer's own wrong choice ("I picked the wrong colour", "i ordered the wrong size", "我选错颜色了",
# "我选的尺码不对"): nothing arrived wrong, the shop sent what was ordered
CHOSE_WRONG_RE = re.compile(
    r"\bi\s+(?:\w+\s+)?(?:picked|chose|choose|selected|ordered|bought|clicked|entered|typed|put)\s+(?:in\s+)?"
    r"(?:the\s+|a\s+)?wrong\b"
    # "theyre the wrong colour for my kitchen", "wrong size for our bed": what came does not suit them (a return of
    # their choice), not what the shop sent wrong
    r"|\bwrong\s+(?:colou?r|size|shade|style|fit)\s+for\s+(?:my|our|the|me|us|this|that)\b|[选選点點下买買拍]错|[选選点點下买買拍]錯|(?<!是)我(?:自己)?(?:选|選|挑|点|點)的",
    re.IGNORECASE,
)
RECEIVED_DAMAGED_RE = re.compile(
    r"\b(?:arrived|came|was|were|is|are)\s+(?:\w+\s+)?(?:broken|damaged|cracked|chipped|smashed|dented|torn|ripped"
    r"|stained|scratched|shattered|snapped|bent|defective|faulty)\b"
    r"|\b(?:has|had|with)\s+(?:a\s+|an\s+)?(?:big\s+|huge\s+|small\s+)?(?:hole|tear|rip|crack|stain|scratch|chip|dent)s?\b"
    r"|[破碎坏壞裂]了|摔碎|裂[开開缝縫纹紋痕]|缺了?(?:一[个個]?)?[口角块塊]|磕[坏壞破]|凹[了进進]"
    # "花瓶到了是碎的" (the vase came, and it is in pieces), "寄到就是坏的", "杯子碎掉了"
    r"|(?:是|就是|都是|已经是|已經是)[破碎坏壞裂烂爛](?:的|掉的)|[碎坏壞烂爛]掉了"
    # damage as a noun or a state, with no 了: "桌布有破损", "花瓶损坏严重", "到货时已受损" (not a product question:
    # "机洗会不会损坏", "容易破损吗")
    r"|(?<![会會易不])(?:破[损損]|[损損][坏壞]|受[损損])"
    # a dent: "到的时候有个凹痕", "灯罩凹陷了" (not "会不会有凹痕", "容易凹陷吗")
    r"|(?<![会會易不有])凹(?:痕|坑|陷)|(?<![会會易不])有(?:个|個|一个|一個|一点|一點|点|點|些)?凹(?:痕|坑)",
    re.IGNORECASE,
)

# where a thing stands and what it goes with: "the rug just doesn't work in our living room", "doesnt work with our
# sofa", "doesn't work for the space" say it does not suit them (their return), not that it is faulty ("not working
# for me" still is)
SETTING = (
    r"(?:room|living|lounge|bedroom|kitchen|bathroom|dining|hall|hallway|space|home|house|flat|apartment|decor|décor"
    r"|interior|style|sofa|couch|furniture|colou?rs?|scheme|walls?|floors?|windows?|bed|table)\b"
)
# a thing that does not do what it is for ("the bulb wont light", "doesnt work", "stopped working", "wont turn on")
FAULTY_RE = re.compile(
    r"\b(?:won'?t|wont|doesn'?t|doesnt|does\s+not|will\s+not|isn'?t|isnt|is\s+not|not|never|can'?t|cant)\s+"
    r"(?:\w+\s+)?(?:work(?:ing)?(?!\s+(?:in|for|with)\s+(?:(?:my|our|the|this|that|your)\s+)?(?:\w+\s+)?"
    + SETTING
    + r")"
    r"|light(?:\s+up)?|turn(?:ing)?\s+on|switch(?:ing)?\s+on|heat(?:ing)?(?:\s+up)?|"
    r"close|shut|lock|stand|hold)\b"
    r"|\bstopped\s+working\b|\b(?:is|are|was|it'?s|its)\s+(?:\w+\s+)?(?:broken|faulty|defective|dead)\b"
    r"|\bbroke\b|\bleak(?:s|ing|ed)?\b"
    # Chinese, as the rules read it (simplified: actions/turns.py ``said``): "灯泡不亮", "开关没反应", "水壶不加热了"
    r"|不亮|不工作|不能用|用不了|没反应|失灵|故障|打不开|开不了|不加热|不转了",
    re.IGNORECASE,
)


# a thing that broke in use, some time after it came ("after one year the lamp is broken, there is guarantee?",
# "用了半年灯就坏了"): the guarantee's case (the warranty entry), not damage on arrival
IN_USE_RE = re.compile(
    r"\b(?:guarantee|warrant(?:y|ee)|covered)\b|\bafter\s+(?:a|an|one|two|three|few|some|\d+)\s+"
    r"(?:\w+\s+)?(?:days?|weeks?|months?|years?|uses?|washes?)\b|\b(?:months?|years?)\s+(?:later|ago|of\s+use)\b"
    r"|保修|质保|保固|用了(?:一|两|半|几|\d)|(?:个月|年)(?:后|以后|之后)",
    re.IGNORECASE,
)


WRONG_ITEM_ENTRY, DAMAGED_ITEM_ENTRY = "wrong-item", "damaged-item"  # their ids (helpdesk ENTRY_PURPOSES' keys)


def received_item_entry(text: str) -> str | None:
    """The handbook entry for goods that arrived wrong or damaged, when the message says so."""
    if RECEIVED_WRONG_RE.search(text) and not CHOSE_WRONG_RE.search(text):
        return WRONG_ITEM_ENTRY
    if RECEIVED_DAMAGED_RE.search(text):
        return DAMAGED_ITEM_ENTRY
    if FAULTY_RE.search(text) and not IN_USE_RE.search(text) and kinds_in(text):
        # "the coffee set from order 100198 doesnt work, the dripper leaks": faulty on arrival, the same entry ("What
        # if my item arrived damaged or faulty?") and a free return; broken in use later is the guarantee's
        return DAMAGED_ITEM_ENTRY
    return None


def return_reason_of(entry: str) -> ReturnReason:
    """Why goods go back, from the handbook entry their message was answered with (damaged-item, wrong-item)."""
    return {WRONG_ITEM_ENTRY: ReturnReason.WRONG_ITEM, DAMAGED_ITEM_ENTRY: ReturnReason.DAMAGED}.get(
        entry, ReturnReason.UNWANTED
    )


def add_photo_button(purpose: str, order_number: str | None = None) -> dict[str, str]:
    return {"title": say.ADD_PHOTO_BUTTON, "payload": request_payload(purpose, order_number)}


def return_photo_offer(order_number: str) -> tuple[str, dict[str, str]]:
    """The line under a booked return's instructions, and its button."""
    return say.AFTER_RETURN, add_photo_button(RETURN, order_number)


def ask_after_answer(dispatcher: CollectingDispatcher, faq_id: str, order_number: str | None = None) -> None:
    """After the handbook's answer about a damaged or a wrong item: a photo, if the customer wants to."""
    purpose = ENTRY_PURPOSES.get(faq_id)
    if purpose is None:
        return
    dispatcher.utter_message(
        text=say.ASK_WRONG_ITEM if purpose == WRONG_ITEM else say.ASK_DAMAGED,
        buttons=[add_photo_button(purpose, order_number), {"title": say.SKIP_BUTTON, "payload": SKIP}],
    )


def name_the_order(messages: list[dict[str, Any]], order_number: str | None) -> None:
    """Photo offers among the turn's messages that name no order (the handbook's answers are written without the
    conversation) name `order_number`, the order the customer proved is theirs, so the team sees the photo with it."""
    if not order_number or not re.fullmatch(r"\d{1,12}", order_number):
        return
    for message in messages:
        for button in message.get("buttons") or []:
            request = parse_payload(str(button.get("payload") or ""))
            if request is not None and request.order_number is None:
                button["payload"] = request_payload(request.purpose, order_number)
