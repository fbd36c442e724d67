"""The help centre's HTML: the index by topic (with search results or a tag's articles on top) and an article
page (related articles, "Was this helpful?", the chat). Every text that comes from outside (the search query, the
handbook's titles, tags and excerpts) is escaped here; answers are Markdown rendered without raw HTML.
Templates: helpdesk/static/help/."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markdown_it import MarkdownIt

TEMPLATES = Path(__file__).resolve().parent.parent / "static" / "help"
PAGE = (TEMPLATES / "page.html").read_text(encoding="utf-8")
MAX_QUERY_CHARS = 200  # a search longer than this is cut (the engine reads a question, not an essay)
RESULTS = 5
RELATED = 4
# the handbook's folders as customers read them, in this order; other folders follow, named after themselves
TOPICS = {
    "orders": "Orders",
    "delivery": "Delivery",
    "returns": "Returns & refunds",
    "payments": "Payment & gift cards",
    "account": "Your account",
    "products": "Products & care",
    "membership": "Membership & newsletter",
    "help": "Contact & service",
}
_markdown = MarkdownIt("commonmark", {"html": False})
e = html.escape


@dataclass(frozen=True)
class Article:
    """A handbook entry as the index lists it."""

    id: str
    title: str
    topic: str
    tags: tuple[str, ...] = ()
    excerpt: str = ""

    @classmethod
    def of(cls, row: dict[str, Any]) -> Article:
        tags = row.get("tags")
        return cls(
            id=str(row.get("id", "")),
            title=str(row.get("title", "")),
            topic=str(row.get("topic") or ""),
            tags=tuple(str(tag) for tag in tags) if isinstance(tags, list) else (),
            excerpt=str(row.get("excerpt") or ""),
        )

    @property
    def url(self) -> str:
        return f"/help/{quote(self.id)}"


def topic_name(topic: str) -> str:
    return TOPICS.get(topic) or (topic.replace("-", " ").capitalize() if topic else "General")


def clean_query(raw: str | None) -> str:
    """The customer's search as we use it: one line, spaces collapsed, at most MAX_QUERY_CHARS characters."""
    text = " ".join((raw or "").split())
    return text[:MAX_QUERY_CHARS].rstrip()


def _page(title: str, main: str) -> str:
    return PAGE.format(title=e(title), main=main)


def _search_form(query: str) -> str:
    return (
        '<form class="search" role="search" action="/help" method="get">'
        '<label class="sr" for="help-q">Search the help centre</label>'
        f'<input id="help-q" type="search" name="q" maxlength="{MAX_QUERY_CHARS}" value="{e(query, quote=True)}" '
        'placeholder="Search, e.g. “return a gift” or “delivery to Norway”" autocomplete="off">'
        '<button type="submit">Search</button></form>'
    )


def _article_item(article: Article, with_excerpt: bool = True) -> str:
    excerpt = f'<p class="excerpt">{e(article.excerpt)}</p>' if with_excerpt and article.excerpt else ""
    return (
        f'<li><a class="title" href="{e(article.url, quote=True)}">{e(article.title)}</a>'
        f'{excerpt}<span class="topic">{e(topic_name(article.topic))}</span></li>'
    )


def _chat_offer(heading: str, text: str, context: str) -> str:
    return (
        f'<aside class="chat-offer" aria-label="Chat with us"><h2>{e(heading)}</h2><p>{e(text)}</p>'
        f'<button type="button" class="chat" data-open-chat="{e(context, quote=True)}">Chat with us</button></aside>'
    )


@dataclass
class IndexView:
    articles: Sequence[Article]
    query: str = ""
    results: Sequence[Article] | None = None  # None: no search
    tag: str = ""
    notice: str = ""  # e.g. "too many searches"
    by_topic: dict[str, list[Article]] = field(init=False)

    def __post_init__(self) -> None:
        grouped: dict[str, list[Article]] = {}
        for article in self.articles:
            grouped.setdefault(article.topic, []).append(article)
        order = list(TOPICS)

        def rank(topic: str) -> tuple[int, str]:
            return (order.index(topic) if topic in order else len(order), topic)

        self.by_topic = {topic: grouped[topic] for topic in sorted(grouped, key=rank)}

    def render(self) -> str:
        parts = [
            '<section class="hero"><h1>How can we help?</h1>',
            _search_form(self.query),
            "</section>",
        ]
        if self.notice:
            parts.append(f'<p class="notice" role="status">{e(self.notice)}</p>')
        if self.results is not None:
            parts.append(self._results())
        if self.tag:
            tagged = [a for a in self.articles if self.tag in a.tags]
            parts.append(
                f'<section class="results" aria-labelledby="tag-h"><h2 id="tag-h">Articles about “{e(self.tag)}”</h2>'
                f'<ol>{"".join(_article_item(a) for a in tagged)}</ol><p><a href="/help">All topics</a></p></section>'
            )
        parts.append('<section class="topics" aria-label="Topics">')
        for topic, articles in self.by_topic.items():
            slug = e(topic or "general", quote=True)
            items = "".join(_article_item(a, with_excerpt=False) for a in sorted(articles, key=lambda a: a.title))
            parts.append(
                f'<section class="topic-card" id="topic-{slug}" aria-labelledby="h-{slug}">'
                f'<h2 id="h-{slug}">{e(topic_name(topic))}</h2><ul>{items}</ul></section>'
            )
        parts.append("</section>")
        parts.append(_tag_cloud(self.articles))
        parts.append(
            _chat_offer(
                "Can't find what you need?",
                "Our assistant answers right away, and hands you to a person from our team when it can't help.",
                self.query,
            )
        )
        title = f"“{self.query}” · Help centre" if self.query else "Help centre"
        return _page(title, "".join(parts))

    def _results(self) -> str:
        heading = f'<h2 id="results-h">Results for “{e(self.query)}”</h2>'
        if not self.results:
            return (
                f'<section class="results" aria-live="polite" aria-labelledby="results-h">{heading}'
                "<p>We couldn't find an article for that. Try other words, browse the topics below, or ask us in "
                f'the chat — we\'ll start with your question.</p><button type="button" class="chat" '
                f'data-open-chat="{e(self.query, quote=True)}">Ask in the chat</button></section>'
            )
        items = "".join(_article_item(article) for article in self.results)
        section = '<section class="results" aria-live="polite" aria-labelledby="results-h">'
        return f"{section}{heading}<ol>{items}</ol></section>"


def related_articles(this: Article, engine_ids: Sequence[str], articles: Sequence[Article]) -> list[Article]:
    """Up to RELATED articles for ``this``: the engine's nearest that share a tag or the topic, then the others sharing
    the most tags, then the engine's other nearest."""
    by_id = {article.id: article for article in articles}
    near = [by_id[i] for i in engine_ids if i in by_id and i != this.id]

    def shared(other: Article) -> int:
        return len(set(other.tags) & set(this.tags)) + (1 if other.topic == this.topic else 0)

    ranked = [a for a in near if shared(a)]
    by_tags = sorted((a for a in articles if a.id != this.id and shared(a)), key=lambda a: -shared(a))
    ranked += [a for a in by_tags if a not in ranked]
    ranked += [a for a in near if a not in ranked]
    return ranked[:RELATED]


def _tag_cloud(articles: Iterable[Article]) -> str:
    counts: dict[str, int] = {}
    for article in articles:
        for tag in article.tags:
            counts[tag] = counts.get(tag, 0) + 1
    shared = [tag for tag in counts if counts[tag] > 1]  # a tag of one article leads nowhere new
    links = "".join(f'<a href="/help?tag={quote(tag)}">{e(tag)}</a>' for tag in sorted(shared))
    return f'<nav class="tags" aria-label="Browse by tag"><h2>Browse by tag</h2>{links}</nav>' if links else ""


@dataclass
class ArticleView:
    article: Article
    answer: str  # Markdown
    related: Sequence[Article]
    vote: bool | None  # this reader's vote
    just_voted: bool = False

    def render(self) -> str:
        a = self.article
        crumbs = (
            '<nav class="crumbs" aria-label="Breadcrumb"><a href="/help">Help centre</a> › '
            f'<a href="/help#topic-{e(a.topic or "general", quote=True)}">{e(topic_name(a.topic))}</a></nav>'
        )
        tags = "".join(f'<a href="/help?tag={quote(tag)}">{e(tag)}</a>' for tag in a.tags)
        parts = [
            crumbs,
            f'<article class="answer"><h1>{e(a.title)}</h1>{_markdown.render(self.answer)}</article>',
            f'<nav class="tags small" aria-label="Tags">{tags}</nav>' if tags else "",
            self._vote(),
        ]
        if self.related:
            items = "".join(_article_item(r, with_excerpt=False) for r in self.related)
            parts.append(
                '<section class="related" aria-labelledby="rel-h"><h2 id="rel-h">Related articles</h2>'
                f"<ul>{items}</ul></section>"
            )
        context = f"About “{a.title}”: "
        parts.append(
            _chat_offer(
                "Still need help?",
                "Ask our assistant about this — a person from our team takes over when needed.",
                context,
            )
        )
        return _page(f"{a.title} · Help centre", "".join(parts))

    def _vote(self) -> str:
        url = e(f"/help/{quote(self.article.id)}/vote", quote=True)
        up = ' aria-pressed="true"' if self.vote is True else ' aria-pressed="false"'
        down = ' aria-pressed="true"' if self.vote is False else ' aria-pressed="false"'
        thanks = ""
        if self.vote is True:
            thanks = '<p class="thanks" role="status">Thanks for letting us know!</p>'
        elif self.vote is False:
            thanks = (
                '<p class="thanks" role="status">Sorry this didn\'t help. Our editors read every 👎. '
                "Try a related article below, or ask us in the chat.</p>"
            )
        focus = " voted" if self.just_voted else ""
        return (
            f'<section class="vote{focus}" id="vote" aria-labelledby="vote-h"><h2 id="vote-h">Was this helpful?</h2>'
            f'<form method="post" action="{url}">'
            f'<button type="submit" name="helpful" value="yes"{up}><span aria-hidden="true">👍</span> Yes</button>'
            f'<button type="submit" name="helpful" value="no"{down}><span aria-hidden="true">👎</span> No</button>'
            f"</form>{thanks}</section>"
        )


def message_page(title: str, text: str) -> str:
    """A short page (not found, unavailable, too many requests) that still leads on: search and the chat."""
    main = f'<section class="hero"><h1>{e(title)}</h1><p>{e(text)}</p>{_search_form("")}</section>' + _chat_offer(
        "Ask us instead", "Our assistant is here day and night.", ""
    )
    return _page(title, main)
