"""The bot's request for a photo (issue 21; actions/photos.py, helpdesk/files/photo_requests.py): optional, after a
return is booked and after the handbook's answer about a damaged or wrong item. No placeholders."""

from __future__ import annotations

# added under the booked return's instructions
AFTER_RETURN = "If an item arrived damaged or isn't what you ordered, you can add a photo for our team (optional)."
# its own message after the handbook's answer
ASK_DAMAGED = (
    "You can send a photo of the damaged item and its packaging here, and our team will see it with your order. "
    "This is optional."
)
ASK_WRONG_ITEM = (
    "You can send a photo of the item you received (with its label if you can) here, and our team will see it "
    "with your order. This is optional."
)
ADD_PHOTO_BUTTON = "📷 Add a photo"
SKIP_BUTTON = "Skip"
