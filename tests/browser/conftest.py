"""Fixtures of the browser tests: a fresh tab at each of the sizes a page is checked at (desktop and phone)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser
from test_widget_browser import SIZES, Tab, sized_tab


@pytest.fixture(params=sorted(SIZES))
def sized(request: pytest.FixtureRequest, chromium: Browser) -> Iterator[tuple[str, Tab]]:
    """(the size's name, a fresh tab at it): a test using it runs once per size."""
    opened = sized_tab(chromium, str(request.param))
    yield str(request.param), opened
    opened.page.context.close()
