"""The ``kb`` command through a real subprocess: exit codes, output format, the eval JSON line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support.kb import OUT_OF_SCOPE, PARAPHRASES, PROJECT_ROOT, PYTHON, kb_env, write_handbook


def kb(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "helpdesk.knowledge.cli", *args],
        cwd=cwd,
        env=kb_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_validate_clean_handbook_exits_0(tmp_path: Path) -> None:
    write_handbook(tmp_path / "knowledge" / "faq")
    result = kb("validate", cwd=tmp_path)  # the default folder, relative to the current directory
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == "OK: 8 files, 8 valid entries, 0 problems"


def test_validate_reports_file_and_line_and_exits_1(tmp_path: Path) -> None:
    root = write_handbook(tmp_path / "faq")
    (root / "shop" / "bad.md").write_text("---\nid: Bad_Id\ntitle: Bad?\ncolour: red\n---\nBody\n", encoding="utf-8")
    (root / "plain.md").write_text("no front matter\n", encoding="utf-8")
    result = kb("validate", "faq", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines == [
        "faq/plain.md:1: missing front matter: the file must start with a '---' line, then 'id:' and "
        "'title:', then a closing '---' line and the answer",
        "faq/shop/bad.md:2: bad id 'Bad_Id': use lower-case letters, digits and single dashes (like 'refund-policy')",
        "faq/shop/bad.md:4: unknown key 'colour' (allowed: id, title, questions, tags, zh)",
        "FAIL: 10 files, 8 valid entries, 3 problems",
    ]


def test_validate_missing_folder_exits_2(tmp_path: Path) -> None:
    result = kb("validate", "nowhere", cwd=tmp_path)
    assert result.returncode == 2
    assert "nowhere: handbook folder does not exist" in result.stderr


def test_validate_empty_folder_exits_1(tmp_path: Path) -> None:
    (tmp_path / "faq").mkdir()
    result = kb("validate", "faq", cwd=tmp_path)
    assert result.returncode == 1 and "no *.md handbook files" in result.stdout


def test_bad_jsonl_line_exits_2_with_file_and_line(tmp_path: Path) -> None:
    write_handbook(tmp_path / "faq")
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"query": "refund?", "faq_id": "refund-policy"}\n{"query": "oops"\n', encoding="utf-8")
    result = kb("eval", "--handbook", "faq", "--queries", "q.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert "q.jsonl:2: invalid JSON" in result.stderr


def test_jsonl_line_without_faq_id_exits_2(tmp_path: Path) -> None:
    write_handbook(tmp_path / "faq")
    write_jsonl(tmp_path / "q.jsonl", [{"query": "a"}, {"query": "b", "faq_id": "x"}])
    result = kb("eval", "--handbook", "faq", "--queries", "q.jsonl", cwd=tmp_path)
    assert result.returncode == 2 and "q.jsonl:1: 'faq_id' must be a non-empty string" in result.stderr


def test_eval_with_an_unknown_faq_id_exits_2_before_embedding(tmp_path: Path) -> None:
    write_handbook(tmp_path / "faq")
    write_jsonl(tmp_path / "q.jsonl", [{"query": "a", "faq_id": "refund-policy"}, {"query": "b", "faq_id": "nope"}])
    result = kb("eval", "--handbook", "faq", "--queries", "q.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert "q.jsonl:2: faq_id 'nope' is not a valid entry of faq" in result.stderr
    assert "embedding" not in result.stderr


@pytest.fixture(scope="module")
def eval_result(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    work = tmp_path_factory.mktemp("eval")
    write_handbook(work / "faq")
    write_jsonl(work / "q.jsonl", [{"query": query, "faq_id": faq_id} for query, faq_id in PARAPHRASES.items()])
    write_jsonl(work / "oos.jsonl", [{"query": query} for query in OUT_OF_SCOPE])
    args = ["--handbook", "faq", "--queries", "q.jsonl", "--oos", "oos.jsonl", "--json-out", "out/r.json"]
    return kb("eval", *args, "--sweep", cwd=work), work


def test_eval_prints_one_json_object_as_its_last_line(
    eval_result: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    result, work = eval_result
    assert result.returncode == 0, result.stderr
    last = json.loads(result.stdout.strip().splitlines()[-1])
    assert (last["n_queries"], last["n_oos"], last["entries"]) == (8, 3, 8)
    assert (last["p_at_1"], last["mrr_at_10"], last["oos_answered_rate"]) == (1.0, 1.0, 0.0)
    assert 0.0 < last["answered_rate"] <= 1.0
    assert len(last["sweep"]) == 34 and last["sweep"][0]["answer_threshold"] == 0.3
    assert json.loads((work / "out" / "r.json").read_text()) == last
    assert "P@1 1.000" in result.stdout
    assert "embedding" in result.stderr  # progress goes to stderr
    assert not (work / "var").exists()  # indexed into a temporary folder


def test_search_json_and_build_report(tmp_path: Path) -> None:
    write_handbook(tmp_path / "faq")
    build = kb("build", "faq", "--index-dir", "idx", cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    assert "8 entries, 26 vectors, index flat" in build.stdout
    assert "index kind: flat" in build.stdout
    assert (tmp_path / "idx" / "manifest.json").is_file()
    search = kb(
        "search",
        "I forgot my password",
        "--dir",
        "faq",
        "--index-dir",
        "idx",
        "-k",
        "2",
        "--json",
        cwd=tmp_path,
    )
    assert search.returncode == 0, search.stderr
    data = json.loads(search.stdout)
    assert (data["action"], data["best"], data["candidates"]) == (
        "answer",
        "password-reset",
        ["password-reset"],
    )
    assert [row["id"] for row in data["ranked"]][0] == "password-reset" and len(data["ranked"]) == 2
    assert "embedding" not in search.stderr  # the index was reused: nothing re-embedded


def test_console_script_is_installed() -> None:
    script = Path(PYTHON).parent / "kb"
    assert script.is_file(), "run: .venv/bin/pip install -e . --no-deps"
    result = subprocess.run(
        [str(script), "validate", "--help"], capture_output=True, text=True, cwd=PROJECT_ROOT, check=False
    )
    assert result.returncode == 0 and "validate" in result.stdout


def test_threshold_grid_command(eval_result: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, work = eval_result
    args = ["--handbook", "faq", "--queries", "q.jsonl", "--oos", "oos.jsonl", "--max-oos-answered", "0"]
    result = subprocess.run(
        [PYTHON, "-m", "helpdesk.knowledge.evaluate", *args],
        cwd=work,
        env=kb_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert json.loads(lines[0])["p_at_1"] == 1.0
    assert lines[1].split()[:4] == ["margin", "threshold", "answered", "wrong"]
    choice = json.loads(lines[-1].removeprefix("operating point: "))
    assert choice["oos_answered_rate"] == 0.0 and choice["answered_rate"] > 0.5
    assert not (work / "var").exists()  # indexed into a temporary folder
