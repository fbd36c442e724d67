"""The help centre's own words (/help, helpdesk/web/help_views.py and help_centre.py): English, the reference.

helpdesk/web/help_texts_zh.py has the same names with the same placeholders; ``help_views.say`` picks the page's
language (``?lang=zh``, else the browser's Accept-Language). The handbook's articles come in their own language
from the handbook (an entry's Chinese version, or its English one when it has none).
"""

from __future__ import annotations

HTML_LANG = "en"
SITE = "Larkspur Home"
SHOP_LINK = "Larkspur Home — shop"
HELP_CENTRE = "Help centre"
BACK_TO_SHOP = "Back to the shop"
FOOTER = "© Larkspur Home B.V. — a demo store for the open-source helpdesk assistant."
CHAT_TITLE = "Larkspur Home help"
OTHER_LANGUAGE = "中文"  # the switch to the other language, in that language
OTHER_LANGUAGE_CODE = "zh"

TOPICS = {
    "orders": "Orders",
    "delivery": "Delivery",
    "returns": "Returns & refunds",
    "payments": "Payment & gift cards",
    "account": "Your account",
    "products": "Products & care",
    "membership": "Membership & newsletter",
    "help": "Contact & service",
}
GENERAL = "General"

SEARCH_LABEL = "Search the help centre"
SEARCH_PLACEHOLDER = "Search, e.g. “return a gift” or “delivery to Norway”"
SEARCH = "Search"
CHAT_WITH_US = "Chat with us"
HOW_CAN_WE_HELP = "How can we help?"
ARTICLES_ABOUT = "Articles about “{tag}”"
ALL_TOPICS = "All topics"
TOPICS_LABEL = "Topics"
CANT_FIND = "Can't find what you need?"
ASSISTANT_ANSWERS = "Our assistant answers right away, and hands you to a person from our team when it can't help."
SEARCH_TITLE = "“{query}” · Help centre"
RESULTS_FOR = "Results for “{query}”"
NO_RESULTS = (
    "We couldn't find an article for that. Try other words, browse the topics below, or ask us in the chat — we'll "
    "start with your question."
)
ASK_IN_CHAT = "Ask in the chat"
BROWSE_BY_TAG = "Browse by tag"
BREADCRUMB = "Breadcrumb"
TAGS = "Tags"
RELATED = "Related articles"
ABOUT = "About “{title}”: "  # what the chat's input starts with when opened from an article
STILL_NEED_HELP = "Still need help?"
ASK_ABOUT_THIS = "Ask our assistant about this — a person from our team takes over when needed."
ARTICLE_TITLE = "{title} · Help centre"
THANKS = "Thanks for letting us know!"
SORRY = "Sorry this didn't help. Our editors read every 👎. Try a related article below, or ask us in the chat."
WAS_IT_HELPFUL = "Was this helpful?"
YES = "Yes"
NO = "No"
ASK_INSTEAD = "Ask us instead"
DAY_AND_NIGHT = "Our assistant is here day and night."

UNAVAILABLE_TITLE = "Help centre unavailable"
UNAVAILABLE = "Our help articles can't be shown right now."
SEARCHED_A_LOT = "You've searched a lot in a short time. Please wait a minute and try again."
NO_SUCH_ARTICLE = "No such help article"
MAY_HAVE_MOVED = "It may have moved — try searching."
VOTE_REFUSED = "Vote not accepted"
VOTE_ON_PAGE = "Please vote on the article page itself."
FORM_TOO_LARGE = "That form was too large."
CHOOSE_A_VOTE = "Choose 👍 or 👎 on an article."
TOO_MANY_VOTES = "Too many votes"
WAIT_A_MINUTE = "Please wait a minute and try again."
