"""Fixtures of the browser tests: a fresh tab at each of the sizes a page is checked at (desktop and phone), and
Ava at a desktop console page with her API client (`ava_desk`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page
from support.accounts import AgentLogin
from support.agent import AvaAtHerDesk, Console
from test_widget_browser import SIZES, Tab, sized_tab


@pytest.fixture(params=sorted(SIZES))
def sized(request: pytest.FixtureRequest, chromium: Browser) -> Iterator[tuple[str, Tab]]:
    """(the size's name, a fresh tab at it): a test using it runs once per size."""
    opened = sized_tab(chromium, str(request.param))
    yield str(request.param), opened
    opened.page.context.close()


@pytest.fixture()
def ava_desk(
    answering_page: Page,
    helpdesk_url: str,
    agent_accounts: dict[str, AgentLogin],
    login: Callable[[str], Console],
) -> AvaAtHerDesk:
    return AvaAtHerDesk(answering_page, login("ava"), helpdesk_url, agent_accounts["ava"].password)
