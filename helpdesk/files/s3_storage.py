"""Files in an S3-compatible bucket (AWS S3, MinIO, Ceph, Cloudflare R2, …): the scale-out implementation of
`FileStorage` (helpdesk/files/storage.py), for helpdesk processes on several machines. boto3 does the talking; its
blocking calls run in worker threads.

Settings (environment only; FILES_STORE=s3 turns it on):
FILES_S3_BUCKET (required, must exist), FILES_S3_PREFIX (keys under it, default none), FILES_S3_ENDPOINT_URL (an
S3-compatible server; unset: AWS), FILES_S3_REGION (us-east-1), FILES_S3_PATH_STYLE (on for most self-hosted
servers; default on when an endpoint is set), FILES_S3_ACCESS_KEY_ID and FILES_S3_SECRET_ACCESS_KEY (secrets: also
*_FILE; unset: boto3's own chain — AWS_* variables, a profile, an instance role)."""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from helpdesk.config import secret_from_env
from helpdesk.errors import Unavailable
from helpdesk.files.storage import checked_key

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

log = logging.getLogger(__name__)
MISSING = frozenset({"NoSuchKey", "404", "NotFound"})
UNAVAILABLE = "the file store is not answering; try again in a moment"


@dataclass(frozen=True)
class S3Settings:
    bucket: str
    prefix: str = ""
    endpoint_url: str | None = None
    region: str = "us-east-1"
    path_style: bool = False
    access_key_id: str | None = None
    secret_access_key: str | None = None

    @classmethod
    def from_env(cls) -> S3Settings:
        bucket = os.environ.get("FILES_S3_BUCKET") or ""
        if not bucket:
            raise ValueError("FILES_STORE=s3 needs the environment variable FILES_S3_BUCKET")
        endpoint = os.environ.get("FILES_S3_ENDPOINT_URL") or None
        path_style = (os.environ.get("FILES_S3_PATH_STYLE") or ("on" if endpoint else "off")).lower()
        if path_style not in ("on", "off", "true", "false", "1", "0", "yes", "no"):
            raise ValueError("environment variable FILES_S3_PATH_STYLE must be on or off")
        prefix = (os.environ.get("FILES_S3_PREFIX") or "").strip("/")
        return cls(
            bucket=bucket,
            prefix=f"{prefix}/" if prefix else "",
            endpoint_url=endpoint,
            region=os.environ.get("FILES_S3_REGION") or "us-east-1",
            path_style=path_style in ("on", "true", "1", "yes"),
            access_key_id=secret_from_env("FILES_S3_ACCESS_KEY_ID") or None,
            secret_access_key=secret_from_env("FILES_S3_SECRET_ACCESS_KEY") or None,
        )


class S3Storage:
    def __init__(self, settings: S3Settings) -> None:
        self.settings = settings
        config = Config(
            connect_timeout=5,
            read_timeout=30,
            retries={"max_attempts": 3, "mode": "standard"},
            s3={"addressing_style": "path" if settings.path_style else "auto"},
        )
        # a client is safe to share between threads; the session is not, so it is used here only
        self._client: S3Client = boto3.session.Session().client(
            "s3",
            endpoint_url=settings.endpoint_url,
            region_name=settings.region,
            aws_access_key_id=settings.access_key_id,
            aws_secret_access_key=settings.secret_access_key,
            config=config,
        )

    def object_key(self, key: str) -> str:
        return self.settings.prefix + checked_key(key)

    async def put(self, key: str, data: bytes) -> None:
        name = self.object_key(key)
        try:
            await asyncio.to_thread(
                self._client.put_object,
                Bucket=self.settings.bucket,
                Key=name,
                Body=data,
                ContentType="application/octet-stream",  # served by the helpdesk only, with the checked type
            )
        except (BotoCoreError, ClientError) as exc:
            log.warning("file store: storing %s in bucket %s failed: %s", name, self.settings.bucket, exc)
            raise Unavailable(UNAVAILABLE) from exc

    async def get(self, key: str) -> bytes | None:
        name = self.object_key(key)

        def read() -> bytes | None:
            try:
                answer = self._client.get_object(Bucket=self.settings.bucket, Key=name)
            except ClientError as exc:
                if str(exc.response.get("Error", {}).get("Code")) in MISSING:
                    return None
                raise
            return answer["Body"].read()

        try:
            return await asyncio.to_thread(read)
        except (BotoCoreError, ClientError) as exc:
            log.warning("file store: reading %s from bucket %s failed: %s", name, self.settings.bucket, exc)
            raise Unavailable(UNAVAILABLE) from exc

    async def problem(self) -> str | None:
        try:
            await asyncio.to_thread(self._client.head_bucket, Bucket=self.settings.bucket)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code"))
            return f"bucket {self.settings.bucket}: {'it does not exist' if code in MISSING else exc}"
        except BotoCoreError as exc:
            return f"bucket {self.settings.bucket}: the store does not answer ({exc})"
        return None
