"""Fixtures of the browser tests: a fresh desktop tab (`tab`), a fresh tab at each of the sizes a page is checked at
(desktop and phone), a fresh 1366×900 page (`page`), Ava at a desktop console page with her API client (`ava_desk`),
an editor whose console is in Chinese (`chinese_editor`) and the supervisor Sue with her console in Chinese for one
test (`sue_in_chinese`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import AvaAtHerDesk, Console
from test_widget_browser import SIZES, Tab, new_tab, sized_tab

from helpdesk.stack import Stack


@pytest.fixture()
def tab(chromium: Browser) -> Iterator[Tab]:
    """A fresh browser context (empty localStorage) with a 1280x800 window."""
    opened = new_tab(chromium, viewport={"width": 1280, "height": 800})
    yield opened
    opened.page.context.close()


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


@pytest.fixture(scope="session")
def chinese_editor(stack: Stack) -> Iterator[AgentLogin]:
    """An editor whose console is in Chinese (her own account, so other tests' staff stay English)."""
    account = add_agent_accounts(stack.env["DATABASE_URL"], (("wen", "editor", None, 1),))["wen"]
    console = Console(stack.url)
    assert console.login(account.username, account.password).status_code == 200
    assert console.put("/me/language", {"language": "zh"}).status_code == 200
    yield account
    console.close()


@pytest.fixture()
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture()
def sue_in_chinese(helpdesk_url: str, agent_accounts: dict[str, AgentLogin]) -> Iterator[AgentLogin]:
    sue = agent_accounts["sue"]
    console = Console(helpdesk_url)
    assert console.login(sue.username, sue.password).status_code == 200
    assert console.put("/me/language", {"language": "zh"}).status_code == 200
    yield sue
    console.put("/me/language", {"language": "en"})
    console.close()
