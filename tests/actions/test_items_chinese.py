"""Chinese customers name the items of a partial return in their own words (issue 18 leftovers, zh-desk 4): a product
is named by its Chinese catalogue name (knowledge/demo/shop.yml's ``zh``), "只退蜡烛" is the scented candle and not the
candle holders, "退那个花瓶" the vase, "除了花瓶都退" everything else, "浴巾也退" adds the towels."""

from __future__ import annotations

from actions.items import choose, part_of_a_set, pieces_answer, read_items
from helpdesk.orders import OrderLine

LINES = [
    OrderLine("LH-TXT-0420", "Waffle bath towel, stone", 2, "24.95", name_zh="华夫格浴巾，石色"),
    OrderLine("LH-BED-0210", "Linen fitted sheet 160×200, clay", 1, "69.00", name_zh="亚麻床笠 160×200，陶土色"),
    OrderLine("LH-CAN-0501", "Fig & cedar scented candle", 1, "28.00", name_zh="无花果雪松香薰蜡烛"),
    OrderLine("LH-DEC-0312", "Brass candle holders, pair", 1, "36.00", name_zh="黄铜烛台，一对"),
    OrderLine("LH-DEC-0301", "Hand-thrown vase, speckled white", 1, "54.00", name_zh="手工拉坯花瓶，斑点白"),
    OrderLine("LH-BTH-0705", "Stoneware soap dish", 1, "16.50", name_zh="炻瓷皂碟"),
]
EVERYTHING = {line.sku: line.quantity for line in LINES}


def chosen(text: str, current: dict[str, int] | None = None) -> dict[str, int] | None:
    said = read_items(text, LINES)
    return choose(said, LINES, current) if said.anything else None


def test_chinese_names_pick_the_items() -> None:
    assert chosen("只退蜡烛") == {"LH-CAN-0501": 1}
    assert chosen("退那个花瓶") == {"LH-DEC-0301": 1}
    assert chosen("烛台和皂碟") == {"LH-DEC-0312": 1, "LH-BTH-0705": 1}
    assert chosen("浴巾") == {"LH-TXT-0420": 2}
    assert chosen("全部退") == EVERYTHING
    assert chosen("除了花瓶都退") == {k: v for k, v in EVERYTHING.items() if k != "LH-DEC-0301"}
    assert chosen("退蜡烛，花瓶留着") == {"LH-CAN-0501": 1}
    assert chosen("浴巾也退", {"LH-CAN-0501": 1}) == {"LH-CAN-0501": 1, "LH-TXT-0420": 2}
    assert chosen("不对，只退烛台", {"LH-CAN-0501": 1}) == {"LH-DEC-0312": 1}
    assert chosen("花瓶不退了", {"LH-CAN-0501": 1, "LH-DEC-0301": 1}) == {"LH-CAN-0501": 1}
    assert chosen("你好") is None


def test_chinese_counts_before_or_after_the_name_return_some_pieces() -> None:
    many = [
        OrderLine("LH-TXT-0420", "Waffle bath towel, stone", 4, "24.95", name_zh="华夫格浴巾，石色"),
        OrderLine("LH-CAN-0501", "Fig & cedar scented candle", 3, "28.00", name_zh="无花果雪松香薰蜡烛"),
        OrderLine("LH-DEC-0312", "Brass candle holders, pair", 2, "36.00", name_zh="黄铜烛台，一对"),
    ]

    def pieces(text: str) -> dict[str, int]:
        return choose(read_items(text, many), many, None)

    assert pieces("退两条浴巾") == {"LH-TXT-0420": 2}
    assert pieces("浴巾退2条") == {"LH-TXT-0420": 2}
    assert pieces("其中1条浴巾和三个蜡烛") == {"LH-TXT-0420": 1, "LH-CAN-0501": 3}  # three of three: all of them
    assert pieces("退一对烛台") == {"LH-DEC-0312": 1}  # one pair of the two
    assert pieces("只退十二个蜡烛") == {"LH-CAN-0501": 3}  # more than ordered: every piece
    assert pieces("订单100234的浴巾") == {"LH-TXT-0420": 4}  # an order number is no count
    assert pieces("蜡烛要1个，浴巾也退") == {"LH-CAN-0501": 1, "LH-TXT-0420": 4}


def test_a_line_is_named_in_the_customers_language() -> None:
    candle = LINES[2]
    assert candle.name_in("zh") == "无花果雪松香薰蜡烛" and candle.name_in("en") == "Fig & cedar scented candle"
    assert candle.with_quantity(1).name_zh == "无花果雪松香薰蜡烛"
    assert OrderLine("X-1", "Mug", 1, "5.00").name_in("zh") == "Mug"  # no Chinese name: the English one


def test_a_thing_named_by_the_last_character_of_its_name_alone() -> None:
    """The walkthrough of 2026-12-06 (fourth session): "我想退掉订单100162里的碗" (炻瓷碗, stoneware bowls) asked which
    items again: a name's single last character where a word ends names it, beside another line named in full too;
    a measure word (一套, 两条) names nothing."""
    lines = [
        OrderLine("LH-LIV-0301", "Linen cushion cover 50×50, sage", 2, "29.95", name_zh="亚麻抱枕套 50×50，鼠尾草绿"),
        OrderLine("LH-KIT-0102", "Stoneware bowls, set of 4", 1, "49.00", name_zh="炻瓷碗，4 只装"),
    ]
    said = {
        t: read_items(t, lines)
        for t in ("我想退掉订单100162里的碗 因为不喜欢颜色", "碗和抱枕套都退", "退一套", "碗坏了")
    }
    assert set(said["我想退掉订单100162里的碗 因为不喜欢颜色"].returned) == {"LH-KIT-0102"}
    assert set(said["碗和抱枕套都退"].returned) == {"LH-KIT-0102", "LH-LIV-0301"}
    assert not said["退一套"].anything
    assert set(said["碗坏了"].returned) == {"LH-KIT-0102"}  # 了 ends the word


def test_traditional_characters_name_items_keep_them_and_count_pieces() -> None:
    """Taiwan and Hong Kong customers (the czh lane's walk, 2026-12-07): "花瓶留著" (著, not 着) returned the vase it
    keeps, and "只退2隻" (隻, the measure word 只 in traditional script) counted no pieces of a set."""
    assert chosen("退蠟燭，花瓶留著") == {"LH-CAN-0501": 1}
    assert chosen("燭台和皂碟") == {"LH-DEC-0312": 1, "LH-BTH-0705": 1}
    tumblers = [
        OrderLine("LH-KIT-0125", "Ribbed tumblers, set of 6", 1, "32.00", name_zh="条纹玻璃杯，6 只装"),
        OrderLine("LH-TXT-0433", "Washed linen tablecloth 160×250", 1, "79.00", name_zh="水洗亚麻桌布 160×250"),
    ]
    assert part_of_a_set("我只想退2隻杯子", tumblers) == tumblers[0]
    assert part_of_a_set("我只想退2只杯子", tumblers) == tumblers[0]
    assert pieces_answer("兩個", OrderLine("LH-TXT-0420", "Waffle bath towel, stone", 2, "24.95")) == 2


SIZED = [
    OrderLine("LH-DEC-0327", "Round mirror 60 cm", 1, "119.00", name_zh="圆镜 60 厘米"),
    OrderLine("LH-KIT-0122", "Glass carafe 1 l", 1, "22.50", name_zh="玻璃水瓶 1 升"),
    OrderLine("LH-KIT-0101", "Stoneware dinner plates, set of 4", 1, "59.00", name_zh="炻瓷餐盘，4 只装"),
]


def test_a_name_with_its_size_is_named_by_its_thing_not_the_unit() -> None:
    # lane czh2's walk: "镜子" for 圆镜 60 厘米 was "没看明白您指的是哪些商品" (the name's head was read as 厘米)
    assert read_items("镜子", SIZED).returned == {"LH-DEC-0327": None}
    assert read_items("瓶子退掉", SIZED).returned == {"LH-KIT-0122": None}
    assert read_items("镜子留着，盘子退掉", SIZED).returned == {"LH-KIT-0101": None}


def test_a_bowl_named_before_li_is_the_bowls_of_the_order() -> None:
    """ "一套碗里有一个碎了": 碗 before 里 ("in the set of bowls") names the bowls, one set of the two."""
    from decimal import Decimal

    from actions.product_kinds import items_named
    from helpdesk.orders.model import OrderLine

    bowls = [OrderLine("LH-KIT-0102", "Stoneware bowls, set of 4", 2, Decimal("49"), name_zh="炻瓷碗，4 只装")]
    assert items_named("一套碗里有一个碎了", bowls).returned == {"LH-KIT-0102": 1}
