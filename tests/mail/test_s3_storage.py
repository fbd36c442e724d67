"""Files in an S3-compatible bucket (FILES_STORE=s3), against a local S3 server (moto's, started by the test; never
a real one): the storage itself, then a helpdesk whose photos go to the bucket and come back to the customer and the
agent, with the per-conversation and per-address limits answered clearly."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from pathlib import Path

import boto3
import httpx
import pytest
from moto.server import ThreadedMotoServer
from support.chat import another_address, client_from
from support.helpdesks import extra_helpdesk
from test_file_checks import photo
from test_files_stack import upload

from helpdesk.errors import Unavailable
from helpdesk.files.s3_storage import S3Settings, S3Storage
from helpdesk.files.storage import LocalStorage, file_storage
from helpdesk.stack import Stack, free_port

BUCKET = "larkspur-files"
KEYS = {"FILES_S3_ACCESS_KEY_ID": "testing-key", "FILES_S3_SECRET_ACCESS_KEY": "testing-secret"}
PER_CONVERSATION = 2
PER_ADDRESS = 3


@pytest.fixture(scope="module")
def s3_url() -> Iterator[str]:
    """A local S3-compatible server (moto) with one bucket: its URL."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    try:
        bucket_client(url).create_bucket(Bucket=BUCKET)
        yield url
    finally:
        server.stop()


def bucket_client(url: str):  # type: ignore[no-untyped-def]  # boto3's client, typed by the stubs as S3Client
    return boto3.session.Session().client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=KEYS["FILES_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["FILES_S3_SECRET_ACCESS_KEY"],
    )


def names_in_bucket(url: str, prefix: str) -> list[str]:
    listed = bucket_client(url).list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return sorted(str(o["Key"]) for o in listed.get("Contents", []))


def storage(url: str, prefix: str) -> S3Storage:
    return S3Storage(
        S3Settings(
            bucket=BUCKET,
            prefix=prefix + "/",
            endpoint_url=url,
            path_style=True,
            access_key_id=KEYS["FILES_S3_ACCESS_KEY_ID"],
            secret_access_key=KEYS["FILES_S3_SECRET_ACCESS_KEY"],
        )
    )


def test_the_bucket_keeps_and_returns_the_bytes_under_the_prefix(s3_url: str) -> None:
    prefix = "unit-" + secrets.token_hex(4)
    store = storage(s3_url, prefix)
    data = photo("PNG", (30, 30))
    asyncio.run(store.put("abc123/t0ken.png", data))
    assert asyncio.run(store.get("abc123/t0ken.png")) == data
    assert asyncio.run(store.get("abc123/nothing.png")) is None
    assert names_in_bucket(s3_url, prefix) == [f"{prefix}/abc123/t0ken.png"]
    for bad in ("../etc/passwd", "a/b/c", "", "abc/..png/x"):
        with pytest.raises(ValueError):
            asyncio.run(store.put(bad, b"x"))
    assert asyncio.run(store.problem()) is None
    gone = storage(f"http://127.0.0.1:{free_port()}", prefix)  # nothing listens there
    with pytest.raises(Unavailable):
        asyncio.run(gone.get("abc123/t0ken.png"))
    assert "the store does not answer" in str(asyncio.run(gone.problem()))


def test_the_environment_chooses_the_store(s3_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert type(file_storage(tmp_path)).__name__ == "LocalStorage"
    monkeypatch.setenv("FILES_STORE", "s3")
    with pytest.raises(ValueError, match="FILES_S3_BUCKET"):
        file_storage(tmp_path)
    monkeypatch.setenv("FILES_S3_BUCKET", BUCKET)
    monkeypatch.setenv("FILES_S3_ENDPOINT_URL", s3_url)
    monkeypatch.setenv("FILES_S3_PREFIX", "/env/")
    chosen = file_storage(tmp_path)
    assert isinstance(chosen, S3Storage)
    assert (chosen.settings.prefix, chosen.settings.path_style) == ("env/", True)
    monkeypatch.setenv("FILES_STORE", "ftp")
    with pytest.raises(ValueError, match="FILES_STORE"):
        file_storage(tmp_path)
    assert asyncio.run(LocalStorage(tmp_path / "files").problem()) is None
    (tmp_path / "a-file").write_text("not a folder")
    assert "cannot be made" in str(asyncio.run(LocalStorage(tmp_path / "a-file" / "files").problem()))


@pytest.fixture(scope="module")
def s3_env(stack: Stack, s3_url: str) -> dict[str, str]:
    """The settings of helpdesks keeping their files in the bucket (one database, one key prefix)."""
    workdir = stack.workdir / "s3-helpdesk"  # type: ignore[attr-defined]
    workdir.mkdir(exist_ok=True)
    prefix = "desk-" + secrets.token_hex(4)
    return {
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'helpdesk.db'}",
        "FILES_DIR": str(workdir / "files"),
        "FILES_STORE": "s3",
        "FILES_S3_BUCKET": BUCKET,
        "FILES_S3_ENDPOINT_URL": s3_url,
        "FILES_S3_PREFIX": prefix,
        **KEYS,
        "FILES_PER_CONVERSATION": str(PER_CONVERSATION),
        "FILES_PER_ADDRESS_PER_HOUR": str(PER_ADDRESS),
        "RASA_TIMEOUT": "60",
    }


@pytest.fixture(scope="module")
def s3_desk(stack: Stack, s3_env: dict[str, str]) -> Iterator[tuple[str, str, Path]]:
    """A helpdesk keeping its files in the bucket: (its URL, its key prefix, the local files folder it must not use)."""
    with extra_helpdesk(stack, "s3", s3_env) as url:
        yield url, s3_env["FILES_S3_PREFIX"], Path(s3_env["FILES_DIR"])


def new_conversation(client: httpx.Client) -> str:
    answer = client.post("/api/chat", json={"conversation_id": None, "text": "hello"})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["conversation_id"])


def test_photos_go_to_the_bucket_and_the_limits_hold(s3_desk: tuple[str, str, Path], s3_url: str) -> None:
    url, prefix, local_folder = s3_desk
    with client_from(url, another_address()) as customer, client_from(url, another_address()) as neighbour:
        first = new_conversation(customer)
        sent = upload(customer, first, "shelf.jpg", photo("JPEG"), "image/jpeg")
        assert sent.status_code == 201, sent.text
        attachment = sent.json()["message"]["attachment"]
        stored = names_in_bucket(s3_url, prefix)
        assert len(stored) == 2 and any(name.endswith(".thumb.jpg") for name in stored)  # the photo, its thumbnail
        assert not local_folder.exists() or not any(local_folder.rglob("*.jpg"))
        back = customer.get("/" + attachment["url"])
        assert back.status_code == 200 and back.content[:3] == b"\xff\xd8\xff"
        assert back.content == bucket_client(s3_url).get_object(Bucket=BUCKET, Key=stored[0])["Body"].read()
        assert customer.get("/" + attachment["url"], params={"thumb": "1"}).status_code == 200

        # per conversation: PER_CONVERSATION files, then a clear refusal
        for n in range(1, PER_CONVERSATION):
            assert upload(customer, first, f"p{n}.png", photo("PNG", (40, 40)), "image/png").status_code == 201
        over = upload(customer, first, "more.png", photo("PNG", (40, 40)), "image/png")
        assert over.status_code == 429
        assert over.json()["error"] == (f"this conversation already has {PER_CONVERSATION} files, the most it may have")
        # per address: at most PER_ADDRESS an hour from one connection, whatever the conversation
        second = new_conversation(customer)
        for n in range(PER_CONVERSATION, PER_ADDRESS):
            assert upload(customer, second, f"q{n}.png", photo("PNG", (40, 40)), "image/png").status_code == 201
        refused = upload(customer, second, "again.png", photo("PNG", (40, 40)), "image/png")
        assert refused.status_code == 429 and refused.headers.get("retry-after")
        assert refused.json()["error"] == f"too many files from your connection: at most {PER_ADDRESS} an hour"
        # another address is not held back by it
        elsewhere = new_conversation(neighbour)
        assert upload(neighbour, elsewhere, "ok.png", photo("PNG", (40, 40)), "image/png").status_code == 201


def test_another_helpdesk_with_its_own_disk_serves_the_photo_from_the_bucket(
    stack: Stack, s3_env: dict[str, str], s3_desk: tuple[str, str, Path], tmp_path: Path
) -> None:
    """What the bucket is for: a second helpdesk process (another machine: its own files folder) serves a photo the
    first one took."""
    url = s3_desk[0]
    with client_from(url, another_address()) as customer:
        conversation_id = new_conversation(customer)
        sent = upload(customer, conversation_id, "mat.jpg", photo("JPEG"), "image/jpeg")
        assert sent.status_code == 201, sent.text
        path = "/" + sent.json()["message"]["attachment"]["url"]
        original = customer.get(path).content
    second_env = {**s3_env, "FILES_DIR": str(tmp_path / "files")}
    with extra_helpdesk(stack, "s3-second", second_env) as second, client_from(second, another_address()) as again:
        served = again.get(path)
    assert served.status_code == 200 and served.content == original
    assert not (tmp_path / "files").exists() or not any((tmp_path / "files").rglob("*"))


def test_a_missing_bucket_is_said_at_start_and_uploads_answer_503(
    stack: Stack, s3_env: dict[str, str], tmp_path: Path
) -> None:
    bucket = "no-such-bucket-" + secrets.token_hex(3)
    env = {**s3_env, "FILES_S3_BUCKET": bucket, "FILES_DIR": str(tmp_path / "files")}
    with extra_helpdesk(stack, "s3-missing", env) as url, client_from(url, another_address()) as customer:
        conversation_id = new_conversation(customer)  # the chat works without the store
        refused = upload(customer, conversation_id, "mat.jpg", photo("JPEG"), "image/jpeg")
        assert refused.status_code == 503
        assert refused.json()["error"] == "the file store is not answering; try again in a moment"
    log = (stack.workdir / "logs" / "helpdesk-s3-missing.log").read_text()  # type: ignore[attr-defined]
    assert f"file store (FILES_STORE) not usable: bucket {bucket}: it does not exist" in log
