"""Where the bytes of files live: one interface, `FileStorage`. `LocalStorage` (a folder, FILES_DIR, default
var/files) is the default; `S3Storage` (helpdesk/files/s3_storage.py: FILES_STORE=s3) keeps them in an
S3-compatible bucket, for several helpdesk processes on several machines. `file_storage` picks one from the
environment."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path
from typing import Protocol

KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}(/[A-Za-z0-9_.-]{1,100})?$")
STORES = ("local", "s3")


class FileStorage(Protocol):
    async def put(self, key: str, data: bytes) -> None: ...

    async def get(self, key: str) -> bytes | None:
        """The bytes stored under `key`, None when nothing is."""
        ...

    async def problem(self) -> str | None:
        """What keeps the store from working (checked once at start, for the log), None when it works."""
        ...


def checked_key(key: str) -> str:
    """A storage key as the service makes them (`<folder>/<token>.<ext>`): nothing else is read or written."""
    if not KEY.match(key) or ".." in key:
        raise ValueError(f"not a storage key: {key!r}")
    return key


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / checked_key(key)

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

    async def problem(self) -> str | None:
        def check() -> str | None:
            try:
                self.root.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                return f"the files folder {self.root} cannot be made: {exc.strerror}"
            return None if os.access(self.root, os.W_OK) else f"the files folder {self.root} is not writable"

        return await asyncio.to_thread(check)


def file_storage(files_dir: Path) -> FileStorage:
    """The store FILES_STORE names: `local` (default: the folder `files_dir`) or `s3` (S3Settings.from_env)."""
    store = (os.environ.get("FILES_STORE") or "local").lower()
    if store not in STORES:
        raise ValueError(f"environment variable FILES_STORE must be one of {', '.join(STORES)}, got {store!r}")
    if store == "s3":
        from helpdesk.files.s3_storage import S3Settings, S3Storage  # boto3 is imported only when it is used

        return S3Storage(S3Settings.from_env())
    return LocalStorage(files_dir)
