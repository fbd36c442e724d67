"""Per-language figures for supervisors and editors (issue 18.1), through the running stack: the dashboard's
KPIs per customer language (by_language) and its language filter, and the unanswered-questions report filtered
by the language of the questions."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from support.agent import Console, say

CJK = re.compile(r"[\u3400-\u9fff]")


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def test_the_dashboard_has_figures_per_language_and_filters_by_it(
    client: httpx.Client, login: Callable[[str], Console]
) -> None:
    say(client, "你们的退货政策是什么？")
    say(client, "What is your return policy?")
    sue = login("sue")
    span = {"from": today(), "to": today(), "tz": "UTC"}
    everything = sue.get("/metrics", params=span).json()
    groups = {row["group"]: row["conversations"] for row in everything["by_language"]}
    assert groups.get("zh", 0) >= 1 and groups.get("en", 0) >= 1, groups
    assert {"en", "zh"} <= set(everything["choices"]["languages"])
    chinese = sue.get("/metrics", params={**span, "language": "zh"}).json()
    assert [row["group"] for row in chinese["by_language"]] == ["zh"]
    assert chinese["summary"]["conversations"] == groups["zh"]
    assert chinese["filters"]["language"] == "zh"
    csv_text = sue.get("/metrics.csv", params=span).text
    assert "by_language,zh," in csv_text


def test_the_unanswered_report_filters_by_the_questions_language(
    client: httpx.Client, login: Callable[[str], Console]
) -> None:
    say(client, "你们能帮我修理自行车的变速器吗？")  # off-topic: nothing in the handbook, a person offered
    say(client, "Can you repair the gears on my bicycle?")
    sue = login("sue")
    span = {"from": today(), "to": today(), "tz": "UTC"}
    chinese = sue.get("/unanswered", params={**span, "language": "zh"}).json()
    english = sue.get("/unanswered", params={**span, "language": "en"}).json()
    both = sue.get("/unanswered", params=span).json()
    assert chinese["language"] == "zh" and chinese["questions"] >= 1
    assert chinese["questions"] + english["questions"] == both["questions"]
    for cluster in chinese["clusters"]:
        assert all(CJK.search(example) for example in cluster["examples"]), cluster
    for cluster in english["clusters"]:
        assert not any(CJK.search(example) for example in cluster["examples"]), cluster
    assert sue.get("/unanswered", params={**span, "language": "fr"}).status_code == 400
