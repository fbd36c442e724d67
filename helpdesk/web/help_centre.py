"""The help centre: the handbook for customers, never a dead end.

    GET  /help                  the articles by topic, a tag's articles (?tag=) or search results (?q=)
    GET  /help/<id>             an article, its related articles, "Was this helpful?" and the chat
    POST /help/<id>/vote        helpful=yes|no (a form: works without script) → 303 back to the article
    GET  /help.css

Search and "related" use the bot's own FAQ engine in the action server (helpdesk/clients/action_server.py).
The query is untrusted: cut to 200 characters, escaped wherever shown (helpdesk/web/help_views.py), and searches
are rate-limited per address like the widget's reads; votes like the widget's messages. A vote must come from
this site (its Origin), and is stored once per reader (a random id in an HttpOnly cookie) and article
(helpdesk/reports/article_votes.py).
Every page is in the reader's language: ``?lang=zh`` (the links of a Chinese page keep it), else the browser's
Accept-Language; a Chinese page shows the entries' Chinese versions where they have one.
"""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, file, redirect
from sanic.response import html as html_response

from helpdesk import i18n
from helpdesk.config import Settings
from helpdesk.errors import TooMany, Unavailable
from helpdesk.reports.article_votes import new_visitor, record_vote, valid_article, valid_visitor, vote_of
from helpdesk.web import help_views
from helpdesk.web.help_views import (
    RESULTS,
    TEMPLATES,
    Article,
    ArticleView,
    IndexView,
    clean_query,
    link,
    message_page,
    related_articles,
)
from helpdesk.web.pages import CSP_HEADERS
from helpdesk.web.services import services
from helpdesk.web.widget import check_limits

say = help_views.say  # the help centre's words in the page's language
VISITOR_COOKIE = "lh_reader"
VISITOR_MAX_AGE = 365 * 24 * 3600
FORM_MAX_BYTES = 256


def reader_language(request: Request) -> i18n.Language:
    """``?lang=`` when given, else the first language of the browser's Accept-Language."""
    chosen = request.args.get("lang")
    if chosen:
        return i18n.normalize(chosen)
    return i18n.normalize(request.headers.get("accept-language", "").split(",")[0].split(";")[0])


def _page(body: str, status: int = 200) -> HTTPResponse:
    headers = {
        **CSP_HEADERS,
        "Referrer-Policy": "same-origin",
        "Content-Language": say.HTML_LANG,
        "Vary": "Accept-Language",
    }
    return html_response(body, status=status, headers=headers)


def _unavailable() -> HTTPResponse:
    return _page(message_page(say.UNAVAILABLE_TITLE, say.UNAVAILABLE), 503)


async def _articles(request: Request) -> list[Article]:
    return [Article.of(row) for row in await services(request).actions.entries()]


def _same_site(request: Request) -> bool:
    """The form was posted from a page of this site (browsers send Origin with every form post)."""
    origin = request.headers.get("origin")
    if origin is None:
        referer = request.headers.get("referer") or ""
        return referer.startswith(f"{request.scheme}://{request.host}/")
    return bool(origin == f"{request.scheme}://{request.host}")


def help_blueprint(settings: Settings) -> Blueprint:
    bp = Blueprint("help_centre")

    @bp.get("/help.css")
    async def stylesheet(request: Request) -> HTTPResponse:
        css = "text/css; charset=utf-8"
        return await file(TEMPLATES / "help.css", mime_type=css, headers={"Cache-Control": "no-cache"})

    @bp.get("/help")
    async def index(request: Request) -> HTTPResponse:
        with i18n.speaking(reader_language(request)):
            return await _index(request)

    async def _index(request: Request) -> HTTPResponse:
        query = clean_query(request.args.get("q"))
        try:
            articles = await _articles(request)
        except Unavailable:
            return _unavailable()
        tags = {tag for article in articles for tag in article.tags}
        raw_tag = request.args.get("tag") or ""
        tag = raw_tag if raw_tag in tags else ""
        view = IndexView(articles, query=query, tag=tag)
        if query:
            try:
                await check_limits(request, None, services(request).limits.reads)
                found = await services(request).actions.search(query)
            except TooMany:
                view.notice = say.SEARCHED_A_LOT
                return _page(view.render(), 429)
            except Unavailable:
                return _unavailable()
            by_id = {article.id: article for article in articles}
            hits = [] if found["decision"] == "handoff" else found["candidates"]
            view.results = [by_id[c["id"]] for c in hits if isinstance(c, dict) and c.get("id") in by_id][:RESULTS]
        return _page(view.render())

    @bp.get("/help/<faq_id:str>")
    async def article(request: Request, faq_id: str) -> HTTPResponse:
        with i18n.speaking(reader_language(request)) as language:
            return await _article(request, faq_id, language)

    async def _article(request: Request, faq_id: str, language: i18n.Language) -> HTTPResponse:
        running = services(request)
        try:
            entry = await running.actions.entry(faq_id, language) if valid_article(faq_id) else None
            if entry is None:
                return _page(message_page(say.NO_SUCH_ARTICLE, say.MAY_HAVE_MOVED), 404)
            articles = await _articles(request)
            found = await running.actions.search(str(entry["title"]))
        except Unavailable:
            return _unavailable()
        listed = next((a for a in articles if a.id == faq_id), None)
        # the title in the page's language; topic and tags from the index
        this = Article(listed.id, str(entry["title"]), listed.topic, listed.tags) if listed else Article.of(entry)
        related = related_articles(this, [str(c.get("id")) for c in found["candidates"]], articles)
        async with running.sessions() as session:
            vote = await vote_of(session, faq_id, valid_visitor(request.cookies.get(VISITOR_COOKIE)))
        view = ArticleView(this, str(entry["answer"]), related, vote, request.args.get("voted") == "1")
        return _page(view.render())

    @bp.post("/help/<faq_id:str>/vote")
    async def vote(request: Request, faq_id: str) -> HTTPResponse:
        with i18n.speaking(reader_language(request)):
            return await _vote(request, faq_id)

    async def _vote(request: Request, faq_id: str) -> HTTPResponse:
        if not _same_site(request):
            return _page(message_page(say.VOTE_REFUSED, say.VOTE_ON_PAGE), 403)
        if len(request.body or b"") > FORM_MAX_BYTES:
            return _page(message_page(say.VOTE_REFUSED, say.FORM_TOO_LARGE), 413)
        choice = request.form.get("helpful") if request.form else None
        if choice not in ("yes", "no") or not valid_article(faq_id):
            return _page(message_page(say.VOTE_REFUSED, say.CHOOSE_A_VOTE), 400)
        running = services(request)
        try:
            await check_limits(request, None)
            if await running.actions.entry(faq_id) is None:
                return _page(message_page(say.NO_SUCH_ARTICLE, say.MAY_HAVE_MOVED), 404)
        except TooMany:
            return _page(message_page(say.TOO_MANY_VOTES, say.WAIT_A_MINUTE), 429)
        except Unavailable:
            return _unavailable()
        visitor = valid_visitor(request.cookies.get(VISITOR_COOKIE)) or new_visitor()
        async with running.sessions() as session:
            await record_vote(session, faq_id, visitor, choice == "yes")
        response = redirect(link(f"/help/{faq_id}", voted="1") + "#vote", status=303)
        response.add_cookie(
            VISITOR_COOKIE,
            visitor,
            path="/help",
            httponly=True,
            samesite="Lax",
            secure=settings.cookie_secure,
            max_age=VISITOR_MAX_AGE,
        )
        return response

    return bp
