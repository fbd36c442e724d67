"""What says a message is about a shop order, and what says it is about something else: the cues per language,
one home for them (issue 18: the order flows need evidence of a request about a shop order).

"取消明天早上的闹钟" (cancel tomorrow morning's alarm) and "cancel my dentist appointment" are cancellations, but not
of anything bought here: the intent head learns "cancel" well and the other domain's noun poorly, so an order flow
is started only when the message names no other domain or also names the order side (an order, a parcel, a
delivery, goods: "订单100234的发货提醒" is still about an order). The arbiter (nlu_addons.arbiter) reads the cues
of every language in every message, since a Chinese message may carry English words ("order 100206 到哪了").
"""

from __future__ import annotations

import re

from nlu_addons.language import Language

# the order side: an order, a purchase, a parcel or its delivery, goods sent back ("退货"; a refund alone is not an
# order's: "演唱会门票退款" is a ticket's)
ORDER_CUES: dict[Language, re.Pattern[str]] = {
    "en": re.compile(
        r"\b(?:orders?|ordered|purchases?|purchased|bought|packages?|parcels?|deliver(?:y|ies|ed)?|shipp(?:ing|ed)"
        r"|shipments?|items?|goods|products?|couriers?|tracking)\b",
        re.IGNORECASE,
    ),
    "zh": re.compile(
        r"订单|訂單|定单|单号|單號|下单|下單|[这那此该哪][一]?[单單筆笔]|[买買](?:的|了|过|過)|网购|網購|购物|購物|包裹|快递|快遞"
        r"|物流|发货|發貨|收货|收貨|送货|送貨|退货|退貨|换货|換貨|货物|貨物|商品|配送|签收|簽收|寄"
    ),
}

# another domain a customer's words may come from: an assistant's alarms, reminders and calendar, bookings and
# tickets of other businesses, subscriptions and memberships of other services, media playback
OTHER_DOMAIN_CUES: dict[Language, re.Pattern[str]] = {
    "en": re.compile(
        r"\b(?:alarms?|reminders?|timers?|snooze|meetings?|appointments?|calendar|reservations?|bookings?"
        r"|flights?|hotels?|trains?|tickets?|concerts?|subscriptions?|memberships?|netflix|spotify|playlists?"
        r"|songs?|music|restaurants?|taxi|uber|gym|classes|lessons?)\b",
        re.IGNORECASE,
    ),
    "zh": re.compile(
        r"闹钟|鬧鐘|闹铃|鬧鈴|提醒|定时|定時|计时|計時|倒计时|倒計時|会议|會議|开会|開會|日程|日历|日曆|行程|约会|約會"
        r"|预约|預約|挂号|掛號|航班|机票|機票|火车票|火車票|高铁|高鐵|车票|車票|门票|門票|电影票|電影票|演唱会|演唱會"
        r"|酒店|民宿|餐厅|餐廳|订位|訂位|外卖|外賣|打车|打車|会员|會員|订阅|訂閱|(?<!手)续费|(?<!手)續費|话费|話費|流量|套餐"
        r"|课程|課程|健身|播放|歌单|歌單|音乐|音樂"
    ),
}


# another shop, platform or brand by name: its orders, refunds, accounts and products are its own, never the shop's
# ("我的淘宝快递到哪了", "宜家的退货政策是什么", "拼多多的退款怎么还没到"; issue 18: the handbook answered them with
# the shop's policies, the order flows took them as the shop's orders). Not the payment methods and carriers the
# shop works with and its handbook names (支付宝, 微信支付, 顺丰, 丰巢). Chinese names count wherever they are: a
# Chinese message names the platform it bought on as the place, not as a possessive. English: ANOTHER_COMPANYS below
OTHER_COMPANY_NAMES_ZH = (
    r"淘宝|淘寶|天猫|天貓|京东|京東|拼多多|闲鱼|閒魚|亚马逊|亞馬遜|唯品会|唯品會|抖音|快手|美团|美團|饿了么|餓了麼"
    r"|宜家|无印良品|無印良品|得物|小红书|小紅書|滴滴|当当|當當|苏宁|蘇寧|网易|網易"
)
# ... and, in Chinese, the customer's password, membership or fee with something else, named as whose it is: another
# service or app ("QQ会员到期了", the payment apps' own passwords: "微信的支付密码改不了"; not a payment with them,
# nor a login to the shop with them: "用微信账号登录"), a device ("家里wifi的密码换了", "平板的开机密码"), a bank
# card's fees and limits ("信用卡的额度不够了吗", "储蓄卡还款日"; not its payment at the checkout). A password or an
# account with nothing else named is the shop's ("密码忘了怎么办")
OTHER_SERVICES_ZH = (
    r"(?<![A-Za-z])(?i:steam|qq|apple\s?id|icloud|wechat)(?![A-Za-z])|微信|支付宝|支付寶|微博|游戏|遊戲|网游|網遊"
)
DEVICES_ZH = (
    r"路由器|(?<![A-Za-z])(?i:wi-?fi)(?![A-Za-z])|无线网|無線網|宽带|寬帶|手机|手機|电脑|電腦|平板|门锁|門鎖|开机|開機"
    r"|锁屏|鎖屏"
)
BANK_CARDS_ZH = r"信用卡|银行卡|銀行卡|储蓄卡|儲蓄卡"
OTHER_ACCOUNTS_ZH = (
    rf"(?:{OTHER_SERVICES_ZH})的?(?:支付|账号|賬號|帐号|帳號|账户|賬戶)?(?:密码|密碼|会员|會員)"
    rf"|(?:{DEVICES_ZH})的?(?:锁屏|鎖屏|开机|開機|解锁|解鎖)?(?:密码|密碼|后台|後台)"
    rf"|(?:{BANK_CARDS_ZH})的?[^\s，,。？?！!]{{0,2}}?(?:年费|年費|额度|額度|提额|提額|还款|還款|挂失|掛失|利息|逾期)"
)
# ... and goods bought from another seller or of another brand, asked about after the sale ("在别家超市买的锅漏水",
# "别的网站买的椅子能在你们这修吗", "其他品牌的台灯坏了"): not the shop's goods. Not a price compared with another
# shop's ("别家卖得比你们便宜": the shop's price-match question), not the customer's reason to cancel ("别家买到了，
# 这单不要了"), not the shop's own other stores ("你们其他门店买的")
OTHER_SELLERS_ZH = (
    r"(?<!你们)(?<!你們)(?:(?:别家|別家|官网以外|官網以外)的?[^\s，,。？?！!]{0,2}?"
    r"|(?:别的|別的|其他|其它)(?:网店|網店|店铺|店鋪|店|商家|平台|网站|網站|地方|渠道))[^\s，,。？?！!]{0,2}?(?:买|買)的"
    r"|(?:别的|別的|其他|其它|别家|別家)(?:牌子|品牌)[^，,。？?！!]{0,10}?(?:保修|维修|維修|修|退|换|換|坏|壞)"
)
OTHER_COMPANY_CUES: dict[Language, re.Pattern[str]] = {
    "zh": re.compile(f"{OTHER_COMPANY_NAMES_ZH}|{OTHER_ACCOUNTS_ZH}|{OTHER_SELLERS_ZH}"),
}


def order_cue(text: str) -> bool:
    """The message names the order side in some language (an order number or e-mail is the arbiter's to check)."""
    return any(pattern.search(text) for pattern in ORDER_CUES.values())


def other_domain_cue(text: str) -> bool:
    """The message names another domain (an alarm, a meeting, a ticket, a membership…) in some language."""
    return any(pattern.search(text) for pattern in OTHER_DOMAIN_CUES.values())


# the customer's account with the shop (its details, login and profile): "I moved, I need to update my details",
# "cancel my pro account" change or close the account, not an order, when nothing of an order is named; so does a
# move ("I moved to a new city and need to change my address": the saved address, no order named)
ACCOUNT_CUES: dict[Language, re.Pattern[str]] = {
    "en": re.compile(
        r"\b(?:accounts?|profiles?|details|info|information|personal\s+data|log-?\s?in|logins?|sign(?:ed)?\s?in"
        r"|usernames?|user\s?names?|passwords?|moved|relocat\w+|new\s+(?:home\s+)?address)\b",
        re.IGNORECASE,
    ),
    "zh": re.compile(r"账户|賬戶|帳戶|账号|帳號|賬號|个人资料|個人資料|个人信息|個人信息|登录|登錄|密码|密碼"),
}


def account_cue(text: str) -> bool:
    """The message names the customer's account (its details, login or profile) in some language."""
    return any(pattern.search(text) for pattern in ACCOUNT_CUES.values())


# other companies whose orders, accounts and subscriptions customers mix up with the shop's ("reset my gmail password",
# "where is my ikea delivery"): other shops and marketplaces, mail and social accounts, streaming and travel. Not the
# shop's own partners, whose names a Larkspur question may carry: the payment methods it takes (PayPal, Klarna, Apple
# Pay, Google Pay, iDEAL, Bancontact, card schemes), the banks a customer pays from, and its carriers (DHL, PostNL,
# DPD, UPS)
OTHER_COMPANIES = (
    r"amazon|ikea|zalando|ebay|etsy|wayfair|aliexpress|temu|shein|zara|h&m|primark|hema|jysk|argos|john\s+lewis"
    r"|coolblue|bol(?:\.com)?|otto|la\s+redoute|maisons\s+du\s+monde|icloud|apple\s+id"
    r"|google(?!\s+(?:pay|wallet))|microsoft|facebook|instagram|tiktok|snapchat|twitter|linkedin|whatsapp|netflix"
    r"|spotify|disney\+?|uber|deliveroo|just\s+eat|thuisbezorgd|airbnb|booking\.com|ryanair|easyjet|klm"
)
# a mail provider named as the customer's address is the address they use with the shop too ("my old hotmail
# address", "change my email to my gmail"): the provider's own account only with its password, login or inbox
MAIL_PROVIDERS = r"gmail|hotmail|outlook|yahoo(?:\s+mail)?"
# ... named as whose the customer's thing is: "my ikea delivery", "my amazon order", "the zalando parcel", "a gmail
# account", "netflix subscription" (not a mention beside the shop's own question: "can you match the price amazon has")
ANOTHER_COMPANYS = re.compile(
    rf"\b(?:my|our)\s+(?:\w+\s+)?(?:{OTHER_COMPANIES})(?![\w'’])"
    rf"|\b(?:{OTHER_COMPANIES})(?:'s|’s)?\s+(?:\w+\s+)?(?:orders?|parcels?|packages?|deliver(?:y|ies)|purchases?"
    r"|accounts?|passwords?|log-?\s?ins?|subscriptions?|memberships?|refunds?|returns?|app|profiles?)\b"
    rf"|\b(?:{MAIL_PROVIDERS})\s+(?:accounts?|passwords?|log-?\s?ins?|inbox)\b"
    rf"|\b(?:passwords?|log-?\s?ins?)\s+(?:for|of|to)\s+my\s+(?:{MAIL_PROVIDERS})\b",
    re.IGNORECASE,
)
# the shop itself named in the message: then the other company is beside the point ("larkspur or ikea, who is
# cheaper" is still a question to us)
THE_SHOP = re.compile(r"\blarkspur\b", re.IGNORECASE)


def another_companys(text: str) -> bool:
    """The message is about the customer's order, account or subscription with another company: in English its
    name as whose the thing is (ANOTHER_COMPANYS), in Chinese any named platform (OTHER_COMPANY_CUES); never when the
    shop itself is named. One rule for the NLU's arbiter and the action server's replies."""
    if THE_SHOP.search(text):
        return False
    return bool(ANOTHER_COMPANYS.search(text)) or any(pattern.search(text) for pattern in OTHER_COMPANY_CUES.values())
