"""Several requests in one message, and questions that name alternatives (issue 16.2).

"where is my order 100234 and how do I return something broken" holds an order request and a handbook question: the
bot says it will take them in turn, answers the question from the handbook and goes on with the order. "can I pay
with paypal or klarna" names two things: when the handbook entry found answers for one of them only, each is looked
up and both answers are given. The split is by words and punctuation, so it works whatever the NLU pipeline decided
for the whole message. Chinese is split at its own sentence ends (。？！；), after a question particle (吗, 呢) and
before a word that joins a second question (另外, 还有, 顺便问一下…): "退货运费谁出？另外一般几天能到货" is two
questions, "我的订单100234到哪了？还有退货运费谁出" an order request and a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actions.order_state import CANCEL, CHANGE_ADDRESS, CHANGES, ORDER_STATUS, REFUND_STATUS, RETURN
from actions.parsing import EMAIL_RE, NAMED_NUMBER_RE, ORDER_NUMBER_RE, ZH_NAMED_NUMBER_RE, corrected_away
from actions.product_kinds import goods_called_it, kinds_in
from actions.typos_zh import fix_slips_zh
from helpdesk.knowledge.query import Speller
from helpdesk.orders.policy_texts_zh import COUNTRY_NAMES as CHINESE_COUNTRY_NAMES
from nlu_addons.arbiter import ZH_GENERAL_QUESTION
from nlu_addons.language import CJK, language_of, simplified

# where one request ends and the next begins: a question mark or a full stop, a semicolon, "and" / "also" before a
# question word or a new request, or a comma before a question word
QUESTION_START = (
    r"(?:how|what|when|where|why|which|who|can|could|do|does|did|is|are|will|would|should|may|i|i'd|i'm|i've|"
    r"also|please|pls|cancel|return|change|track|send|whats|wats|wat|hows|wheres|whens|cn|u)\b"
)
SPLIT_RE = re.compile(
    r"(?<=[?.!])\s+|\s*;\s*|,?\s+(?:and\s+also|and\s+then|and\s+plus|also|plus|and|but)\s+(?=" + QUESTION_START + r")"
    r"|,\s+(?=(?:how|what|when|where|why|which|can|could|do|does|is|are|will|would|should)\b)",
    re.IGNORECASE,
)
# Chinese: a word joining a second question to the first ("…？另外…", "…，还有…", "顺便问一下…")
ZH_JOINING = (
    r"(?:另外|还有|還有|还想问一下|還想問一下|还想问|還想問|顺便问一下|順便問一下|顺便问下|順便問下|顺便|順便|"
    r"再问一下|再問一下|以及|而且|对了|對了|然后|然後|再就是)"
)
# a Chinese clause that starts by naming the order already named ("这个订单能退货吗", "这单还能取消吗")
ZH_BACK_REFERENCE = r"(?:这个|這個|那个|那個)(?:订单|訂單)|这单|這單|那单|那單"
# where a Chinese request ends: a sentence's end (full or half width), a question particle before a comma or a space,
# or a comma or a space before a joining word or a clause naming the order already named ("订单100234到哪了，这个订单
# 能退货吗": two requests)
ZH_SPLIT_RE = re.compile(
    r"(?<=[。？！；?!;])\s*|(?<=[吗嗎呢])[，,、\s]+|[，,、\s]+(?=" + ZH_JOINING + "|" + ZH_BACK_REFERENCE + r")"
)
# a Chinese question: the arbiter's question words and particles (nlu_addons.arbiter), and the words that ask where,
# who, what or whether ("退货运费谁出", "有没有加急")
ZH_QUESTION_RE = re.compile(
    ZH_GENERAL_QUESTION.pattern + r"|[哪谁誰呢]|什[么麼]|有没有|有沒有|会不会|會不會|要不要|支不支持|收不收"
)
# a greeting or a filler word before the question ("hey how long does delivery take", "quick q - is the … washable")
LEAD_IN = (
    r"^\s*(?:(?:hi|hey|hello|ok|okay|so|right|um|hmm|btw|oh|also|quick\s+(?:q|question)|one\s+more\s+(?:thing|question)"
    r"|just\s+wondering)\b[\s,.!:\-–]*)*"
)
QUESTION_RE = re.compile(
    r"\?\s*$|" + LEAD_IN + r"(?:how|what|why|when|where|which|who|can|could|do|does|is|are|will|would|should|may"
    r"|whats|wats|wat|hows|wheres|whens)\b",  # "whats ur refund polcy": chat spellings too
    re.IGNORECASE,
)
# an order request in a clause: the flow it asks for, recognised only with an order number or "my order" in it, so a
# handbook question about the same topic ("how do returns work?") is not one; in Chinese the customer's own refund
# or return too ("我的退款到哪了？订单100165 邮编20121": the refund's status, not a question for the handbook)
ORDER_REF_RE = re.compile(
    r"\b(?:my|the|this|that)\s+(?:order|parcel|package|purchase)\b"
    r"|我的(?:订单|訂單|包裹|快递|快遞|退款|退货|退貨)|[这這那](?:个|個|笔|筆)?(?:订单|訂單|单|單)",
    re.IGNORECASE,
)
FLOW_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (CANCEL, re.compile(r"\bcancel|取消|撤[单單销銷]", re.IGNORECASE)),
    (
        REFUND_STATUS,
        re.compile(
            r"\b(?:where|status|when)\b.*\b(?:refund|money)\b"
            r"|退款.*(?:到哪|进度|進度|状态|狀態|什么时候|什麼時候|还没|還沒|没到|沒到|到账|到帳|呢)"
            r"|[钱錢].*(?:退回|到账|到帳|还没|還沒)",
            re.IGNORECASE,
        ),
    ),
    (
        RETURN,
        re.compile(
            r"^(?!\s*(?:how|what|can|could|do|does)\b).*\b(?:return|send\s+\w*\s*back)\b"
            r"|^(?!.*(?:怎|如何|能不能|可不可以|[吗嗎]|[?？])).*(?:退货|退貨|退回|寄回|(?<![不别別])[想要]退(?![款钱錢]))",
            re.IGNORECASE,
        ),
    ),
    (
        ORDER_STATUS,
        re.compile(
            r"\b(?:where|status|track\w*|arriv\w*|when\s+will|shipped|deliver\w*)\b"
            r"|到哪|物流|发货|發貨|什么时候到|什麼時候到|还没到|還沒到|还没收到|還沒收到|状态|狀態|进度|進度",
            re.IGNORECASE,
        ),
    ),
)
MIN_QUESTION_WORDS = 3
# the words that name each order flow, in English and Chinese, wherever they stand: "yes, cancel it" names the
# cancellation, so at "Shall I check on your refund instead?" it means carry on, not switch
FLOW_NAMES: dict[str, re.Pattern[str]] = {
    CANCEL: re.compile(r"\bcancel|取消", re.IGNORECASE),
    RETURN: re.compile(r"\breturn|\bsend\s+\w*\s*back\b|退货|退回", re.IGNORECASE),
    REFUND_STATUS: re.compile(r"\brefund|\bmoney\s+back\b|退款", re.IGNORECASE),
    ORDER_STATUS: re.compile(r"\b(?:where|track\w*|arriv\w*|shipped|deliver\w*)\b|物流|快递|到哪|发货", re.IGNORECASE),
    CHANGE_ADDRESS: re.compile(r"\bad+res+\b|地址", re.IGNORECASE),  # "adress", "addres" too
}


def clauses(text: str) -> list[str]:
    """The parts of a message that may each be a request (a Chinese message split at its own marks too)."""
    parts = SPLIT_RE.split(text)
    if language_of(text) == "zh":
        parts = [piece for part in parts if part for piece in ZH_SPLIT_RE.split(part)]
    return [part.strip(" ,，、") for part in parts if part and part.strip(" ,，、")]


# a clause that only acknowledges or fills ("ok", "oh right", "thanks", "好的", "嗯"): no request of its own
FILLER_WORDS = (
    r"ok(?:ay)?|k|so|and|oh|ah|ugh|meh|sigh|well|yeah|yep|hmm+|um+|right|alright|cool|great|fine|then|thanks|"
    r"thank\s+you|thx|ty|i\s+see|"
    r"好的?|嗯+|哦+|噢|行|明白了?|知道了|谢谢|謝謝"
)
FILLER_CLAUSE_RE = re.compile(r"^(?:(?:" + FILLER_WORDS + r")[\s,.!~，。！]*)+$", re.IGNORECASE)
# the same words leading a Chinese clause the comma did not split off ("谢谢，那可以改地址吗")
ZH_FILLER_LEAD_RE = re.compile(r"^(?:(?:好的?|嗯+|哦+|噢|行|明白了?|知道了|谢谢|謝謝)\s*[，,。！!~]\s*)+")


def request_clauses(text: str) -> list[str]:
    """The clauses of a message without those that only acknowledge ("ok and can i change the adress still?" is one
    request, "can i change the adress still?"; "谢谢，那可以改地址吗" is "那可以改地址吗")."""
    parts = (ZH_FILLER_LEAD_RE.sub("", part) for part in clauses(text) if not FILLER_CLAUSE_RE.match(part))
    return [part for part in parts if part]


# "also how long does delivery take", "另外一般几天能到": the word joining a clause to the one before is not part of
# its question
JOINING_WORD = re.compile(r"^(?:(?:and\s+also|and|also|plus|but)\s+|" + ZH_JOINING + r"[，,：:\s]*)", re.IGNORECASE)


def size(clause: str) -> int:
    """A clause's length in words, a Chinese character counting as one."""
    return len(CJK.sub(" ", clause).split()) + len(CJK.findall(clause))


def without_lead_in(question: str) -> str:
    """The question without the greeting or filler before it ("quick q - is it washable?" -> "is it washable?")."""
    return re.sub(LEAD_IN, "", question, flags=re.IGNORECASE).strip() or question


# a question that only voices puzzlement about what the rest of the message says ("…still no money?? whats going
# on", "what happened", "how come"): nothing to look up on its own
PUZZLED_RE = re.compile(
    r"^\W*(?:so\s+|like\s+|ok\s+)?(?:(?:what'?s|whats|wats|what\s+is)\s+(?:going\s+on|happening|up|the\s+(?:deal|problem|"
    r"hold\s*up|issue))|what\s+(?:happened|gives|the\s+hell|is\s+going\s+on)|how\s+come|wtf|why\s+not|why)"
    r"(?:\s+(?:here|now|with\s+(?:it|that|this|my\s+\w+)))?[\s?!.]*$",
    re.IGNORECASE,
)


def is_question(clause: str) -> bool:
    """A clause that asks something, in English or Chinese, long enough to be looked up on its own."""
    asks = QUESTION_RE.search(clause) or (language_of(clause) == "zh" and ZH_QUESTION_RE.search(clause))
    return bool(asks) and size(clause) >= MIN_QUESTION_WORDS and PUZZLED_RE.match(clause) is None


# a Chinese clause that only asks how to go about what the clause before it says ("订单下了以后还能取消吗，要怎么操作",
# "想开个会员，流程是什么"): no topic of its own, so it is part of that clause, not a question to look up alone (alone,
# "要怎么操作" was answered from how-to-order beside the cancellation; issue 18)
ZH_LEANS_ON_BEFORE_RE = re.compile(
    r"^(?:那|那么|那麼|请问|請問)?(?:我|具体|具體)?(?:要|该|該|应该|應該|需要)?(?:怎么|怎麼|怎样|怎樣|如何|咋)(?:样|樣)?"
    r"(?:操作|弄|办|辦|做|处理|處理|搞|申请|申請|办理|辦理)?(?:呢|啊|呀)?[\s？?。.!！]*$"
    r"|^(?:那|请问|請問)?(?:流程|步骤|步驟|手续|手續)(?:是)?(?:什么|什麼|怎样|怎樣)(?:呢|啊)?[\s？?。.!！]*$"
)


# a Chinese clause that only names a topic to ask about ("那退货呢？", "退款呢"): the question after it is about that
# topic ("那退货呢？要自己付运费吗" asks who pays a return's postage, not the delivery's)
ZH_TOPIC_ONLY_RE = re.compile(r"^(?:那|那么|那麼)?\s*(?P<topic>[^，,。？?！!\s]{1,6}?)\s*呢[？?]*$")


# a Chinese clause asking only how much ("多少钱", "要多少钱"), a question about sending (not already about the
# postage), and the particle and marks that end a question
ZH_BARE_PRICE_RE = re.compile(
    r"^(?:那|那么|那麼)?(?:要|大概|一般|大约|大約)?(?:多少钱|多少錢|多少|收多少钱|收多少錢)(?:呢|啊|呀)?[\s？?。.!！]*$"
)
ZH_SENDING_RE = re.compile(r"^(?!.*(?:运费|運費|邮费|郵費)).*(?:寄|送|配送|发货|發貨|快递|快遞)")
ZH_QUESTION_END_RE = re.compile(r"[吗嗎呢吧啊呀]?[\s？?。.!！，,]*$")
# "请问发爱尔兰吗", "你们发不发爱尔兰": 发 (发货 said short) or 寄 before a country asks whether the shop sends
# there; put as the handbook words it ("能寄到爱尔兰吗"), since alone it was too unlike it to be answered, and only
# the postage asked beside it was (lane czh, 2026-12-07). Read in simplified characters.
ZH_COUNTRY = "|".join(sorted(map(re.escape, CHINESE_COUNTRY_NAMES.values()), key=len, reverse=True))
ZH_SENDS_THERE_RE = re.compile(
    r"^(?:请问|你们|贵店|那|那么)*(?:能|可以|能不能|可不可以|会|会不会)?(?:发|寄)(?:不发|不寄)?(?:货)?(?:到|去|往)?"
    r"(?P<place>" + ZH_COUNTRY + r")(?:吗|么|嘛|不|没|没有)?[\s？?。.!！]*$"
)


def zh_sends_there(clause: str) -> str:
    """``clause`` asked as the handbook asks it when it asks whether the shop sends to a country (ZH_SENDS_THERE_RE),
    else ``clause``."""
    sends = ZH_SENDS_THERE_RE.match(simplified(clause.strip()))
    return f"能寄到{sends['place']}吗？" if sends else clause


# where two Chinese questions may be joined without a question mark: a comma, or a space between Chinese characters
# (typed in a chat box in place of punctuation: "你们是哪里发货的 几天能到上海")
ZH_QUESTIONS_JOINED_RE = re.compile(rf"[，,]|(?<={CJK.pattern})\s+(?={CJK.pattern})")


def zh_questions(parts: list[str]) -> list[str]:
    """A Chinese message's clauses as its questions: two questions joined by a comma or a space are two ("运费多少钱，
    多久能到", "你们是哪里发货的 几天能到上海"); a clause naming only a topic is the topic of the question after it
    ("那退货呢？要自己付运费吗" -> "退货要自己付运费吗")."""
    split: list[str] = []
    for part in parts:
        pieces = [zh_sends_there(piece.strip()) for piece in ZH_QUESTIONS_JOINED_RE.split(part)]
        # (not a how-clause leaning on the question before it: "…还能取消吗，要怎么操作" is one question)
        if (
            len(pieces) == 2
            and all(is_question(piece) for piece in pieces)
            and not ZH_LEANS_ON_BEFORE_RE.match(pieces[1])
        ):
            split.extend(pieces)
        else:
            split.append(pieces[0] if len(pieces) == 1 else part)
    for index in range(1, len(split)):
        before = split[index - 1]
        # "能寄到爱尔兰吗？多少钱": a bare 多少钱 after a question about sending there asks the postage (alone it was
        # too short to look up, and the price went unanswered)
        if ZH_BARE_PRICE_RE.match(split[index]) and is_question(before) and ZH_SENDING_RE.search(before):
            split[index] = ZH_QUESTION_END_RE.sub("", before) + "运费多少钱"
    joined: list[str] = []
    for index, part in enumerate(split):
        topic = ZH_TOPIC_ONLY_RE.match(part)
        if topic and index + 1 < len(split) and is_question(split[index + 1]):
            split[index + 1] = topic.group("topic") + split[index + 1]
            continue
        joined.append(part)
    return joined


# an English clause that asks only how long, how much or when ("how much is shipping to ireland and how long"): a
# question about the clause before it, whose topic it takes ("how long" + "shipping to ireland"); alone it was too
# short to look up, and the delivery time went unanswered
EN_BARE_QUESTION_RE = re.compile(
    r"^(?:(?:how\s+(?:long|much|many|fast|soon|quickly)|when|where\s+from|what\s+time)"
    r"(?:\s+(?:does|will|would)\s+(?:it|that|they)\s+(?:take|cost|arrive|come)"
    # "do you ship to ireland and how much is it": "how much is it" asks the price of the clause before it too
    r"|\s+(?:is|are)\s+(?:it|that|this|they)|\s+(?:will|would)\s+(?:it|that)\s+be)?"
    r"|what\s+(?:does|would|will)\s+(?:it|that)\s+cost|what(?:'s|s|\s+is)\s+the\s+(?:cost|price))"
    r"\W*$",
    re.IGNORECASE,
)
# the pronoun a bare question ends with ("how much is it"): the clause before it is what "it" is
EN_BARE_PRONOUN_RE = re.compile(
    r"\s+(?:(?:is|are)\s+(?:it|that|this|they)|(?:will|would)\s+(?:it|that)\s+be)$", re.IGNORECASE
)
# a clause that tells or asks for something ("i want to return my lamp", "my order is late"): a bare "how long" after it
# does not make it a question ("ship to ireland and how much" does)
EN_STATEMENT_RE = re.compile(r"^(?:i|i'm|im|i've|i'd|my|we|we're|it|it's|its|this|that|the)\b", re.IGNORECASE)
# the question words before a clause's topic ("how much is shipping to ireland" -> "shipping to ireland")
EN_QUESTION_LEAD_RE = re.compile(
    r"^(?:how\s+(?:much|long|many|fast|soon)|what|when|where|which|who|why|can|could|do|does|is|are|will|would)\b"
    r"(?:\s+(?:is|are|does|do|will|would|can|it|the|i|you|we|cost|take|costs|takes))*\s+",
    re.IGNORECASE,
)


# a yes/no question about "it" and nothing else ("how long does shipping to germany take and is it free", "… and does
# it cost extra"): "it" is the topic of the clause before, put in its place ("is shipping to germany free"); alone it
# was no question to look up, and only the other one was answered
EN_BARE_YES_NO_RE = re.compile(
    r"^(?P<verb>is|are|will|would|does|do)\s+(?:it|that|this|they)\s+"
    r"(?P<rest>(?:be\s+)?(?:free|tracked|insured|expensive|cheap|extra|cost\s+(?:anything|extra|more|money))"
    r"(?:\s+of\s+charge)?(?:\s+(?:too|as\s+well|also))?)\W*$",
    re.IGNORECASE,
)


def en_bare_questions(parts: list[str]) -> list[str]:
    """An English message's clauses with each bare "how long" / "how much" / "when" after a question given that
    question's topic ("how much is shipping to ireland", "how long" -> "…", "how long shipping to ireland"), and each
    bare "is it free" the topic in place of its "it" ("is shipping to germany free")."""
    for index in range(1, len(parts)):
        bare = EN_BARE_QUESTION_RE.match(parts[index])
        yes_no = EN_BARE_YES_NO_RE.match(parts[index])
        before = parts[index - 1]
        # "ship to ireland and how much": the bare question makes the clause before it one too
        if (bare or yes_no) and (
            is_question(before) or (size(before) >= MIN_QUESTION_WORDS and not EN_STATEMENT_RE.match(before))
        ):
            topic = EN_QUESTION_LEAD_RE.sub("", before.rstrip(" ?!."), count=1)
            topic = re.sub(r"\s+(?:costs?|takes?|be)$", "", topic, flags=re.IGNORECASE)
            if topic and yes_no:
                parts[index] = f"{yes_no.group('verb')} {topic} {yes_no.group('rest')}?"
            elif topic:
                asked = EN_BARE_PRONOUN_RE.sub("", parts[index].rstrip(" ?!."))  # "how much is it" -> "how much"
                parts[index] = f"{asked} {topic}"
            if topic and not is_question(before):
                parts[index - 1] = f"{before.rstrip(' .!')}?"
    return parts


def questions_in(text: str) -> list[str]:
    """The question-like clauses of a message ("paypal or klarna? also how long does delivery take" -> "paypal or
    klarna?", "how long does delivery take"; "退货运费谁出？另外一般几天能到" -> "退货运费谁出？", "一般几天能到"),
    each without the word joining it to the one before; a Chinese clause that only asks how ("要怎么操作") stays with
    the clause before it, and a Chinese message's clauses are read as its questions by :func:`zh_questions`."""
    parts: list[str] = []
    for clause in clauses(text):
        part = JOINING_WORD.sub("", clause)
        if parts and ZH_LEANS_ON_BEFORE_RE.match(part):
            parts[-1] += part if parts[-1].endswith(tuple("？?。.!！，,")) else f"，{part}"
        else:
            parts.append(part)
    parts = zh_questions(parts) if language_of(text) == "zh" else en_bare_questions(parts)
    return [p for p in parts if is_question(p)]


# "cancel it", "send that back" once the conversation knows an order: the order just talked about
DONE_TO_IT_RE = re.compile(r"\b(?:cancel|return|send)\s+(?:it|that|this|them|that\s+one)\b", re.IGNORECASE)
# Chinese leaves the "it" out: once the conversation knows an order, a clause that is nothing but the change asked
# for ("能取消吗", "那就取消吧", "帮我退掉", "可以改地址吗") is about that order. The words allowed around the change:
# "then", "please", "can I / can you", a particle; anything else ("订单一般能取消吗", "怎么取消") is another question
ZH_AROUND_BEFORE = (
    r"^(?:那|那就|那么|那麼|好|好的|嗯|还是|還是|直接|就|请|請|麻烦|麻煩|帮我|幫我|给我|給我|我想|我要|我能|能不能|"
    r"可不可以|可以|能|现在|現在|马上|馬上|还能|還能|[，,\s]"
    # "还没发货能取消吗" right after a paid order's status: its not having shipped is why it can still be cancelled
    r"|(?:趁|既然)?(?:还没|還沒|没|沒)(?:有)?(?:发货|發貨|发出|發出|寄出|出货|出貨)(?:的话|的話)?)*"
)
ZH_AROUND_AFTER = r"(?:掉|了|吧|一下|它|这单|這單|这个|這個|[，,\s])*[吗嗎吧呢啊呀哈么麼？?。.!！\s]*$"
ZH_BARE_REQUESTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (flow, re.compile(ZH_AROUND_BEFORE + f"(?:{words})" + ZH_AROUND_AFTER))
    for flow, words in (
        (CANCEL, r"取消|撤[单單销銷]"),
        (RETURN, r"退[货貨掉]?|退了|寄回去?"),  # "那能退吗" too (not 退款, a refund: the words after are fixed)
        (CHANGE_ADDRESS, r"改(?:一下|下)?(?:收货|收貨)?地址"),
        # "那退款呢", "我的退款什么时候到" right after a cancellation: that order's refund
        # (a word of where it stands is needed: "那能退款吗" asks whether a refund is possible)
        (REFUND_STATUS, r"(?:我的)?退款(?:呢|(?:什么|什麼|啥)时候到|到哪了|到哪里了|到哪裡了|到账了没|到賬了沒)"),
    )
)


def bare_request_zh(clause: str) -> str | None:
    """The order flow a Chinese clause asks for with nothing but the change in it ("能取消吗"), if it is one."""
    return next((flow for flow, words in ZH_BARE_REQUESTS if words.search(clause.strip())), None)


# English the same way: once the conversation knows an order, "can i change the adress", "i need to cancel",
# "could i still return it?" name nothing but the change, so they are about that order (right after a status check
# the handbook's policy answer was given, and the address typed next was read as order details). The words allowed
# around the change: a filler, "can I / could you / I'd like to / is it possible to", "please", "still", "it"; a
# question about orders in general ("can orders be cancelled?", "how do I change an address?") is no such clause
EN_AROUND_BEFORE = (
    r"^(?:(?:ok(?:ay)?|so|then|and|oh|hmm|um|actually|also|wait|sorry|hi|hey|cool|great|right|alright|thanks|thx)\b"
    r"[\s,.!]*)*"
    r"(?:(?:can|could|may)\s+(?:i|you|we|u)\s+|(?:i|we)\s*(?:'d|would)\s+like\s+(?:you\s+)?to\s+"
    r"|(?:i|we)\s+(?:want|need|have)\s+(?:you\s+)?to\s+|i\s+wanna\s+|(?:is\s+it\s+)?possible\s+to\s+"
    r"|(?:what|how)\s+about\s+|(?:i|we)\s*(?:'d|would)\s+(?:rather|prefer)\s+(?:to\s+)?)?"
    r"(?:(?:still|please|pls|just|now)\s+)*"
)
EN_AROUND_AFTER = (
    r"(?:\s+(?:please|pls|plz|then|too|now|still|instead|tho|though|as\s+well|also|asap"
    r"|(?:for|of|on)\s+(?:it|them|this|that|this\s+order|that\s+order|the\s+order)))*"
    r"\s*[?.!]*\s*$"
)
EN_BARE_REQUESTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (flow, re.compile(EN_AROUND_BEFORE + f"(?:{words})" + EN_AROUND_AFTER, re.IGNORECASE))
    for flow, words in (
        (CANCEL, r"cancel(?:l?ing)?(?:\s+(?:it|this|that|the\s+order))?"),
        (
            RETURN,
            r"(?:return(?:ing)?|send(?:ing)?\s+back)(?:\s+(?:it|them|this|that|everything))?"
            r"|send(?:ing)?\s+(?:it|them)\s+back"
            r"|(?:get|have)\s+(?:a\s+|my\s+)?(?:refund|money\s+back)",  # the refund a return brings
        ),
        (
            CHANGE_ADDRESS,
            r"(?:chang|updat|fix|correct|edit)(?:e|es|ing)?\s+(?:the\s+|my\s+|its\s+|their\s+)?"
            r"(?:delivery\s+|shipping\s+)?ad+res+"
            # where it should go instead, named but not given: "… to my office", "… to a different one"
            r"(?:\s+to\s+(?:my|our|the|a|an)\s+(?:new\s+|different\s+|other\s+|work\s+|home\s+)?"
            r"(?:office|work|workplace|home|house|flat|apartment|address|one|place))?",
        ),
        (
            # "what about my refund?", "and where's my refund", "when do i get my money back" once an order is known
            # (a cancellation just made): that order's refund, not the handbook's topics about refunds
            REFUND_STATUS,
            r"(?:(?:where|when)(?:\s*'?s|\s+is|\s+will\s+i\s+get|\s+do\s+i\s+get)\s+)?(?:my|the)\s+"
            r"(?:refund|money(?:\s+back)?)|(?:the\s+)?refund\s+status",
        ),
    )
)


def bare_request(clause: str) -> str | None:
    """The order flow a clause asks for with nothing but the change (or the refund) in it, in English ("can i change
    the adress", "what about my refund?") or Chinese ("能取消吗", "退款呢"): about the order the conversation knows."""
    text = clause.strip()
    found = next((flow for flow, words in EN_BARE_REQUESTS if words.search(text)), None)
    return found or bare_request_zh(text)


# the words that name an order and its flows, and the chat typos of them a speller fixes first: "i whant to retrun my
# order 100212", "cancle", "adress", "oder", "refnd" (helpdesk.knowledge.query.Speller: one edit, the first and last
# letter kept or two neighbours swapped)
FLOW_VOCABULARY = frozenset(
    {"return", "cancel", "refund", "address", "delivery", "delivered", "deliver", "order", "where", "change", "track",
     "tracking", "arrive", "arrived", "shipped", "package", "parcel", "money", "status", "send", "back"}
)  # fmt: skip
FLOW_SPELLER = Speller((), FLOW_VOCABULARY, dict.fromkeys(FLOW_VOCABULARY, 1))


def spelled(clause: str) -> str:
    """``clause`` with chat typos of the flows' words read as those words: English (:data:`FLOW_SPELLER`) and Chinese
    typing slips ("定单100259可以改地只吗": actions/typos_zh.py)."""
    return fix_slips_zh(FLOW_SPELLER(clause))


def order_request(clause: str, order_known: bool = False) -> str | None:
    """The order flow a clause asks for, if it names an order (or, with `order_known`, has it done to "it", or is a
    Chinese clause naming only the change, :func:`bare_request_zh`); chat typos of the flows' words are read as
    those words (:func:`spelled`)."""
    clause = spelled(clause)
    names = ORDER_NUMBER_RE.search(clause) or ORDER_REF_RE.search(clause)
    if not names and order_known and (bare := bare_request_zh(clause)) is not None:
        return bare
    if not names and not (order_known and DONE_TO_IT_RE.search(clause)):
        return None
    return flow_named_in(clause)


# the order's status asked beside a no to a change, about the order just discussed: "actually no wait, dont cancel
# it. can you just tell me when it ships", "no keep it, where is it now?", "算了不取消了，帮我查一下什么时候发货"
STATUS_OF_IT_RE = re.compile(
    r"\b(?:where\s+(?:is|'?s)\s+it|when\s+(?:will|does|do|would)\s+(?:it|they)\s+(?:ship|leave|arrive|come|get\s+here"
    r"|be\s+(?:shipped|sent|delivered))|when\s+(?:it|they)\s+(?:ships?|leaves?|arrives?|comes?)"
    r"|(?:is|has)\s+it\s+(?:shipped|been\s+(?:shipped|sent)|left|on\s+its\s+way)|track(?:ing)?(?:\s+(?:it|link|number))?)\b"
    r"|到哪|(?:什么|什麼|啥)时候(?:发货|發貨|到|寄|送)|(?:什么|什麼|啥)時候(?:發貨|到|寄|送)|[发發]货了(?:吗|嗎|没|沒)|物流",
    re.IGNORECASE,
)


def asks_status_of_it(text: str) -> bool:
    """A clause of `text` asks where the order being talked about is, and none says not to check (a status question
    beside a no to a change: :data:`STATUS_OF_IT_RE`)."""
    return any(STATUS_OF_IT_RE.search(clause) for clause in clauses(text)) and not declines_flow(text, ORDER_STATUS)


# "… and can i return the bowls from it?" beside "where's order 100162": a change asked for the order the message
# names, in a clause of its own that refers back to it (or names the change alone with the order known: "cancel it")
SAME_ORDER_REF_RE = re.compile(
    r"\b(?:from|of|in|on|for|to)\s+(?:it|that|this)(?:\s+(?:order|one|parcel))?\b|这个订单|這個訂單|这单|這單|它",
    re.IGNORECASE,
)


# a question about how changes work, even about this order ("what is your return policy for it?"): the handbook's
POLICY_QUESTION_RE = re.compile(
    r"\b(?:how\s+(?:do|does|long|much)|what(?:'s|\s+is|\s+are)|policy|rules?)\b|怎么|怎麼|如何|政策|规则|規則",
    re.IGNORECASE,
)


# sending goods back, in English or Chinese (退 not of money: 退款, 退钱)
RETURNS_GOODS_RE = re.compile(r"\breturn\b|\bsend\s+(?:\w+\s+){0,3}back\b|退(?![款钱錢])|寄回", re.IGNORECASE)


def handbook_questions(questions: list[str], flow_done: str | None = None) -> list[str]:
    """The questions for the handbook among ``questions``: not a change of the order the message is about ("… and
    can i return the bowls from it?", taken up after the request: actions/next_request.py)."""
    return [question for question in questions if same_order_change(question, flow_done) is None]


def returns_goods(clause: str) -> bool:
    """The clause asks to send back goods of the shop's kinds ("另外蜡烛能退吗", "also can i return the candles")."""
    return RETURNS_GOODS_RE.search(clause) is not None and bool(kinds_in(clause))


def same_order_change(clause: str, flow_done: str | None = None) -> str | None:
    """The change (cancel, new address, return) a clause without an order number of its own asks for the order the
    message names, if it is another than `flow_done`."""
    if ORDER_NUMBER_RE.search(clause) or POLICY_QUESTION_RE.search(clause):
        return None
    flow = order_request(clause, order_known=True)
    if flow is None and SAME_ORDER_REF_RE.search(clause):
        flow = next((f for f in (CHANGE_ADDRESS, CANCEL, RETURN) if names_flow(clause, f)), None)
    if flow is None:
        # a clause naming nothing but the change beside the one naming the order ("where is my order 100262 and can
        # i change the adress"): that order's change (it was the handbook's answer about address changes, then the
        # status, and the change never started)
        flow = bare_request(clause)
    if flow is None and returns_goods(clause):
        # "另外蜡烛能退吗", "also can i return the candles" beside the order's status: those goods of that order (the
        # handbook's candle-care answer was given for it, lane czh 2026-12-07)
        flow = RETURN
    return flow if flow in CHANGES and flow != flow_done and not declines_flow(clause, flow) else None


def same_order_changes(text: str, flow_done: str | None) -> list[tuple[str, str]]:
    """The other changes a message asks for the order it names, as (flow, the clause asking): "where's order 100162
    and can i return the bowls from it?" after the status -> [(return, "can i return the bowls from it?")]."""
    found: list[tuple[str, str]] = []
    for clause in clauses(text):
        flow = same_order_change(JOINING_WORD.sub("", clause), flow_done)
        if flow is not None and flow not in {f for f, _ in found}:
            found.append((flow, clause))
    return found


def same_order_requests(text: str, flow_done: str | None) -> list[tuple[str, str]]:
    """:func:`same_order_changes`, and after a change also the order's status when a clause of its own asks for it
    ("hi, my order hasnt arrived yet and i also want to change the adress": the status once the address is
    changed; "我的订单还没到，另外我想改一下收货地址")."""
    found = same_order_changes(text, flow_done)
    if flow_done not in CHANGES:
        return found
    for clause in clauses(text):
        bare = JOINING_WORD.sub("", clause)
        if ORDER_NUMBER_RE.search(bare) or POLICY_QUESTION_RE.search(bare) or not ORDER_REF_RE.search(bare):
            continue
        if names_flow(bare, flow_done):
            continue  # the change's own clause ("change the delivery address on my order"): no status asked
        if order_request(bare) == ORDER_STATUS and not declines_flow(bare, ORDER_STATUS):
            return [*found, (ORDER_STATUS, clause)]
    return found


def other_order_requests(text: str, order_id: str, flow_done: str | None = None) -> list[tuple[str, str]]:
    """The requests of a message about orders other than `order_id`, as (flow, order number): "cancel 100259 and
    where is 100234?" about 100259 -> [(order_status, "100234")]. Orders named beside `order_id` in its own clause
    share its request, `flow_done` when the clause's words name none ("帮我查下100236和100235两个订单", "check 100236
    and 100235 for me": the second was never looked at)."""
    found: list[tuple[str, str]] = []
    for clause in clauses(text):
        numbers = ORDER_NUMBER_RE.findall(clause)
        if order_id in numbers:
            # "100262错了，应该是100259" with 100259 done: the number corrected away is no other order (lane czh)
            dropped = corrected_away(clause, list(dict.fromkeys(numbers)))
            numbers = numbers if order_id in dropped else [n for n in numbers if n not in dropped]
            shared = order_request(clause) or flow_done
            found.extend((shared, number) for number in dict.fromkeys(numbers) if number != order_id and shared)
            continue
        flow = order_request(clause) if numbers else None
        if numbers and flow is not None:
            found.append((flow, numbers[0]))
    return found


# another order than the one being talked about, not named by its number: "but also my other order never came",
# "and another parcel hasn't arrived", "另外一个订单还没到", "还有一个订单要取消"
OTHER_ORDER_RE = re.compile(
    r"\b(?:my|the|an?)\s+(?:other|second|2nd)\s+(?:order|parcel|package|purchase|delivery)\b"
    r"|\banother\s+(?:order|parcel|package|purchase|delivery)\b"
    r"|另(?:外)?(?:一|1)?(?:个|個|笔|筆)(?:订单|訂單|包裹|快递|快遞)|[还還]有(?:一|1)(?:个|個|笔|筆)(?:订单|訂單|包裹|快递|快遞)",
    re.IGNORECASE,
)
# what the customer says of an order that never reached them, besides the status words (FLOW_WORDS): its status
NOT_ARRIVED_RE = re.compile(
    r"\b(?:never|not|hasn'?t|havent|haven'?t|didn'?t|still\s+not)\s+(?:\w+\s+)?(?:came|come|arrived?|got\s+here|shown?\s+up)\b"
    r"|没到|沒到|没收到|沒收到|没来|沒來|还没|還沒",
    re.IGNORECASE,
)
# when an order leaves the shop, asked of the other order ("and when does my other order ship?", "has my other
# order been dispatched"): its status, besides the status words (FLOW_WORDS, whose "shipped" misses "ship")
SHIPS_WHEN_RE = re.compile(
    r"\b(?:when|has|have|did|is|was)\b.{0,40}\b(?:ship|ships|shipping|dispatch(?:ed)?|sent\s+out|go(?:es)?\s+out)\b",
    re.IGNORECASE,
)


def unnamed_other_order_requests(text: str) -> list[str]:
    """The order requests a message makes about another order it does not name by number, as flows: "I want to
    return something but also my other order never came" -> [order_status]; "另外一个订单帮我取消" -> [cancel]."""
    found: list[str] = []
    for whole in clauses(text):
        clause = _after_numbered_order(whole)
        if clause is None or ORDER_NUMBER_RE.search(clause):
            continue
        flow = next((f for f, words in FLOW_WORDS if words.search(spelled(clause))), None)
        if flow is None and (NOT_ARRIVED_RE.search(clause) or SHIPS_WHEN_RE.search(clause)):
            flow = ORDER_STATUS
        if flow is not None and flow not in found and not declines_flow(clause, flow):
            found.append(flow)
    return found


def only_other_order(text: str) -> bool:
    """Every order request of the message is about another order it does not name ("ok thanks but where is my other
    order", "另一个订单到哪了"): not the order the conversation knows (its proof was asked for: lane cust's note,
    2026-12-07)."""
    if ORDER_NUMBER_RE.search(text) or not unnamed_other_order_requests(text):
        return False
    asking = [clause for clause in clauses(text) if any(words.search(spelled(clause)) for _, words in FLOW_WORDS)]
    return all(OTHER_ORDER_RE.search(clause) for clause in asking)


def first_of_two_orders(text: str, requests: Requests) -> bool:
    """The message names more than one order, and its first order request is a clause about the first order named
    ("100234到哪了？另外100262帮我取消"): that clause's flow is the first request, whatever the NLU read of the
    whole."""
    numbers = list(dict.fromkeys(match.group(1) for match in ORDER_NUMBER_RE.finditer(text)))
    if len(numbers) < 2 or requests.order_part is None:
        return False
    return numbers[0] in requests.order_part and numbers[1] not in requests.order_part


def _after_numbered_order(clause: str) -> str | None:
    """The words of `clause` about another order, from after the order number said before them ("订单100198的床笠收到时
    破了，另一个订单什么时候发货" is one clause: its "另一个订单什么时候发货"); None when it names no other order."""
    other = OTHER_ORDER_RE.search(clause)
    if other is None:
        return None
    ends = [number.end() for number in ORDER_NUMBER_RE.finditer(clause) if number.end() <= other.start()]
    return clause[max(ends, default=0) :]


def names_flow(text: str, flow: object) -> bool:
    """The message names order flow `flow` in words (FLOW_NAMES)."""
    words = FLOW_NAMES.get(str(flow))
    return words is not None and words.search(text) is not None


# a "not" in a message ("yes, don't cancel it", "好的，那就不取消了"): naming a change beside it asks for nothing
NEGATION_RE = re.compile(r"\b(?:not|no|don'?t|never)\b|不|别|別|没|沒", re.IGNORECASE)
# the "not" right before the words naming a change: "don't cancel it", "I'd rather not cancel", "算了不取消了",
# "我不想取消了", "别取消"
NOT_BEFORE = (
    r"(?:\b(?:don'?t|do\s+not|not|never|no\s+need\s+to)\s+(?:\w+\s+){0,2}"
    r"|(?:不要|不用|不想|不必|不|别|別|甭)(?:再|要)?)"
)


# the short Chinese verbs a change is declined with besides its name: "我还是不退了", "不改了"
DECLINED_VERBS: dict[str, str] = {RETURN: r"退(?!款)", CHANGE_ADDRESS: r"改"}


# "don't keep it", "not keep it": no keeping
NOT_BEFORE_KEEP_RE = re.compile(r"\b(?:don'?t|do\s+not|not|never|no\s+need\s+to)\s+(?:\w+\s+){0,3}keep", re.IGNORECASE)
# keeping the order is a no to its cancellation ("hmm no actually keep it, when will it arrive" at "Shall I cancel
# order 100253?" got the same question again), and "留着吧" the same
KEEPS_ORDER_RE = re.compile(
    r"\b(?:keep|keeping)\s+(?:it|the\s+order|my\s+order|this\s+order|that\s+order)\b|留着|留著|保留(?:订单|訂單|吧)",
    re.IGNORECASE,
)


def declines_flow(text: str, flow: object) -> bool:
    """The message says not to do order flow `flow` ("I'd rather not cancel it", "我还是不退了", for a cancellation
    "keep it"): a no to it."""
    words = FLOW_NAMES.get(str(flow))
    if words is None:
        return False
    if flow == CANCEL and KEEPS_ORDER_RE.search(text) and not NOT_BEFORE_KEEP_RE.search(text):
        return True
    named = "|".join(filter(None, (words.pattern, DECLINED_VERBS.get(str(flow)))))
    return re.search(NOT_BEFORE + "(?:" + named + ")", text, re.IGNORECASE) is not None


# a customer taking back the request they just made in the same message: "cancel 100247, no wait, change the
# address instead", "return 100212... actually never mind", "帮我取消订单100247，算了，还是改地址吧". What follows the
# last of these marks is what they want; a "never mind" with nothing after it takes the request back altogether
TAKING_BACK_RE = re.compile(
    r"\b(?:no\s*,?\s*wait|wait\s*,?\s*no|actually\s*,?\s*no|no\s*,?\s*actually|on\s+second\s+thoughts?|"
    r"scratch\s+that|never\s*mind|nvm|forget\s+(?:that|it)|or\s+rather|i\s+mean)\b"
    r"|算了|不对|不對|等等|等一下|不不|不是不是",
    re.IGNORECASE,
)
# the marks that take a request back by themselves ("… never mind"); "I mean" and "or rather" only correct it
TAKING_BACK_ALONE_RE = re.compile(
    r"\b(?:never\s*mind|nvm|forget\s+(?:that|it)|scratch\s+that|on\s+second\s+thoughts?)\b|算了", re.IGNORECASE
)
# an address change named in words: before the order flows' words, whose "delivery" (or "where") would read it as a
# status check; "change where 100260 is going", "can you change where it goes" too
ADDRESS_CHANGE_RE = re.compile(
    r"\b(?:change|update|fix|correct|edit|new|different|another)\b.{0,30}\bad+res+"
    r"|\b(?:change|update|redirect)\s+where\b.{0,30}\b(?:go(?:es|ing)?|headed|heading|sent|send(?:ing)?|deliver\w*"
    r"|ship\w*)\b"
    r"|改.{0,6}地址|地址.{0,6}改|换.{0,4}地址|換.{0,4}地址|寄到别|寄到別",
    re.IGNORECASE,
)


def flow_named_in(part: str) -> str | None:
    """The order flow a part of a message asks for in words (an address change first: its "delivery" is no status
    check)."""
    if ADDRESS_CHANGE_RE.search(part):
        return CHANGE_ADDRESS
    return next((flow for flow, words in FLOW_WORDS if words.search(part)), None)


@dataclass(frozen=True)
class TakenBack:
    """An order request a message takes back, and what it asks for instead (None: nothing, "never mind")."""

    withdrawn: str
    instead: str | None
    after: str  # the words after the taking back ("just tell me where my refund for 100165 is")


def taken_back(text: str) -> TakenBack | None:
    """The order request a message makes and then takes back (:data:`TAKING_BACK_RE`), with the flow it asks for
    instead; None when the message takes nothing back ("where is my order? i mean 100234" corrects a detail, "cancel
    100247, i mean cancel it now" repeats the request)."""
    marks = list(TAKING_BACK_RE.finditer(text))
    if not marks:
        return None
    before, after = text[: marks[-1].start()], text[marks[-1].end() :]
    withdrawn = next((flow for clause in clauses(before) if (flow := order_request(clause)) is not None), None)
    if withdrawn is None:
        return None
    instead = flow_named_in(after)
    if instead == withdrawn:
        return None
    if instead is None and (
        not TAKING_BACK_ALONE_RE.search(marks[-1].group(0)) or names_an_order_number(after) or EMAIL_RE.search(after)
    ):
        return None
    return TakenBack(withdrawn, instead, after.strip(" ,，.。!！"))


@dataclass(frozen=True)
class Requests:
    """An order request and the other questions of one message."""

    flow: str | None  # the order flow asked for, if any
    order_part: str | None
    questions: list[str]


def names_an_order_number(clause: str) -> bool:
    """The clause names an order by its number, a right one ("100234") or one to point out ("order 10016",
    "订单10016"): it is about the order request, never a handbook question of its own."""
    return bool(ORDER_NUMBER_RE.search(clause) or NAMED_NUMBER_RE.search(clause) or ZH_NAMED_NUMBER_RE.search(clause))


# a question that only asks whether what the clause before it says is all right ("… but i already threw away the box,
# is that ok?"): beside a return, it asks whether the item can go back so ("can i return it if i already threw away
# the box"); alone, "is that ok?" was no question the handbook knew, and it went unanswered before the return began
LEANS_ON_STATEMENT_RE = re.compile(
    r"^(?:(?:is|would|will)\s+(?:that|this|it)\s+(?:be\s+)?(?:ok(?:ay)?|alright|all\s+right|fine|a\s+problem|an\s+issue)"
    r"|does\s+(?:that|it)\s+matter|can\s+i\s+still\s+(?:return|send)\s+(?:it|them)(?:\s+back)?)\W*$",
    re.IGNORECASE,
)


# what the customer says they did, after a comma in the request's own clause ("i want to return my order 100212, i
# used the carafe once"): the statement an "is that a problem?" after it leans on
TOLD_AFTER_REQUEST_RE = re.compile(r",\s*((?:i|i've|ive|we|we've|weve)\s+[^,]+?)\s*[.!]*$", re.IGNORECASE)


# "if not can i get express" after "will it get here in time?": a question of its own once the condition on the one
# before is set aside (it was read as no question, and dropped)
CONDITION_LEAD = re.compile(r"^(?:if\s+not|if\s+so|otherwise|or\s+else)\b[\s,]*(?=\S)", re.IGNORECASE)


def told_after_request(clause: str) -> str | None:
    """The statement after a comma that ends the request's clause, or None ("i want to return my order 100212, i used
    the carafe once": "i used the carafe once")."""
    match = TOLD_AFTER_REQUEST_RE.search(clause)
    if match is None or is_question(match.group(1)) or names_an_order_number(match.group(1)):
        return None
    return match.group(1)


# Chinese: a clause asking only whether what it (or the clause before it) tells of the goods is all right
# ("拆封了可以吗", "已经拆封了，可以吗", "毯子用过一次了没问题吧", "拆封了能退吗"): beside a return it asks whether
# the goods can still go back so, put as the handbook words it ("拆封了还能退货吗", the return policy's); alone,
# "拆封了可以吗" was no question the handbook knew, and it was dropped without a word before the return began (lane
# czh2's walk, 2026-12-07). What it tells is a state of the goods (something done to them, or missing); "我想退掉毯子，
# 可以吗" tells nothing beside the return. The Chinese twin of :data:`LEANS_ON_STATEMENT_RE`.
ZH_IS_IT_OK_RE = re.compile(
    r"^(?P<told>.*?)(?:这样|那)?还?(?:可以|能|行|没问题|没关系|有问题|要紧|有影响)(?:退货|退回|退)?(?:吗|么|嘛|不|吧)?[\s？?。.!！~～]*$"
)
ZH_GOODS_STATE_RE = re.compile(r"了|过|没|已经|丢|扔|拆|剪|洗")
ZH_PIECE_SPLIT_RE = re.compile(r"[，,。？?！!；;\s]+")


def zh_return_condition(text: str, alone: bool = False) -> str | None:
    """The question a Chinese message asks beside a return when one of its clauses only asks whether what it (or the
    clause before it) tells of the goods is all right, as the handbook words it ("我想退掉毯子，拆封了可以吗" -> "拆封了
    还能退货吗"); None when it asks no such thing. With ``alone`` its first clause may be that question too (inside the
    return, nothing else is the request: "镜子拆封了还能退吗"). Read in simplified characters."""
    if language_of(text) != "zh":
        return None
    pieces = [piece for piece in ZH_PIECE_SPLIT_RE.split(simplified(text)) if piece]
    for index in range(0 if alone else 1, len(pieces)):
        asked = ZH_IS_IT_OK_RE.match(pieces[index])
        if asked is None:
            continue
        told = asked.group("told") or (pieces[index - 1] if index else "")
        if ZH_GOODS_STATE_RE.search(told) and not RETURNS_GOODS_RE.search(told) and not names_an_order_number(told):
            return f"{told}还能退货吗"
    return None


def requests_in(text: str, order_known: bool = False) -> Requests:
    """The order request (the first clause that is one) and the other question-like clauses; `order_known`: the
    conversation knows an order, which "cancel it" means."""
    flow: str | None = None
    order_part: str | None = None
    questions: list[str] = []
    numbered = False
    told: str | None = None  # the clause before, when it only tells something ("i already threw away the box")
    for clause in clauses(text):
        found = order_request(clause, order_known) if flow is None else None
        if found is not None:
            flow, order_part = found, clause
        elif names_an_order_number(clause) or ORDER_REF_RE.search(clause):
            numbered = numbered or names_an_order_number(clause)
            continue  # more about the order request ("can you check 100234?", "订单10016在哪里": a number to fix)
        elif is_question(question := CONDITION_LEAD.sub("", JOINING_WORD.sub("", clause))):
            if flow == RETURN and told is not None and LEANS_ON_STATEMENT_RE.match(question):
                # the item called "it": "can i return it if i used it once" is surely the return policy's, "… if i
                # used the carafe once" unsure (the carafe's name pulls towards the product entries)
                question = f"can i return it if {goods_called_it(told.rstrip(' .!,'))}"
            questions.append(question)
        if found is not None:
            told = told_after_request(clause)
        else:
            told = JOINING_WORD.sub("", clause) if not is_question(clause) else None
    if flow is None and numbered:
        # "can I change my delivery adress? order 100259": the question names the flow, the clause beside it the
        # order's number; together they are the request (not a handbook question and a request: "two things")
        for question in questions:
            named = flow_named_in(spelled(question))
            if named is not None and not declines_flow(question, named):
                flow, order_part = named, question
                questions = [q for q in questions if q is not question]
                break
    return Requests(flow, order_part, questions)


# "paypal or klarna", "the towels or the sheets": the words either side of "or"
ALTERNATIVES_RE = re.compile(
    r"\b((?:the\s+|a\s+|an\s+)?[\w'-]+)\s*(?:\bor\b|/)\s*((?:the\s+|a\s+|an\s+)?[\w'-]+)\b", re.IGNORECASE
)
NOT_ALTERNATIVES = frozenset({"not", "no", "more", "less", "so", "two", "else", "later", "now", "sooner", "whatever"})


# Chinese: "支持支付宝还是微信支付", "PayPal或者Klarna能用吗": the words either side of 还是 / 或者 / 或是 / 或 (not
# the 还是 of "still": "还是没到", "我还是不退了", nor 或许 "maybe")
ZH_OR_RE = re.compile(r"还是|還是|或者|或是|或(?![许許])")
ZH_NOT_AN_OPTION = re.compile(r"^(?:没|沒|不|别|別|要|想|很|挺|会|會|在|只|有点|有點|一样|一樣)")
# where the second option ends: a particle, a question mark or a comma, or the question about both ("…要几天",
# "…怎么保养", "…付款吗")
ZH_OPTION_END = re.compile(
    r"[吗嗎呢吧啊呀？?，,。!！、；;]|怎|要|能|会|會|可以|可不可以|比较|比較|多少|多久|几|幾|哪|什么|什麼|付款|支付|付钱|付錢|好"
)
# the verb or preposition before the first option ("支持 | 支付宝", "能用 | PayPal", "寄到 | 挪威"), which both share
ZH_OPTION_LEAD = re.compile(
    r"^(.*?(?:用|使用|支持|接受|收|选|選|要|买|買|寄到|送到|发到|發到|寄去|换成|換成|改成|换|換|是|付|开|開))(.+)$"
)
ZH_MAX_OPTION = 12  # characters: an option is a thing named ("Apple Pay", "支付宝"), not a clause
# a greeting or "may I ask" before the first option when no verb precedes it ("请问礼品卡或者店铺余额能用吗")
ZH_ASKING = re.compile(r"^(?:请问|請問|想问一下|想問一下|想问下|问一下|問一下|那|那么|那麼)+")


def zh_options(text: str) -> tuple[str, str, str, str] | None:
    """A Chinese question's two options: (the words before both, the first, the second, the words after both), or
    None when it names none ("还是没到" is no choice)."""
    match = ZH_OR_RE.search(text)
    if match is None or language_of(text) != "zh":
        return None
    before, after = text[: match.start()], text[match.end() :]
    if ZH_NOT_AN_OPTION.match(after):
        return None
    latin_second = re.match(r"\s*[A-Za-z][A-Za-z0-9.'-]*(?: [A-Za-z][A-Za-z0-9.'-]*)*", after)
    end = latin_second.end() if latin_second else next((m.start() for m in ZH_OPTION_END.finditer(after)), len(after))
    second, rest = after[:end], after[end:]
    start = max(before.rfind(mark) for mark in "，,。？?！!；;") + 1
    head, clause = before[:start], before[start:]
    latin = re.search(r"[A-Za-z][\w .'-]*$", clause)
    lead = ZH_OPTION_LEAD.match(clause)
    if latin:
        shared, first = clause[: latin.start()], latin.group(0).strip()
    elif lead:
        shared, first = lead.group(1), lead.group(2)
    else:
        asking = ZH_ASKING.match(clause)
        shared, first = (asking.group(0), clause[asking.end() :]) if asking else ("", clause)
    second = second.strip()
    if not first or not second or len(first) > ZH_MAX_OPTION or len(second) > ZH_MAX_OPTION:
        return None
    return head + shared, first, second, rest


def option_word(option: str) -> str:
    """An option as an answer names it: its Latin name when it starts with one ("Klarna付款" -> "klarna")."""
    latin = re.match(r"[A-Za-z][A-Za-z0-9.'-]*(?: [A-Za-z][A-Za-z0-9.'-]*)*", option.strip())
    return (latin.group(0) if latin else option.strip()).lower()


def alternatives(text: str) -> list[str]:
    """The message once per alternative it names ("can I pay with paypal or klarna" -> "can I pay with paypal",
    "can I pay with klarna"; "支持支付宝还是微信支付" -> "支持支付宝", "支持微信支付"); empty when it names none."""
    options = zh_options(text)
    if options is not None:
        shared, first, second, rest = options
        return [f"{shared}{first}{rest}".strip(), f"{shared}{second}{rest}".strip()]
    match = ALTERNATIVES_RE.search(text)
    if match is None:
        return []
    first, second = match.group(1), match.group(2)
    if {first.lower().split()[-1], second.lower().split()[-1]} & NOT_ALTERNATIVES:
        return []
    before, after = text[: match.start()], text[match.end() :]
    return [f"{before}{first}{after}".strip(), f"{before}{second}{after}".strip()]


def option_words(text: str) -> list[str]:
    """The alternatives' own words ("paypal", "klarna"; "支付宝", "微信支付"), to check an answer mentions each."""
    options = zh_options(text)
    if options is not None:
        return [option_word(options[1]), option_word(options[2])]
    match = ALTERNATIVES_RE.search(text)
    if match is None:
        return []
    return [match.group(1).lower().split()[-1], match.group(2).lower().split()[-1]]
