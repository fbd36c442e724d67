"""What an uploaded file really is, decided from its content, never its name or the type the browser claimed.

Accepted: JPEG, PNG and WebP images (opened by Pillow, which must agree with the magic bytes; re-encoded in the same
format without EXIF, GPS, comments or colour-profile blobs, turned upright first; a JPEG thumbnail of at most
THUMB_SIZE px) and PDFs (served only as downloads; refused when they carry JavaScript or launch actions). Anything
else (an executable renamed photo.jpg, an SVG with script, HTML) is refused with a clear message."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from helpdesk.errors import Invalid

THUMB_SIZE = 320
MAX_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded
IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia)\b")
REFUSED = "only photos (JPEG, PNG or WebP) and PDF files can be sent"


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    data: bytes
    thumbnail: bytes | None  # JPEG; None for PDFs
    width: int | None = None
    height: int | None = None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def sniff(data: bytes) -> str | None:
    """The format the first bytes announce: JPEG, PNG, WEBP, PDF or None."""
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:5] == b"%PDF-":
        return "PDF"
    return None


def check(data: bytes) -> CheckedFile:
    kind = sniff(data)
    if kind is None:
        raise Invalid(REFUSED)
    if kind == "PDF":
        if PDF_ACTIVE.search(data):
            raise Invalid("this PDF contains scripts or embedded programs and cannot be sent")
        return CheckedFile("application/pdf", "pdf", data, None)
    return _image(data, kind)


def _image(data: bytes, kind: str) -> CheckedFile:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != kind:
                raise Invalid(REFUSED)
            probe.verify()  # a damaged file fails here
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened) or opened
            if kind == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                image = image.convert("RGBA")
            clean = Image.new(image.mode, image.size)  # pixels only: no metadata travels along
            clean.paste(image)
            if image.mode == "P" and image.getpalette():
                clean.putpalette(image.getpalette() or [])
            out = io.BytesIO()
            options: dict[str, object] = {"quality": 88} if kind in ("JPEG", "WEBP") else {"optimize": True}
            clean.save(out, format=kind, **options)
            thumb = clean.convert("RGB")
            thumb.thumbnail((THUMB_SIZE, THUMB_SIZE))
            thumb_out = io.BytesIO()
            thumb.save(thumb_out, format="JPEG", quality=80)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise Invalid("this image is damaged or too large to open") from exc
    content_type, extension = IMAGE_TYPES[kind]
    return CheckedFile(content_type, extension, out.getvalue(), thumb_out.getvalue(), clean.width, clean.height)
