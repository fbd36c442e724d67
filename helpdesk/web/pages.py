"""The pages: the demo shop (/, its facts rendered from config/shop_facts.yml) with the widget's script
(/widget.js), and the console's pages under /agent (the agent console, the supervisors' dashboard, the
editors' unanswered-questions report) with their scripts and styles. Files in helpdesk/static/. The help centre
(/help) is helpdesk/web/help_centre.py."""

from __future__ import annotations

import html
from pathlib import Path

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, file
from sanic.response import html as html_response

from helpdesk.errors import NotFound
from helpdesk.knowledge.fact_refs import render_text
from helpdesk.knowledge.facts import current_facts

STATIC = Path(__file__).resolve().parent.parent / "static"
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)
CSP_HEADERS = {"Content-Security-Policy": PAGE_CSP, "X-Content-Type-Options": "nosniff"}
CONSOLE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
CONSOLE_HEADERS = {
    "Content-Security-Policy": CONSOLE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-cache",
}
# the console's pages (agent console, supervisors' dashboard, editors' report), all under /agent
CONSOLE = STATIC / "console"
CONSOLE_PAGES = {
    "": "agent.html",
    "/dashboard": "dashboard.html",
    "/unanswered": "unanswered.html",
    "/admin": "admin.html",
    "/followups": "followups.html",
    "/handbook": "handbook.html",
    "/corrections": "corrections.html",  # agents' corrections of the bot, for review
}
ASSET_TYPES = {
    ".js": "application/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",  # the console's string catalogs (i18n/zh.json)
}
# every script and style sheet in static/console (and its vendor/ folder), served as /agent/<path>
CONSOLE_ASSETS = frozenset(
    path.relative_to(CONSOLE).as_posix() for path in CONSOLE.rglob("*") if path.suffix in ASSET_TYPES
)
SHOP_TEMPLATE = (STATIC / "shop" / "shop.html").read_text(encoding="utf-8")


def pages_blueprint() -> Blueprint:
    bp = Blueprint("pages")

    @bp.get("/")
    async def shop(request: Request) -> HTTPResponse:
        # the shop's facts (free delivery, returns, gift cards, the team's hours) as config/shop_facts.yml says now
        return html_response(render_text(SHOP_TEMPLATE, current_facts(), escape=html.escape), headers=CSP_HEADERS)

    @bp.get("/widget.js")
    async def widget(request: Request) -> HTTPResponse:
        return await file(
            STATIC / "widget" / "widget.js",
            mime_type="application/javascript; charset=utf-8",
            headers={"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"},
        )

    for suffix, page in CONSOLE_PAGES.items():

        async def console_page(request: Request, page: str = page) -> HTTPResponse:
            return await file(CONSOLE / page, headers=CONSOLE_HEADERS)

        bp.add_route(console_page, f"/agent{suffix}", methods=["GET"], name=f"console_{page.removesuffix('.html')}")

    @bp.get("/agent/<asset:path>")
    async def console_asset(request: Request, asset: str) -> HTTPResponse:
        if asset not in CONSOLE_ASSETS:
            raise NotFound("not found")
        return await file(CONSOLE / asset, mime_type=ASSET_TYPES[Path(asset).suffix], headers=CONSOLE_HEADERS)

    return bp
