"""The order rules' sentences in Chinese: refusals (why, and what instead) and a booked return's instructions.

The same situations as ``policy._Sentences`` and ``OrderPolicy.return_instructions``, chosen by
``helpdesk.i18n.current()`` (the conversation's language).
"""

from __future__ import annotations

from datetime import timedelta

from helpdesk.i18n import join_names, long_date, money
from helpdesk.orders.model import Order, OrderStatus, ReturnQuote
from helpdesk.orders.policy import Action, PolicyConfig, _Sentences

TALK_TO_TEAM = "我们的客服人员可以和您一起处理；需要的话，请让我为您转接。"

COUNTRY_NAMES = {
    "AT": "奥地利", "BE": "比利时", "BG": "保加利亚", "CH": "瑞士", "CY": "塞浦路斯", "CZ": "捷克",
    "DE": "德国", "DK": "丹麦", "EE": "爱沙尼亚", "ES": "西班牙", "FI": "芬兰", "FR": "法国", "GB": "英国",
    "GR": "希腊", "HR": "克罗地亚", "HU": "匈牙利", "IE": "爱尔兰", "IT": "意大利", "LT": "立陶宛",
    "LU": "卢森堡", "LV": "拉脱维亚", "MT": "马耳他", "NL": "荷兰", "NO": "挪威", "PL": "波兰", "PT": "葡萄牙",
    "RO": "罗马尼亚", "SE": "瑞典", "SI": "斯洛文尼亚", "SK": "斯洛伐克", "US": "美国", "CN": "中国",
}  # fmt: skip


def country_name(code: str) -> str:
    return COUNTRY_NAMES.get(code, code)


def return_instructions(config: PolicyConfig, order: Order, plan: ReturnQuote, rma: str) -> str:
    c = config
    items = "；".join(f"{line.quantity} × {line.name}" if line.quantity > 1 else line.name for line in plan.lines)
    parts = [f"订单 {order.number} 的退货已登记：{rma}（{items}）。"]
    if plan.label_fee:
        parts.append(
            f"预付退货运单会发送到您的邮箱 {order.email}；从{country_name(order.country)}寄回的运单费用为 "
            f"{money(plan.label_fee, c.currency)}，将从退款中扣除。"
        )
    else:
        parts.append(f"免费的预付退货运单会发送到您的邮箱 {order.email}。")
    parts.append(
        f"请用原包装打包商品，在箱子上写上 {rma}，贴好运单，并在 {c.return_ship_within_days} 天内交到运单上快递公司的"
        "任一网点。"
    )
    parts.append(
        f"包裹到达我们仓库后 {c.refund_business_days} 个工作日内，"
        f"{money(plan.refund_amount, c.currency)} 将退回您的原支付方式。"
    )
    if plan.excluded_lines:
        names = join_names([line.name for line in plan.excluded_lines])
        parts.append(f"{names} 属于清仓商品，不支持退货，请不要放进包裹。")
    return "".join(parts)


class SentencesZh(_Sentences):
    """``_Sentences`` in Chinese: one method per reason code."""

    def _return_offer(self) -> str:
        return f"在签收后 {self.c.return_window_days} 天内退货退款"

    def _already_packed(self) -> tuple[str, str]:
        if self.action is Action.CHANGE_ADDRESS:
            return (
                f"订单 {self.n} 已打包待发，无法再修改收货地址。",
                "您可以免费取消订单，用正确的地址重新下单；或者在发货后用我们邮件发给您的物流链接，联系快递公司改派。",
            )
        return (f"订单 {self.n} 已打包，无法再取消。", f"您可以在送货时拒收，或者{self._return_offer()}。")

    def _already_shipped(self) -> tuple[str, str]:
        if self.action is Action.CHANGE_ADDRESS:
            carrier = self.order.carrier if self.order and self.order.carrier else "快递公司"
            link = f"（{self.order.tracking_url}）" if self.order and self.order.tracking_url else ""
            return (
                f"订单 {self.n} 已发货，无法再修改收货地址。",
                f"您可以尝试通过物流链接{link}联系 {carrier} 改派，或者在送货时拒收，包裹退回后我们会给您退款。",
            )
        return (f"订单 {self.n} 已发货，无法再取消。", f"您可以在送货时拒收，或者{self._return_offer()}。")

    def _already_delivered(self) -> tuple[str, str]:
        if self.action is Action.CHANGE_ADDRESS:
            return (
                f"订单 {self.n} 已签收，无法再修改收货地址。",
                "如果送错了地方，我们的客服人员可以和您一起查明；需要的话，请让我为您转接。",
            )
        message = f"订单 {self.n} 已签收，无法再取消。"
        delivered = (self.order.delivered_at or self.order.shipped_at) if self.order is not None else None
        if delivered is None:
            return message, f"您可以{self._return_offer()}；直接告诉我要退货就行。"
        last = delivered.date() + timedelta(days=self.c.return_window_days)
        if self.now.date() > last:
            return message, (
                f"它的 {self.c.return_window_days} 天退货期已于 {long_date(last)} 结束。如果商品有质量问题或损坏，"
                f"仍受法定保修保障。{TALK_TO_TEAM}"
            )
        return message, f"您可以在 {long_date(last)} 前退货退款；直接告诉我要退货就行。"

    def _already_cancelled(self) -> tuple[str, str]:
        message = {
            Action.CANCEL: f"订单 {self.n} 已经取消了。",
            Action.CHANGE_ADDRESS: f"订单 {self.n} 已取消，没有需要修改的配送。",
            Action.RETURN: f"订单 {self.n} 在发货前已取消，没有可退的商品。",
        }[self.action]
        alternative = "如果您已经付款，退款正在路上；可以问我退款进度，看看预计何时到账。"
        if self.action is Action.CHANGE_ADDRESS:
            alternative = "您可以用正确的地址重新下单。" + alternative
        return message, alternative

    def _already_refunded(self) -> tuple[str, str]:
        message = {
            Action.CANCEL: f"订单 {self.n} 已经退款，没有可以取消的了。",
            Action.CHANGE_ADDRESS: f"订单 {self.n} 已退货并退款。",
            Action.RETURN: f"订单 {self.n} 已退货并退款。",
        }[self.action]
        return message, f"如果这笔退款看起来有问题，请告诉我。{TALK_TO_TEAM}"

    def _return_in_progress(self) -> tuple[str, str]:
        return (
            f"订单 {self.n} 正在退货中，无法取消。",
            f"包裹到达我们仓库后 {self.c.refund_business_days} 个工作日内退款；您随时可以问我退款进度。",
        )

    def _return_already_requested(self) -> tuple[str, str]:
        return (
            f"订单 {self.n} 的退货已经登记过了。",
            "请用退货邮件里的 RMA 编号和运单把包裹寄回；包裹到达我们仓库后 "
            f"{self.c.refund_business_days} 个工作日内退款。您随时可以问我退款进度。",
        )

    def _not_delivered(self) -> tuple[str, str]:
        if self.order is not None and self.order.status is OrderStatus.SHIPPED:
            return (
                f"订单 {self.n} 还在运输途中，暂时不能退货。",
                f"签收后您有 {self.c.return_window_days} 天可以退货，也可以在送货时拒收，包裹退回后我们会给您退款。",
            )
        return (
            f"订单 {self.n} 还没有送达，暂时没有可退的商品。",
            "如果还没发货，您可以免费取消订单；直接告诉我要取消订单就行。",
        )

    def _return_window_expired(self) -> tuple[str, str]:
        when = (self.order.delivered_at or self.order.shipped_at) if self.order is not None else None
        days = self.c.return_window_days
        if when is not None:
            message = f"订单 {self.n} 于 {long_date(when.date())} 签收，已超过 {days} 天，无法再退货。"
        else:
            message = f"订单 {self.n} 签收已超过 {days} 天，无法再退货。"
        return message, "如果商品有质量问题或损坏，仍受法定保修保障。" + TALK_TO_TEAM

    def _final_sale(self) -> tuple[str, str]:
        items = list(self.details.get("items") or [])
        if items:
            message = f"订单 {self.n} 里的 {join_names(items)} 属于清仓商品，不支持退货。"
        else:
            message = f"您选择的订单 {self.n} 里的商品属于清仓商品，不支持退货。"
        others = self.order is not None and any(not line.final_sale for line in self.order.lines)
        alternative = "订单里的其他商品仍然可以退货。" if others else ""
        alternative += "如果清仓商品有质量问题或损坏，我们会为您换货或退款：客服人员可以帮您处理，请让我为您转接。"
        return message, alternative

    def _item_not_in_order(self) -> tuple[str, str]:
        sku = self.details.get("sku") or ""
        message = f"订单 {self.n} 里没有商品 {sku}。" if sku else f"您还没告诉我要退订单 {self.n} 里的哪些商品。"
        if self.order is not None:
            names = join_names([f"{line.name}（{line.sku}）" for line in self.order.lines])
            return message, f"这个订单包含 {names}。您想退回其中哪些？"
        return message, "您想退回哪些商品？"

    def _too_many_pieces(self) -> tuple[str, str]:
        item, ordered = self.details.get("item") or "", self.details.get("ordered") or 1
        return (f"订单 {self.n} 里有 {ordered} × {item}，退货数量不能超过这个。", "您想退回几件？")

    def _invalid_address(self) -> tuple[str, str]:
        missing = join_names(list(self.details.get("missing") or []))
        return (
            f"新地址缺少{missing}，暂时无法把订单 {self.n} 改到这个地址。",
            "请提供完整地址：姓名、街道和门牌号、邮编、城市和国家。",
        )

    def _country_not_served(self) -> tuple[str, str]:
        country = country_name(str(self.details.get("country") or ""))
        return (
            f"我们不配送到{country}，所以无法把订单 {self.n} 寄到那里。",
            "我们配送到所有欧盟国家、英国、瑞士和挪威：请提供这些地区的地址，或者让我为您转接客服。",
        )

    def _return_country_not_supported(self) -> tuple[str, str]:
        country = country_name(str(self.details.get("country") or ""))
        return (f"从{country}退货无法在聊天中办理，所以我无法为订单 {self.n} 发起退货。", TALK_TO_TEAM)

    def _shop_refused(self) -> tuple[str, str]:
        what = {Action.CANCEL: "取消", Action.CHANGE_ADDRESS: "修改收货地址：", Action.RETURN: "办理退货："}[
            self.action
        ]
        return f"我们的商城系统不允许我{what}订单 {self.n}。", TALK_TO_TEAM
