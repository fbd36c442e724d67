"""Where the bytes of files live: one interface, `FileStorage`. `LocalStorage` (a folder, FILES_DIR, default
var/files) is the default; an S3-compatible store is the intended scale-out implementation (not built yet: several
helpdesk processes on one machine share the local folder; on several machines FILES_DIR must be a shared mount)."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path
from typing import Protocol

KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}(/[A-Za-z0-9_.-]{1,100})?$")


class FileStorage(Protocol):
    async def put(self, key: str, data: bytes) -> None: ...

    async def get(self, key: str) -> bytes | None: ...


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not KEY.match(key) or ".." in key:
            raise ValueError(f"not a storage key: {key!r}")
        return self.root / key

    async def put(self, key: str, data: bytes) -> None:
        path = self._path(key)

        def write() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(path.suffix + ".part")
            partial.write_bytes(data)
            os.replace(partial, path)

        await asyncio.to_thread(write)

    async def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            return None
