"""What a file is, from its content: photos re-encoded without metadata (the customer's GPS position never reaches
an agent), thumbnails made; PDFs kept unless they carry scripts; an executable renamed photo.jpg, an SVG with a
script, HTML, a damaged image: refused with a clear message."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from helpdesk.errors import Invalid
from helpdesk.files.checks import REFUSED, THUMB_SIZE, check
from helpdesk.files.service import safe_name

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run"


def photo(fmt: str = "JPEG", size: tuple[int, int] = (1200, 800), with_gps: bool = True) -> bytes:
    image = Image.new("RGB", size, (180, 90, 40))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "SecretCam 1.0"  # Software
    if with_gps:
        exif[0x8825] = {1: "N", 2: (52.0, 22.0, 1.0), 3: "E", 4: (4.0, 53.0, 2.0)}  # GPS IFD
    image.save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_a_photo_is_reencoded_without_metadata_and_gets_a_thumbnail(fmt: str, content_type: str) -> None:
    original = photo(fmt)
    assert b"SecretCam" in original
    checked = check(original)
    assert checked.content_type == content_type and (checked.width, checked.height) == (1200, 800)
    assert b"SecretCam" not in checked.data and b"PhoneMaker" not in checked.data
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert stored.format == fmt and not stored.getexif()
    assert checked.thumbnail is not None
    with Image.open(io.BytesIO(checked.thumbnail)) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) == THUMB_SIZE


@pytest.mark.parametrize(
    "data",
    [EXE, SVG, b"<html><script>alert(1)</script></html>", b"GIF89a" + b"\x00" * 50, b"just text"],
    ids=["renamed-executable", "svg-with-script", "html", "gif", "text"],
)
def test_what_is_not_a_photo_or_pdf_is_refused(data: bytes) -> None:
    with pytest.raises(Invalid) as refused:
        check(data)
    assert refused.value.message == REFUSED


def test_a_damaged_photo_and_an_active_pdf_are_refused_a_plain_pdf_kept() -> None:
    with pytest.raises(Invalid, match="damaged"):
        check(photo()[:400])
    with pytest.raises(Invalid, match="scripts"):
        check(b"%PDF-1.4\n1 0 obj << /Type /Action /S /JavaScript /JS (app.alert(1)) >> endobj\n%%EOF")
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    checked = check(pdf)
    assert checked.content_type == "application/pdf" and checked.data == pdf and checked.thumbnail is None


def test_the_stored_name_says_what_the_file_really_is() -> None:
    assert safe_name("holiday photo.exe", "jpg") == "holiday photo.jpg"
    assert safe_name("../../etc/passwd", "png") == "passwd.png"
    assert safe_name("<script>.pdf", "pdf") == "script.pdf"
    assert safe_name("", "webp") == "file.webp"
