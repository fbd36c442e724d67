"""Files in the chat (issue 21): photos (JPEG, PNG, WebP) and PDFs from customers and agents.

- `checks` what a file is, from its content (magic bytes; Pillow for images), images re-encoded without metadata,
  thumbnails; PDFs with active content refused.
- `storage` one interface for the bytes: a local folder by default (FILES_DIR); `s3_storage` an S3-compatible
  bucket (FILES_STORE=s3) for helpdesks on several machines.
- `photo_requests` the bot's request for a photo (returns, a damaged or wrong item): the payload of its buttons,
  and which photo answers which request (and so which order).
- `service` uploads (limits per file, per conversation, per address) and reads (only that conversation's customer
  and its staff).
"""
