"""Chinese for actions/texts/photos.py (same names)."""

from __future__ import annotations

AFTER_RETURN = "如果商品到货时有损坏或与订单不符，您可以上传一张照片给我们的团队（可选）。"
ASK_DAMAGED = "您可以在这里发送损坏商品及其包装的照片，我们的团队会在处理您的订单时看到。这一步是可选的。"
ASK_WRONG_ITEM = (
    "您可以在这里发送您收到的商品的照片（如有可能，请拍上标签），我们的团队会在处理您的订单时看到。这一步是可选的。"
)
ADD_PHOTO_BUTTON = "📷 上传照片"
SKIP_BUTTON = "跳过"
