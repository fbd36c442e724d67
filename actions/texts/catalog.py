"""The text modules as the actions read them: each name is the template in the customer's current language.

``from actions.texts.catalog import orders as say`` then ``say.STOPPED``: Chinese while the conversation's
``language`` slot is zh (the action server sets it per call, helpdesk/i18n.py), English otherwise. The type
checker sees the English modules, which are the reference for names and placeholders.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from actions.texts import address, cancel, identity, orders, photos, returns, routing, smalltalk
else:
    from actions.texts import address as _address
    from actions.texts import cancel as _cancel
    from actions.texts import identity as _identity
    from actions.texts import orders as _orders
    from actions.texts import photos as _photos
    from actions.texts import returns as _returns
    from actions.texts import routing as _routing
    from actions.texts import smalltalk as _smalltalk
    from actions.texts.zh import address as _zh_address
    from actions.texts.zh import cancel as _zh_cancel
    from actions.texts.zh import identity as _zh_identity
    from actions.texts.zh import orders as _zh_orders
    from actions.texts.zh import photos as _zh_photos
    from actions.texts.zh import returns as _zh_returns
    from actions.texts.zh import routing as _zh_routing
    from actions.texts.zh import smalltalk as _zh_smalltalk
    from helpdesk.i18n import Localized

    address = Localized(_address, zh=_zh_address)
    cancel = Localized(_cancel, zh=_zh_cancel)
    identity = Localized(_identity, zh=_zh_identity)
    orders = Localized(_orders, zh=_zh_orders)
    photos = Localized(_photos, zh=_zh_photos)
    returns = Localized(_returns, zh=_zh_returns)
    routing = Localized(_routing, zh=_zh_routing)
    smalltalk = Localized(_smalltalk, zh=_zh_smalltalk)


@functools.cache
def in_every_language(catalog: object, name: str) -> frozenset[str]:
    """Template ``name`` in every language (to recognise one of the bot's own buttons whatever was spoken since).
    Read once per catalog and name: the text modules are constants, and the actions ask for the same few templates
    again for every event of a conversation they look back over (issue 22)."""
    from helpdesk.i18n import LANGUAGES, speaking

    found = set()
    for language in LANGUAGES:
        with speaking(language):
            found.add(str(getattr(catalog, name)))
    return frozenset(found)


__all__ = ["in_every_language", "address", "cancel", "identity", "orders", "photos", "returns", "routing", "smalltalk"]

TRANSLATED = ("address", "cancel", "identity", "orders", "photos", "returns", "routing", "smalltalk")
