"""Chinese for the refusals customers can meet (helpdesk/errors.py's messages as the widget and help centre show them).

The services raise their errors in English, which stays the API's reference (tests and logs read it). At the HTTP
edge (helpdesk/web/errors.py) a request in Chinese — the widget sends its language as ``Accept-Language``, the
console its staff member's — gets the message from this table instead: each key is the English message, with
``{placeholders}`` where the service puts a figure or a name (a placeholder named like a count matches figures only).
A message without an entry stays English. Technical details (an exception's class name) are left out of the
Chinese on purpose: the customer needs what to do, not which part failed.
"""

from __future__ import annotations

import re
from functools import cache

FIGURES = frozenset({"n", "limit", "size", "depth", "count"})

MESSAGES: dict[str, str] = {
    # the chat (POST /api/chat) and the widget's other calls
    "conversation_id must be a string, or null to start a new conversation": "会话编号格式不对：请重新开始对话。",
    "unknown conversation_id": "找不到这个会话：它可能已经过期，请重新开始对话。",
    "unknown conversation_id; send null to start a new conversation": (
        "找不到这个会话：它可能已经过期，请重新开始对话。"
    ),
    "text is missing": "消息内容为空：请输入您想说的话。",
    "text must be a string": "消息内容格式不对：请输入文字。",
    "text is empty": "消息内容为空：请输入您想说的话。",
    "text is too long: {n} characters, the limit is {limit}": (
        "消息太长了：共 {n} 个字符，最多 {limit} 个。请分几条发送。"
    ),
    "client_message_id must be 1 to 64 letters, digits, '-' or '_'": "消息编号格式不对：请刷新页面后重试。",
    "customer_token must be a string of at most 512 characters": "登录凭证格式不对：请刷新页面后重试。",
    "score must be a whole number from 1 to 5": "评分必须是 1 到 5 的整数。",
    "comment must be a string": "评价内容格式不对：请输入文字。",
    "comment is too long: the limit is {limit} characters": "评价太长了：最多 {limit} 个字符。",
    "helpful must be true (the answer helped) or false (it did not)": "请选择这个回答是否有帮助。",
    "text is missing: write the message for our team": "留言内容为空：请写下您想告诉我们的话。",
    "email does not look like an e-mail address": "这个邮箱地址好像不对，请检查一下。",
    "too many requests from this address; please wait a moment": "您的操作太频繁了，请稍等片刻再试。",
    "too many messages in this conversation; please wait a moment": "这个会话中的消息发得太快了，请稍等片刻再发。",
    "too many new conversations from this address; please continue an open one": (
        "您新开的会话太多了，请在已有的会话中继续。"
    ),
    "there is no resolved chat to rate here (or it is rated already)": "这里没有可以评价的会话（或者已经评价过了）。",
    "a member of our team is in this chat: just send your message": "客服人员已经在这个会话中了：直接发送消息即可。",
    "this conversation is not waiting in the queue (someone may have claimed it)": (
        "这个会话已不在排队中（可能已有客服接入）。"
    ),
    # the agent console (an agent whose console is in Chinese)
    "{name} is offline: the customer would wait with nobody there. Transfer to a colleague who is online or away, or "
    "to a team (back to the queue).": (
        "{name} 已离线：转过去顾客会一直等，却没有人接待。请转给在线或暂时离开的同事，或转给团队（放回排队）。"
    ),
    "{name} has no console open: the customer would wait with nobody there. Transfer to a colleague whose console "
    "is open, or to a team (back to the queue).": (
        "{name} 没有打开工作台：转过去顾客会一直等，却没有人接待。请转给工作台开着的同事，或转给团队（放回排队）。"
    ),
    "fill in {names} before sending: the customer would read it as it stands": (
        "请先把 {names} 换成实际内容再发送：否则顾客会原样看到它。"
    ),
    # the handbook editor's publish gate (helpdesk/knowledge/handbook_gate.py); its problem is translated on its own
    "Not published: {problem}. A supervisor or admin must confirm publishing it.": (
        "未发布：{problem}。需要主管或管理员确认后才能发布。"
    ),
    "Not published: {problem}. Only a supervisor or admin can confirm publishing it.": (
        "未发布：{problem}。只有主管或管理员可以确认发布。"
    ),
    "it makes held-out figures worse than the tolerance: {worse}": "它会让留出集指标变差，超出容差（{worse}）",
    "the held-out figures cannot be computed right now (the FAQ engine is not ready)": (
        "现在无法计算留出集指标（FAQ 引擎还没有就绪）"
    ),
    # the bot cannot answer right now (the widget puts this after its own "the assistant is unavailable")
    "the Rasa server did not answer: {error}": "智能助手暂时没有响应",
    "the Rasa server gave an answer in an unknown shape": "智能助手暂时无法回答",
    "the Rasa server did not restart the conversation: {error}": "智能助手暂时无法重新开始会话",
    "the Rasa server gave no tracker: {error}": "智能助手暂时无法读取会话",
    "the bot gave no reply": "智能助手暂时没有回复",
    "the action server did not answer": "智能助手的服务暂时没有响应",
    "the assistant is busy with other customers: your message waits for its turn": "咨询的顾客较多，您的消息正在排队",
    "one moment: many customers are writing right now; your message is saved and will be answered here shortly": (
        "请稍等：现在咨询的顾客较多，您的消息已保存，稍后会在这里回复您。"
    ),
    # any request body (helpdesk/web/inputs.py)
    "the request body must be valid JSON": "请求格式不对：请刷新页面后重试。",
    "the request body must be a JSON object": "请求格式不对：请刷新页面后重试。",
    "the request body is nested too deeply (at most {depth} levels)": "请求格式不对：请刷新页面后重试。",
    "{what} contains a NUL character or a lone surrogate (not valid text)": "内容中有无法识别的字符，请删掉后重试。",
    "{what} is nested too deeply (at most {depth} levels)": "请求格式不对：请刷新页面后重试。",
    "{what} has a number out of range (at most {limit})": "请求中的数字超出范围：请刷新页面后重试。",
    "{what} must be a string": "内容格式不对：请输入文字。",
    "{what} is empty": "内容为空：请输入后再发送。",
    "{what} is too long: {n} characters, the limit is {limit}": "内容太长了：共 {n} 个字符，最多 {limit} 个。",
    "{what} is too long: the limit is {limit} characters": "内容太长了：最多 {limit} 个字符。",
    "language must be en or zh": "语言只能是英文（en）或中文（zh）。",
    # photos and PDFs (helpdesk/files)
    "only photos (JPEG, PNG or WebP) and PDF files can be sent": "只能发送照片（JPEG、PNG 或 WebP）和 PDF 文件。",
    "this PDF contains scripts or embedded programs and cannot be sent": "这个 PDF 含有脚本或嵌入的程序，无法发送。",
    "this image is damaged or too large to open": "这张图片已损坏或太大，无法打开。",
    "the file is too large: {size} MB, the limit is {limit} MB": "文件太大了：{size} MB，最大 {limit} MB。",
    "the file is empty": "文件是空的。",
    "this conversation already has {n} files, the most it may have": "这个会话已经有 {n} 个文件，不能再发送更多了。",
    "too many files from your connection: at most {n} an hour": "您发送的文件太多了：每小时最多 {n} 个。",
    "no such file in this conversation": "这个会话中没有这个文件。",
    "this file is no longer stored": "这个文件已不再保存。",
    "X-Filename must be a file name": "文件名不对：请重新选择文件。",
}


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...]:
    compiled = []
    for english, chinese in MESSAGES.items():
        names = tuple(re.findall(r"\{(\w+)\}", english))
        if not names:
            continue
        parts = re.split(r"\{\w+\}", english)
        source = "".join(
            re.escape(part) + (("([\\d.,]+)" if names[i] in FIGURES else "(.+?)") if i < len(names) else "")
            for i, part in enumerate(parts)
        )
        compiled.append((re.compile(f"^{source}$"), chinese, names, len("".join(parts))))
    compiled.sort(key=lambda p: -p[3])  # the most fixed text first
    return tuple((pattern, chinese, names) for pattern, chinese, names, _ in compiled)


def in_chinese(message: str, depth: int = 0) -> str | None:
    """The Chinese for one of the services' messages, or None when the table has no entry for it. A part a
    placeholder matched is itself put in Chinese when the table has it (a message built around another one: the
    publish gate's "Not published: {problem}. …"), as the console's catalog does (helpdesk/static/console/i18n.js)."""
    if message in MESSAGES:
        return MESSAGES[message]
    for pattern, chinese, names in _patterns():
        match = pattern.match(message)
        if match is not None:
            values = dict(zip(names, match.groups(), strict=True))
            if depth < 2:
                values = {name: in_chinese(value, depth + 1) or value for name, value in values.items()}
            return _fill(chinese, values)
    return None


def _fill(template: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)
