"""The help centre's HTML: the index by topic (with search results or a tag's articles on top) and an article
page (related articles, "Was this helpful?", the chat). Every text that comes from outside (the search query, the
handbook's titles, tags and excerpts) is escaped here; answers are Markdown rendered without raw HTML.
Templates: helpdesk/static/help/. Words: helpdesk/web/help_texts.py (English) and help_texts_zh.py, in the language
the page is rendered in (``i18n.speaking``); links keep ``?lang=zh`` on a Chinese page."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from markdown_it import MarkdownIt

from helpdesk import i18n
from helpdesk.web import help_texts

if TYPE_CHECKING:
    say = help_texts  # the type checker reads the English module, the reference for names
else:
    from helpdesk.web import help_texts_zh

    say = i18n.Localized(help_texts, zh=help_texts_zh)

TEMPLATES = Path(__file__).resolve().parent.parent / "static" / "help"
PAGE = (TEMPLATES / "page.html").read_text(encoding="utf-8")
MAX_QUERY_CHARS = 200  # a search longer than this is cut (the engine reads a question, not an essay)
RESULTS = 5
RELATED = 4
# the handbook's folders as customers read them, in this order; other folders follow, named after themselves
TOPICS = help_texts.TOPICS
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
        """A row of the index in the page's language (its Chinese title and excerpt on a Chinese page, when the
        entry has them)."""
        tags = row.get("tags")
        chinese = i18n.current() == "zh" and bool(row.get("zh_title"))
        return cls(
            id=str(row.get("id", "")),
            title=str(row.get("zh_title" if chinese else "title", "")),
            topic=str(row.get("topic") or ""),
            tags=tuple(str(tag) for tag in tags) if isinstance(tags, list) else (),
            excerpt=str(row.get("zh_excerpt" if chinese else "excerpt") or ""),
        )

    @property
    def url(self) -> str:
        return link(f"/help/{quote(self.id)}")


def link(path: str, **params: str) -> str:
    """A help-centre address that keeps the page's language (``?lang=zh`` on a Chinese page)."""
    if i18n.current() == "zh":
        params = {**params, "lang": "zh"}
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{path}?{query}" if query else path


def topic_name(topic: str) -> str:
    topics: dict[str, str] = say.TOPICS
    return topics.get(topic) or (topic.replace("-", " ").capitalize() if topic else say.GENERAL)


def clean_query(raw: str | None) -> str:
    """The customer's search as we use it: one line, spaces collapsed, at most MAX_QUERY_CHARS characters."""
    text = " ".join((raw or "").split())
    return text[:MAX_QUERY_CHARS].rstrip()


def _page(title: str, main: str, switch: str = "/help") -> str:
    """The whole page; ``switch`` is this page's address (it gets the other language's ``lang``)."""
    other = say.OTHER_LANGUAGE_CODE
    path, _, query = switch.partition("?")
    params = [pair for pair in query.split("&") if pair and not pair.startswith("lang=")] + [f"lang={other}"]
    return PAGE.format(
        title=e(title),
        main=main,
        html_lang=say.HTML_LANG,
        site=e(say.SITE),
        shop_link=e(say.SHOP_LINK, quote=True),
        help_href=e(link("/help"), quote=True),
        help_centre=e(say.HELP_CENTRE),
        back_to_shop=e(say.BACK_TO_SHOP),
        switch_href=e(f"{path}?{'&'.join(params)}", quote=True),
        other_lang=other,
        other_language=e(say.OTHER_LANGUAGE),
        footer=e(say.FOOTER),
        chat_title=e(say.CHAT_TITLE, quote=True),
    )


def _search_form(query: str) -> str:
    language = '<input type="hidden" name="lang" value="zh">' if i18n.current() == "zh" else ""
    return (
        '<form class="search" role="search" action="/help" method="get">'
        f'<label class="sr" for="help-q">{e(say.SEARCH_LABEL)}</label>'
        f'<input id="help-q" type="search" name="q" maxlength="{MAX_QUERY_CHARS}" value="{e(query, quote=True)}" '
        f'placeholder="{e(say.SEARCH_PLACEHOLDER, quote=True)}" autocomplete="off">'
        f'{language}<button type="submit">{e(say.SEARCH)}</button></form>'
    )


def _article_item(article: Article, with_excerpt: bool = True) -> str:
    excerpt = f'<p class="excerpt">{e(article.excerpt)}</p>' if with_excerpt and article.excerpt else ""
    return (
        f'<li><a class="title" href="{e(article.url, quote=True)}">{e(article.title)}</a>'
        f'{excerpt}<span class="topic">{e(topic_name(article.topic))}</span></li>'
    )


def _chat_offer(heading: str, text: str, context: str) -> str:
    return (
        f'<aside class="chat-offer" aria-label="{e(say.CHAT_WITH_US, quote=True)}"><h2>{e(heading)}</h2>'
        f'<p>{e(text)}</p><button type="button" class="chat" data-open-chat="{e(context, quote=True)}">'
        f"{e(say.CHAT_WITH_US)}</button></aside>"
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
            f'<section class="hero"><h1>{e(say.HOW_CAN_WE_HELP)}</h1>',
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
                f'<section class="results" aria-labelledby="tag-h">'
                f'<h2 id="tag-h">{e(say.ARTICLES_ABOUT.format(tag=self.tag))}</h2>'
                f"<ol>{''.join(_article_item(a) for a in tagged)}</ol>"
                f'<p><a href="{e(link("/help"), quote=True)}">{e(say.ALL_TOPICS)}</a></p></section>'
            )
        parts.append(f'<section class="topics" aria-label="{e(say.TOPICS_LABEL, quote=True)}">')
        for topic, articles in self.by_topic.items():
            slug = e(topic or "general", quote=True)
            items = "".join(_article_item(a, with_excerpt=False) for a in sorted(articles, key=lambda a: a.title))
            parts.append(
                f'<section class="topic-card" id="topic-{slug}" aria-labelledby="h-{slug}">'
                f'<h2 id="h-{slug}">{e(topic_name(topic))}</h2><ul>{items}</ul></section>'
            )
        parts.append("</section>")
        parts.append(_tag_cloud(self.articles))
        parts.append(_chat_offer(say.CANT_FIND, say.ASSISTANT_ANSWERS, self.query))
        title = say.SEARCH_TITLE.format(query=self.query) if self.query else say.HELP_CENTRE
        here = "/help?" + urlencode({k: v for k, v in (("q", self.query), ("tag", self.tag)) if v})
        return _page(title, "".join(parts), here.rstrip("?"))

    def _results(self) -> str:
        heading = f'<h2 id="results-h">{e(say.RESULTS_FOR.format(query=self.query))}</h2>'
        if not self.results:
            return (
                f'<section class="results" aria-live="polite" aria-labelledby="results-h">{heading}'
                f'<p>{e(say.NO_RESULTS)}</p><button type="button" class="chat" '
                f'data-open-chat="{e(self.query, quote=True)}">{e(say.ASK_IN_CHAT)}</button></section>'
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
    links = "".join(f'<a href="{e(link("/help", tag=tag), quote=True)}">{e(tag)}</a>' for tag in sorted(shared))
    browse = e(say.BROWSE_BY_TAG)
    return f'<nav class="tags" aria-label="{browse}"><h2>{browse}</h2>{links}</nav>' if links else ""


@dataclass
class ArticleView:
    article: Article
    answer: str  # Markdown
    related: Sequence[Article]
    vote: bool | None  # this reader's vote
    just_voted: bool = False

    def render(self) -> str:
        a = self.article
        home = e(link("/help"), quote=True)
        crumbs = (
            f'<nav class="crumbs" aria-label="{e(say.BREADCRUMB, quote=True)}"><a href="{home}">'
            f"{e(say.HELP_CENTRE)}</a> › "
            f'<a href="{home}#topic-{e(a.topic or "general", quote=True)}">{e(topic_name(a.topic))}</a></nav>'
        )
        tags = "".join(f'<a href="{e(link("/help", tag=tag), quote=True)}">{e(tag)}</a>' for tag in a.tags)
        parts = [
            crumbs,
            f'<article class="answer"><h1>{e(a.title)}</h1>{_markdown.render(self.answer)}</article>',
            f'<nav class="tags small" aria-label="{e(say.TAGS, quote=True)}">{tags}</nav>' if tags else "",
            self._vote(),
        ]
        if self.related:
            items = "".join(_article_item(r, with_excerpt=False) for r in self.related)
            parts.append(
                f'<section class="related" aria-labelledby="rel-h"><h2 id="rel-h">{e(say.RELATED)}</h2>'
                f"<ul>{items}</ul></section>"
            )
        parts.append(_chat_offer(say.STILL_NEED_HELP, say.ASK_ABOUT_THIS, say.ABOUT.format(title=a.title)))
        return _page(say.ARTICLE_TITLE.format(title=a.title), "".join(parts), f"/help/{quote(a.id)}")

    def _vote(self) -> str:
        url = e(link(f"/help/{quote(self.article.id)}/vote"), quote=True)
        up = ' aria-pressed="true"' if self.vote is True else ' aria-pressed="false"'
        down = ' aria-pressed="true"' if self.vote is False else ' aria-pressed="false"'
        thanks = ""
        if self.vote is True:
            thanks = f'<p class="thanks" role="status">{e(say.THANKS)}</p>'
        elif self.vote is False:
            thanks = f'<p class="thanks" role="status">{e(say.SORRY)}</p>'
        focus = " voted" if self.just_voted else ""
        return (
            f'<section class="vote{focus}" id="vote" aria-labelledby="vote-h">'
            f'<h2 id="vote-h">{e(say.WAS_IT_HELPFUL)}</h2><form method="post" action="{url}">'
            f'<button type="submit" name="helpful" value="yes"{up}><span aria-hidden="true">👍</span> '
            f"{e(say.YES)}</button>"
            f'<button type="submit" name="helpful" value="no"{down}><span aria-hidden="true">👎</span> '
            f"{e(say.NO)}</button></form>{thanks}</section>"
        )


def message_page(title: str, text: str) -> str:
    """A short page (not found, unavailable, too many requests) that still leads on: search and the chat."""
    main = f'<section class="hero"><h1>{e(title)}</h1><p>{e(text)}</p>{_search_form("")}</section>' + _chat_offer(
        say.ASK_INSTEAD, say.DAY_AND_NIGHT, ""
    )
    return _page(title, main)
