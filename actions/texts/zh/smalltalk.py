"""Chinese for actions/texts/smalltalk.py (same names and placeholders)."""

from __future__ import annotations

JOKES = (
    "为什么围巾最会保守秘密？因为它总是把事情裹得严严实实。",
    "我请我们的羽绒被讲个笑话，它说：“我只会讲些轻飘飘的。”",
    "为什么蜡烛玩捉迷藏总是输？因为它一下子就被“点”出来了。",
)
JOKE = "讲一个我们仓库里的笑话：{joke}"
HOW_ARE_YOU = "我很好，谢谢关心！"
HELLO = "您好！"
CONNECTION = "没关系，我一直在，您发过的消息我都记着。"
WAIT = "不着急，我就在这儿等您。"
LAUGH = "能让您开心就好！"
RUDE = "抱歉没能帮上更多忙。请用几句话告诉我您需要什么，或者说“转人工”。"
PRAISE = "谢谢您，您太客气了！"
TIRED = "听到这个很抱歉。看看我能不能至少帮您把一件事变得简单些。"
ABOUT_ME = "我只是 Larkspur Home 的智能助手，比起这个，我更擅长处理包裹。"
LANGUAGE = "没问题，我完全能看懂您的意思。"
LANGUAGE_SPOKEN = "当然可以，我可以用中文为您服务。请问有什么可以帮您？"
LANGUAGE_SPOKEN_GOING_ON = "当然可以，我可以用中文为您服务。"
ACKNOWLEDGED = "好的！"
CLOSING_THANKS = "不客气！还有什么可以帮您的吗？"
CLOSING_GOODBYE = "再见，感谢您在 Larkspur Home 购物！"
CLOSING_NO = "没问题。还有什么其他需要帮忙的吗？"
BACK_TO_WORK = "我可以帮您处理订单、退货和退款，也可以解答配送、付款和账户方面的问题。请问有什么可以帮您？"

WHAT_IS_IT = "好的，请问是什么问题？您可以直接输入问题，或者选择一个主题。"
WHAT_I_DO = (
    "我可以帮您查询订单进度、取消订单或修改收货地址、申请退货，以及查询退款进度；也可以解答配送、付款、退货和账户方面的问题，"
    "还可以为您转接人工客服。请问您想做什么？"
)
WHAT_ABOUT_ORDER = "好的，您的订单需要我做什么？"
WHAT_ABOUT_RETURN = "好的，关于退货或退款，您想了解什么？"
ASK_AWAY = "好的，请问吧。"
NEXT_STEP = "要继续办理，我需要您回答下面这个问题："
TOPIC_ORDER_STATUS = "我的订单到哪了？"
TOPIC_RETURN = "我要退货"
TOPIC_CANCEL = "取消订单"
TOPIC_ADDRESS = "修改收货地址"
TOPIC_REFUND_STATUS = "我的退款到哪了？"
TOPIC_DELIVERY = "配送需要多长时间？"
TOPIC_RETURN_POLICY = "退货政策是什么？"
TOPIC_PAYMENT = "可以用哪些付款方式？"
TOPIC_PERSON = "转人工客服"

HANDED_OFF = "好的，我已把对话转给人工客服。他们能看到我们之前的全部对话，您不用再重复说明。"
HANDED_OFF_COMPLAINT = (
    "非常抱歉给您带来不便。我正在把您的对话转给人工客服，由专人为您妥善处理。他们能看到您告诉我的全部内容。"
)
HANDED_OFF_PROBLEMS = (
    "非常抱歉给您带来不便。这几个问题我都已为客服记下：{problems}。我正在把您的对话转给人工客服，由专人逐一为您处理。"
    "他们能看到您告诉我的全部内容。"
)
PROBLEM_DOUBLE_CHARGE = "重复扣款"
PROBLEM_REFUND_NOT_COME = "还没到账的退款"
PROBLEM_PARCEL_NOT_COME = "还没送到的包裹"
PROBLEM_GOODS = "收到的商品有损坏或发错"

ANOTHER_COMPANY = (
    "这听起来是其他公司的订单或账户：我只能查看 Larkspur Home 的订单和账户。"
    "如果是 Larkspur Home 的订单，请告诉我订单号。需要为您转接人工客服吗？"
)
OFFER_AFTER_NO_ANSWER = "这个问题我不确定有好的答案，也不想乱猜。要为您转接人工客服吗？"
ANSWER_DID_NOT_HELP = (
    "上面的回答就是帮助中心关于“{title}”的全部内容。如果没能解决您的问题，客服人员可以和您一起处理："
    "要为您转接人工客服吗？客服能看到这段对话的全部内容。"
)
ONLY_ENGLISH_AND_CHINESE = (
    "抱歉，我只能用中文或英文为您服务（I can only chat in English or Chinese）。可以用其中一种语言再说一次吗？"
    "或者为您转接人工客服？"
)
OFFER_YES_BUTTON = "好的，转人工"
OFFER_NO_BUTTON = "不用，我换个问法"
NOT_SURE_IN_REQUEST = "抱歉，这个问题我不太确定能回答。"
THANKS_AT_OFFER = "不客气！还需要为您转接人工客服吗？点下面的按钮就行。"
OFFER_DECLINED = "没问题。您想问什么？可以用自己的话告诉我，或者选择一个主题。"
LEFT_EMAIL = "谢谢！我已经把您的问题转给客服团队：他们会在这个对话里回复您；如果那时您已离开，会发邮件到 {email}。"
TWO_THINGS = "您问了两件事，我一件一件来。"
OTHER_QUESTION_OFFER = "关于您的另一个问题（{question}）：是下面哪一个吗？"
RESUME = "好，我们继续处理您的订单。"
