"""Chinese for actions/texts/orders.py (same names and placeholders)."""

from __future__ import annotations

BACKEND_ERROR = "抱歉，现在连不上我们的订单系统，暂时无法查询或修改您的订单。我已把对话转给人工客服，他们会继续跟进。"
PERSON_BUTTON = "转人工客服"
CHANGE_NOT_MADE = "订单 {order_id} 还没有任何改动：我在办理前停下了，客服会看到您刚才的请求。"
MISSING_PARCEL = (
    "很抱歉您还没收到包裹。请先问问邻居，看看信箱、约定的存放位置和附近的自提点，也留意有没有快递员留下的通知卡：包裹有时会被"
    "提前扫描为已签收。如果到下一个工作日结束时仍然没有收到，我们的客服团队会向承运商发起调查，包裹确实丢失的话会为您补发或全额"
    "退款。点击“转人工客服”，他们会接手处理。"
)
MISSING_PARCEL_NEXT = (
    "请先问问邻居，看看信箱、约定的存放位置和附近的自提点。如果到下一个工作日结束时还没找到，我们的客服团队会向承运商发起调查；"
    "不想等的话，现在就可以转人工客服。"
)
STATUS_UNCHANGED = (
    "很抱歉让您久等了。订单 {order_id} 目前没有比上面更新的物流信息，我再重复一遍也帮不上忙。"
    "我们的客服可以向承运商核实，如果包裹卡住了会发起调查。需要我为您转接人工客服吗？"
)
CANNOT_HURRY = (
    "我这边没法让订单 {order_id} 更快：订单按顺序处理，预计会在上面说的日期前送达。"
    "我们的客服可以向仓库或承运商核实。需要我为您转接人工客服吗？"
)
REFUND_NONE_NEXT = (
    "如果您已经寄回了商品，或者有人告诉过您会退款，我们的客服可以帮您核实：点“转人工客服”即可。"
    "如果想退回这个订单里的商品，直接告诉我，我来帮您办理退货。"
)
NOT_WANTED_BUTTON = "这不是我想要的"

STOPPED = "没问题，已经停下了。还有什么可以帮您的吗？"
STOPPED_NOTHING_CHANGED = "没问题，已经停下了，您的订单没有任何改动。还有什么可以帮您的吗？"
DETAILS_WITHOUT_REQUEST = "谢谢！您想让我做什么：查询订单状态、取消订单，还是办理退货？"
NEXT_REQUEST = "接下来是您问的另一个订单 {order_id}。"
NEXT_REQUEST_SAME_ORDER = "接下来办理您对订单 {order_id} 的另一个请求。"
NEXT_REQUEST_OTHER_ORDER = "接下来看看您的另一个订单。"
PROBLEM_WITH_ORDER = "很抱歉给您带来不便。订单 {order_id} 遇到了什么问题？可以点选下面的选项，或者简单描述一下。"
DETAILS_WITHOUT_REQUEST_FOR_ORDER = "谢谢！订单 {order_id} 需要我做什么：查询进度、取消，还是办理退货？"
DETAILS_NOTED_FOR_ORDER = "好的，收到了，我会用它来确认这是您的订单。订单 {order_id} 需要我做什么？"
WHERE_IS_MY_ORDER_BUTTON = "我的订单到哪了？"
CANCEL_MY_ORDER_BUTTON = "取消订单"
RETURN_AN_ITEM_BUTTON = "我要退货"
CHANGE_ADDRESS_BUTTON = "修改收货地址"
CHANGE_ORDER_EXPLAINED = (
    "很抱歉，订单一旦提交就不能再更换、添加或删除商品：仓库会马上开始拣货。我在这里可以做的是：订单发货前免费取消，"
    "您可以重新下一个完全符合需要的订单；或者在打包前修改收货地址。"
    "如果已经发货，您可以在签收后 {days} 天内退回不需要的商品。"
    "其他情况可以由我们的客服人员看看有什么办法。"
)

NOTHING_TO_CONFIRM = "现在没有需要您确认的操作，所以我什么都没有改。如果要取消、修改或退回订单，请告诉我是哪一个。"
UNCONFIRMED = (
    "我没有修改订单 {order_id}：在我们对话期间订单发生了变化，您确认的内容已不再适用。请再告诉我一次您想做什么。"
)
NOT_CHANGED = "我没有修改订单 {order_id}。请再告诉我一次您想做什么。"
CHANGE_WAS_WRONG = (
    "非常抱歉。我在这里无法撤销，但我们的客服人员可以马上帮您改正：他们能看到具体改了什么。要为您转接吗？"
)

SWITCH_QUESTION = "我正在帮您{goal}（订单 {order_id}）。要改为{new_goal}吗？"
SWITCH_YES_BUTTON = "是的，切换"
SWITCH_NO_BUTTON = "不，继续"
SWITCH_DECLINED = "好的，我们继续。"

PERSON_FOR_ORDER = "您想找人工客服：现在为订单 {order_id} 为您转接吗？客服能看到这段对话的全部内容。"
PERSON_FOR_MISSING_ITEM = (
    "要为您转接人工客服，核对订单 {order_id} 的打包记录并补寄缺少的商品吗？客服能看到这段对话的全部内容。"
)
PERSON_FOR_EXTRA_ITEM = (
    "要为您转接人工客服，给您寄订单 {order_id} 多出商品的免费退货面单吗？客服能看到这段对话的全部内容。"
)
PAID_NOT_SEEN = (
    "您说已经付款，但我们这边还没有收到这笔款项。我在这里看不到付款记录："
    "要为您转接人工客服，核查订单 {order_id} 的付款吗？客服能看到这段对话的全部内容。"
)
PERSON_FOR_PAYMENT_CHECK = (
    "谢谢。我在这里看不到付款记录：要为您转接人工客服，核查订单 {order_id} 的扣款吗？客服能看到这段对话的全部内容。"
)
PERSON_FOR_INVOICE_COPY = "谢谢。要为您转接人工客服，给您发一份订单 {order_id} 的发票吗？客服能看到这段对话的全部内容。"
PERSON_FOR_WARRANTY_CLAIM = (
    "谢谢。要为您转接人工客服，查看订单 {order_id} 中商品的质量问题吗？客服能看到这段对话的全部内容，"
    "您也可以在这里发送照片。"
)
