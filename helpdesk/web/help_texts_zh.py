"""Chinese for helpdesk/web/help_texts.py: the same names and placeholders."""

from __future__ import annotations

HTML_LANG = "zh-CN"
SITE = "Larkspur Home"
SHOP_LINK = "Larkspur Home — 商城首页"
HELP_CENTRE = "帮助中心"
BACK_TO_SHOP = "返回商城"
FOOTER = "© Larkspur Home B.V. — 开源客服助手的演示商城。"
CHAT_TITLE = "Larkspur Home 客服"
OTHER_LANGUAGE = "English"
OTHER_LANGUAGE_CODE = "en"

TOPICS = {
    "orders": "订单",
    "delivery": "配送",
    "returns": "退货与退款",
    "payments": "支付与礼品卡",
    "account": "我的账户",
    "products": "商品与保养",
    "membership": "会员与订阅",
    "help": "联系与服务",
}
GENERAL = "其他"

SEARCH_LABEL = "搜索帮助中心"
SEARCH_PLACEHOLDER = "搜索，例如“礼品退货”或“配送到挪威”"
SEARCH = "搜索"
CHAT_WITH_US = "在线咨询"
HOW_CAN_WE_HELP = "有什么可以帮您？"
ARTICLES_ABOUT = "关于“{tag}”的文章"
ALL_TOPICS = "全部主题"
TOPICS_LABEL = "主题"
CANT_FIND = "没找到您需要的内容？"
ASSISTANT_ANSWERS = "智能助手即时为您解答；解决不了时，会为您转接我们的客服人员。"
SEARCH_TITLE = "“{query}” · 帮助中心"
RESULTS_FOR = "“{query}”的搜索结果"
NO_RESULTS = "没有找到相关文章。换个说法试试，浏览下面的主题，或者在线咨询我们——我们会从您的问题开始解答。"
ASK_IN_CHAT = "在线咨询"
BROWSE_BY_TAG = "按标签浏览"
BREADCRUMB = "当前位置"
TAGS = "标签"
RELATED = "相关文章"
ABOUT = "关于“{title}”："
STILL_NEED_HELP = "还需要帮助？"
ASK_ABOUT_THIS = "可以就这个问题咨询智能助手，需要时会由我们的客服人员接手。"
ARTICLE_TITLE = "{title} · 帮助中心"
THANKS = "感谢您的反馈！"
SORRY = "很抱歉没能帮到您。编辑会查看每一个 👎。可以看看下面的相关文章，或者在线咨询我们。"
WAS_IT_HELPFUL = "这篇文章对您有帮助吗？"
YES = "有帮助"
NO = "没帮助"
ASK_INSTEAD = "直接问我们"
DAY_AND_NIGHT = "智能助手全天候为您服务。"

UNAVAILABLE_TITLE = "帮助中心暂时无法访问"
UNAVAILABLE = "帮助文章暂时无法显示。"
SEARCHED_A_LOT = "您在短时间内搜索得太频繁了，请稍等一分钟再试。"
NO_SUCH_ARTICLE = "找不到这篇帮助文章"
MAY_HAVE_MOVED = "它可能已经移动了——试试搜索。"
VOTE_REFUSED = "投票未被接受"
VOTE_ON_PAGE = "请在文章页面上投票。"
FORM_TOO_LARGE = "提交的表单太大了。"
CHOOSE_A_VOTE = "请在文章上选择 👍 或 👎。"
TOO_MANY_VOTES = "投票太频繁了"
WAIT_A_MINUTE = "请稍等一分钟再试。"
