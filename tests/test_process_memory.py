"""What the running processes hold in memory (issue 22: the memory of each process, no worse than before).

- The helpdesk maps neither FAISS nor numpy: the handbook's vectors, search and clustering live in the action
  server (helpdesk/knowledge/runtime.py), and the helpdesk only reads the held-out question files and the report
  limits (helpdesk/knowledge/query_files.py, helpdesk/knowledge/clusters.py). FAISS and numpy cost it ~30 MB.

Read from the stack's own processes (/proc/<pid>/maps and status), started as `make run` starts them.
"""

from __future__ import annotations

from pathlib import Path

from helpdesk.stack import Stack


def pid_of(stack: Stack, name: str) -> int:
    process = stack.services[name].process
    assert process is not None and process.poll() is None, f"{name} is not running"
    return process.pid


def test_the_helpdesk_maps_no_faiss_and_no_numpy(stack: Stack) -> None:
    def mapped(name: str) -> set[str]:
        maps = Path(f"/proc/{pid_of(stack, name)}/maps").read_text()
        return {library for library in ("faiss", "_multiarray_umath") if library in maps}

    assert mapped("actions") == {"faiss", "_multiarray_umath"}  # the check sees what a process holds
    assert mapped("helpdesk") == set()
