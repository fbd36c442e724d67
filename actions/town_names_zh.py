"""The Chinese names of towns in the countries the shop delivers to, with the name their couriers read: a Chinese
customer writes the town of a new address in Chinese ("米兰 Via Roma 5, 20121"), and a label reading "20121 米兰" is
no address for an Italian courier. Keys in simplified characters (a traditional name is looked up simplified:
nlu_addons.language ``simplified``); the value is the country code and the town as the country writes it."""

from __future__ import annotations

import re

from nlu_addons.language import simplified

TOWNS: dict[str, tuple[str, str]] = {
    # Italy
    "米兰": ("IT", "Milano"), "罗马": ("IT", "Roma"), "佛罗伦萨": ("IT", "Firenze"), "翡冷翠": ("IT", "Firenze"),
    "威尼斯": ("IT", "Venezia"), "那不勒斯": ("IT", "Napoli"), "都灵": ("IT", "Torino"), "博洛尼亚": ("IT", "Bologna"),
    "热那亚": ("IT", "Genova"), "维罗纳": ("IT", "Verona"), "比萨": ("IT", "Pisa"), "巴勒莫": ("IT", "Palermo"),
    "普拉托": ("IT", "Prato"), "帕多瓦": ("IT", "Padova"), "贝加莫": ("IT", "Bergamo"), "布雷西亚": ("IT", "Brescia"),
    # France
    "巴黎": ("FR", "Paris"), "里昂": ("FR", "Lyon"), "马赛": ("FR", "Marseille"), "尼斯": ("FR", "Nice"),
    "波尔多": ("FR", "Bordeaux"), "图卢兹": ("FR", "Toulouse"), "里尔": ("FR", "Lille"),
    "斯特拉斯堡": ("FR", "Strasbourg"), "南特": ("FR", "Nantes"), "蒙彼利埃": ("FR", "Montpellier"),
    "戛纳": ("FR", "Cannes"),
    # Germany
    "柏林": ("DE", "Berlin"), "慕尼黑": ("DE", "München"), "汉堡": ("DE", "Hamburg"),
    "法兰克福": ("DE", "Frankfurt am Main"), "科隆": ("DE", "Köln"), "杜塞尔多夫": ("DE", "Düsseldorf"),
    "斯图加特": ("DE", "Stuttgart"), "莱比锡": ("DE", "Leipzig"), "德累斯顿": ("DE", "Dresden"),
    "汉诺威": ("DE", "Hannover"), "纽伦堡": ("DE", "Nürnberg"), "不来梅": ("DE", "Bremen"),
    "海德堡": ("DE", "Heidelberg"), "波恩": ("DE", "Bonn"),
    # Spain, Portugal
    "马德里": ("ES", "Madrid"), "巴塞罗那": ("ES", "Barcelona"), "瓦伦西亚": ("ES", "Valencia"),
    "巴伦西亚": ("ES", "Valencia"), "塞维利亚": ("ES", "Sevilla"), "马拉加": ("ES", "Málaga"),
    "毕尔巴鄂": ("ES", "Bilbao"), "里斯本": ("PT", "Lisboa"), "波尔图": ("PT", "Porto"),
    # the Netherlands, Belgium, Luxembourg
    "阿姆斯特丹": ("NL", "Amsterdam"), "鹿特丹": ("NL", "Rotterdam"), "海牙": ("NL", "Den Haag"),
    "乌得勒支": ("NL", "Utrecht"), "埃因霍温": ("NL", "Eindhoven"), "布鲁塞尔": ("BE", "Bruxelles"),
    "安特卫普": ("BE", "Antwerpen"), "根特": ("BE", "Gent"), "列日": ("BE", "Liège"), "卢森堡": ("LU", "Luxembourg"),
    # Austria, Switzerland
    "维也纳": ("AT", "Wien"), "萨尔茨堡": ("AT", "Salzburg"), "因斯布鲁克": ("AT", "Innsbruck"),
    "格拉茨": ("AT", "Graz"), "林茨": ("AT", "Linz"), "苏黎世": ("CH", "Zürich"), "日内瓦": ("CH", "Genève"),
    "巴塞尔": ("CH", "Basel"), "伯尔尼": ("CH", "Bern"), "洛桑": ("CH", "Lausanne"), "卢塞恩": ("CH", "Luzern"),
    # the United Kingdom, Ireland
    "伦敦": ("GB", "London"), "曼彻斯特": ("GB", "Manchester"), "伯明翰": ("GB", "Birmingham"),
    "爱丁堡": ("GB", "Edinburgh"), "格拉斯哥": ("GB", "Glasgow"), "利物浦": ("GB", "Liverpool"),
    "利兹": ("GB", "Leeds"), "布里斯托": ("GB", "Bristol"), "布里斯托尔": ("GB", "Bristol"),
    "剑桥": ("GB", "Cambridge"), "牛津": ("GB", "Oxford"), "都柏林": ("IE", "Dublin"), "科克": ("IE", "Cork"),
    "戈尔韦": ("IE", "Galway"),
    # the Nordic countries
    "哥本哈根": ("DK", "København"), "斯德哥尔摩": ("SE", "Stockholm"), "哥德堡": ("SE", "Göteborg"),
    "赫尔辛基": ("FI", "Helsinki"), "奥斯陆": ("NO", "Oslo"), "卑尔根": ("NO", "Bergen"),
    # Central, Eastern and Southern Europe
    "华沙": ("PL", "Warszawa"), "克拉科夫": ("PL", "Kraków"), "布拉格": ("CZ", "Praha"),
    "布达佩斯": ("HU", "Budapest"), "布拉迪斯拉发": ("SK", "Bratislava"), "卢布尔雅那": ("SI", "Ljubljana"),
    "萨格勒布": ("HR", "Zagreb"), "布加勒斯特": ("RO", "București"), "索非亚": ("BG", "Sofia"),
    "雅典": ("GR", "Athina"), "塞萨洛尼基": ("GR", "Thessaloniki"), "维尔纽斯": ("LT", "Vilnius"),
    "里加": ("LV", "Rīga"), "塔林": ("EE", "Tallinn"), "瓦莱塔": ("MT", "Valletta"), "尼科西亚": ("CY", "Nicosia"),
}  # fmt: skip

# "米兰市": the word for a city after the name
CITY_WORD_RE = re.compile(r"[市城]$")


def latin_town(town: str) -> tuple[str, str] | None:
    """(country code, the town as its country writes it) for a town named in Chinese ("米兰", "米蘭市"), or None for
    a name this list does not know."""
    name = simplified(town.strip())
    return TOWNS.get(name) or TOWNS.get(CITY_WORD_RE.sub("", name))
