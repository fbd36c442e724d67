"""Every string a console page or script can show has a Chinese entry (issue 18.5), checked without a browser.

The console is translated by static/console/i18n.js from i18n/zh.json, keyed by the English text; a page or script
that adds a visible string without its key shows English on a Chinese staff member's screen. These tests read every
console page (text and placeholder/title/aria-label/alt attributes outside [data-user-content]/[data-i18n-skip],
<code>, <pre>, <textarea>) and every string literal of every console script that may reach the screen, and fail
naming each one the catalog does not know (tests/support/console_strings.py mirrors i18n.js's lookup).
The Chromium walk through the pages in Chinese is tests/browser/test_console_zh_coverage.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support.console_strings import (
    CATALOG,
    CJK,
    CONSOLE,
    LETTERS,
    PLACEHOLDER,
    Catalog,
    Found,
    js_literals,
    looks_shown,
    page_strings,
)

PAGES = sorted(CONSOLE.glob("*.html"))
HELPDESK = CONSOLE.parents[1]
SCRIPTS = sorted(p for p in CONSOLE.glob("*.js") if p.name != "i18n.js")

# literals that look like words but never reach the screen (each with where and why); keep this list short
NOT_SHOWN = {
    "(none)": "dashboard.js: the metrics' name for a turn without text, a key of the intents' words",
    "(max-width: 640px)": "agent.js: the media query that tells the phone's one-pane layout, never shown",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def missing_in_pages(catalog: Catalog) -> list[Found]:
    return [found for page in PAGES for found in page_strings(page)[0] if not catalog.knows(found.text)]


def missing_in_scripts(catalog: Catalog) -> list[Found]:
    missing = []
    for script in SCRIPTS:
        for line, text, before in js_literals(script.read_text(encoding="utf-8")):
            if text.strip() in NOT_SHOWN or not looks_shown(text, before):
                continue
            if not catalog.covers_fragment(text):
                missing.append(Found(script.name, line, text))
    return missing


def test_every_console_page_loads_the_translator_before_its_own_scripts() -> None:
    assert len(PAGES) >= 7, PAGES  # agent, dashboard, unanswered, admin, followups, handbook, corrections
    for page in PAGES:
        scripts = re.findall(r'<script src="(/agent/(?!vendor/)[^"]+)"', page.read_text(encoding="utf-8"))
        assert scripts and scripts[0] == "/agent/i18n.js", f"{page.name} loads {scripts}"


def test_every_string_on_the_console_pages_has_a_chinese_entry(catalog: Catalog) -> None:
    missing = missing_in_pages(catalog)
    assert not missing, "add to i18n/zh.json (key = the English text):\n" + "\n".join(map(str, missing))


def test_every_string_the_console_scripts_show_has_a_chinese_entry(catalog: Catalog) -> None:
    missing = missing_in_scripts(catalog)
    assert not missing, (
        "add to i18n/zh.json (a sentence built around data is one key with {placeholders}: "
        '"Saved {user}."), or to NOT_SHOWN here if it never reaches the screen:\n' + "\n".join(map(str, missing))
    )


# the server's modules whose words reach the dashboard as group names: "(no team)", "(nobody yet)" for missing data
SERVER_GROUP_NAMES = [HELPDESK / "conversation" / "sla.py", *sorted((HELPDESK / "reports").glob("*.py"))]
GROUP_NAME = re.compile(r"""["'](\([a-z][a-z ]*\))["']""")


def test_the_group_names_the_server_gives_missing_data_have_a_chinese_entry(catalog: Catalog) -> None:
    # the dashboard shows them as rows of its tables (breaches by agent: "(nobody yet)"), where i18n.js translates
    names = {
        (path.name, name)
        for path in SERVER_GROUP_NAMES
        for name in GROUP_NAME.findall(path.read_text(encoding="utf-8"))
        if name not in NOT_SHOWN
    }
    assert {name for _, name in names} >= {"(no team)", "(nobody yet)"}, names
    missing = sorted(f"{where}: {name}" for where, name in names if not catalog.knows(name))
    assert not missing, "add to i18n/zh.json:\n" + "\n".join(missing)


def test_a_choice_keeps_its_value_when_its_words_are_translated() -> None:
    # <option>agent</option> submits its text: translated, the form would send "客服" as the role
    bad = [found for page in PAGES for found in page_strings(page)[1]]
    assert not bad, "give these options a value attribute:\n" + "\n".join(map(str, bad))


def test_the_chinese_catalog_is_chinese_with_the_same_placeholders(catalog: Catalog) -> None:
    assert len(catalog.entries) > 700
    for key, value in catalog.entries.items():
        assert value.strip(), key
        assert sorted(PLACEHOLDER.findall(key)) == sorted(PLACEHOLDER.findall(value)), (key, value)
        # a translation is Chinese, or the same words on purpose (names: "Larkspur Home", "VIP", "WhatsApp")
        assert value.lower() == key.lower() or CJK.search(value) or not LETTERS.search(value), (key, value)
    assert not NOT_SHOWN.keys() & catalog.entries.keys()


def test_the_lookup_translates_built_texts_like_the_console_does(catalog: Catalog) -> None:
    t = catalog.translate
    assert t("Saved bob.") == "已保存 bob。"
    assert t("Added 10 starter replies.") == "已添加 10 条默认回复。"  # the more specific key wins
    assert t("The conversation was put back in the queue.") == "会话已放回排队。"  # a known part is translated
    assert t("waiting 3 min") == "已等待 3 分钟"
    assert t("· team sales") == "· 团队 sales"
    assert t("12 finished · 3 in progress") == "12 个已结束 · 3 个进行中"
    # the unanswered report's reasons, each counted (it read "原因：a person was offered 1×")
    assert t("Why: a person was offered 1× · suggestions turned down 2×") == "原因：提出了转人工 1 次 · 推荐被拒绝 2 次"
    assert t("{n} found".replace("{n}", "seven")) is None  # a count placeholder matches figures only
    assert t("A sentence nobody translated") is None


def test_the_checks_fail_on_a_string_without_an_entry(tmp_path: Path) -> None:
    # the same scans over a page and a script that add one new string each: both are named
    small = Catalog({"Save": "保存", "Saved {user}.": "已保存 {user}。"})
    page = tmp_path / "new.html"
    page.write_text('<main><button>Save</button><p title="Brand new tip">Brand new words</p></main>')
    shown, _ = page_strings(page)
    assert [f.text for f in shown if not small.knows(f.text)] == ["Brand new tip", "Brand new words"]
    script = 'el("button", "small save", "Save"); flash("Saved " + name + "."); note.textContent = "Gone " + n;'
    literals = [text for _, text, before in js_literals(script) if looks_shown(text, before)]
    assert [text for text in literals if not small.covers_fragment(text)] == ["Gone "]
    # a whole sentence is not covered by being a piece of a longer key
    longer = Catalog({"Saved. Set in {source}.": "已保存。设置来源：{source}。"})
    assert longer.covers_fragment("Set in ") and not longer.covers_fragment("Saved.")


def test_the_catalog_file_is_the_one_the_console_serves_with_each_key_once() -> None:
    assert CATALOG == CONSOLE / "i18n" / "zh.json" and CATALOG.is_file()
    # several lanes add entries: a key added twice (a merge) would silently keep only the last translation
    pairs: list[tuple[str, str]] = []
    json.loads(CATALOG.read_text(encoding="utf-8"), object_pairs_hook=lambda p: pairs.extend(p) or dict(p))
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})
