"""Small talk, vague openers and the offer of a person (actions/smalltalk.py, actions/handoff.py, actions/faq.py).

Small talk is answered in a line, then brought back to what the bot can do (BACK_TO_WORK, the same topics as the
greeting). Placeholders: {joke} one of JOKES; {email} the address the customer left.
"""

from __future__ import annotations

# one answer per kind of small talk (actions/smalltalk.py tells them apart by their words)
JOKES = (
    "Why did the scarf get a job at the bakery? It was great at keeping things under wraps.",
    "I asked our duvet for a joke, but it only had a few tog-tastic ones.",
    "Why don't candles ever win at hide and seek? They always get lit up.",
)
JOKE = "Here's one from the warehouse: {joke}"
HOW_ARE_YOU = "I'm doing well, thanks for asking!"
HELLO = "Hi there!"
CONNECTION = "No worries, I'm still here, and I keep everything you've sent."
WAIT = "Take your time, I'll be right here."
LAUGH = "Glad that made you smile!"
RUDE = "Sorry I haven't been more help. Tell me what you need in a few words, or ask for a person."
PRAISE = "Thank you, that's kind of you!"
TIRED = "Sorry to hear that. Let's see if I can make at least one thing easier for you."
ABOUT_ME = "I'm just the Larkspur Home assistant, so I'm better at parcels than at that."
LANGUAGE = "No problem at all, I understand you fine."
# "do you speak english?", "can we talk in english please" (and "可以说英文吗"): answered in English, whatever the
# language of the question
LANGUAGE_SPOKEN = "Yes, of course: I can help you in English. What can I do for you?"
# the same yes when the message asks something else beside it ("… in english? when will i get the money"): answered next
LANGUAGE_SPOKEN_GOING_ON = "Yes, of course: I can help you in English."
ACKNOWLEDGED = "Okay!"
# a closing the NLU was unsure of (actions/smalltalk.py closing_reply): the words of utter_thank / utter_goodbye
CLOSING_THANKS = "You're welcome! Is there anything else I can help with?"
CLOSING_GOODBYE = "Goodbye, and thanks for shopping with Larkspur Home!"
CLOSING_NO = "No problem. Is there anything else I can do for you?"
BACK_TO_WORK = (
    "I can help with your orders, returns and refunds, or answer questions about delivery, payment and your account. "
    "What can I do for you?"
)

# a vague opener: invite the question (topic buttons: the greeting's, or the order ones when the order is named)
WHAT_IS_IT = "Sure, what is it? You can type your question or pick a topic."
# "what can you do?", "which topics do you cover": what the bot does, then the topics (issue 17)
WHAT_I_DO = (
    "I can check where your order is, cancel it or change its delivery address, start a return and tell you where "
    "your refund is. I also answer questions about delivery, payment, returns and your account, and I can get you a "
    "person. What would you like to do?"
)
WHAT_ABOUT_ORDER = "Sure, what would you like to do with your order?"
WHAT_ABOUT_RETURN = "Sure, what would you like to know about returns or refunds?"
# inside an order request: the question is welcome, the request waits
ASK_AWAY = "Sure, ask away."
# "what do i do?" while a request waits for an answer: what is needed to go on (the question follows)
NEXT_STEP = "Here's what I need from you to go on:"
TOPIC_ORDER_STATUS = "Where is my order?"
TOPIC_RETURN = "Return an item"
TOPIC_CANCEL = "Cancel my order"
TOPIC_ADDRESS = "Change the delivery address"
TOPIC_REFUND_STATUS = "Where is my refund?"
TOPIC_DELIVERY = "How long does delivery take?"
TOPIC_RETURN_POLICY = "What is your return policy?"
TOPIC_PAYMENT = "Which payment methods can I use?"
TOPIC_PERSON = "Talk to a person"

# a person is called at once: asked for, or policy wants one (a complaint); the helpdesk adds the queue or the hours,
# so nothing here says when a person comes ("connecting you now" was followed by "Our support team is away right now")
HANDED_OFF = (
    "Of course. I'm passing your conversation to our support team. "
    "They will see everything we've talked about, so you won't have to repeat yourself."
)
HANDED_OFF_COMPLAINT = (
    "I'm sorry about this. I'm passing your conversation to a member of our support team "
    "so a person can put it right. They will see everything you've told me."
)
# two problems told at once ("you charged me twice AND my parcel still hasnt come"): each said back, then a person
# (actions/several_problems.py)
HANDED_OFF_PROBLEMS = (
    "I'm sorry about this. I've noted both for our support team: {problems}. I'm passing your conversation to a "
    "person now so they can look into each of them and put it right. They will see everything you've told me."
)
PROBLEM_DOUBLE_CHARGE = "the double charge"
PROBLEM_REFUND_NOT_COME = "the refund that hasn't reached you"
PROBLEM_PARCEL_NOT_COME = "the parcel that hasn't arrived"
PROBLEM_GOODS = "the item that arrived damaged or wrong"

# a handoff offered as a choice (the helpdesk adds the wait, or when the team is back)
# a message about an order or account with another company ("reset my gmail password", "where is my ikea delivery")
ANOTHER_COMPANY = (
    "That sounds like an order or account with another company: I can only see Larkspur Home's orders and accounts. "
    "If it is about a Larkspur Home order, tell me its order number. Shall I get a person?"
)
OFFER_AFTER_NO_ANSWER = "I'm not sure I have a good answer to that, and I'd rather not guess. Shall I get a person?"
# the handbook answer just given would be given again, or the customer says it did not help (actions/answer_again.py)
ANSWER_DID_NOT_HELP = (
    "My answer just above is all our help centre has on “{title}”. If it didn't sort things out, a member of our "
    "team can look at it with you: shall I get one? They'll see this whole conversation."
)
# a message in a language the bot does not speak (actions/other_language.py): said in both languages it does speak
ONLY_ENGLISH_AND_CHINESE = (
    "Sorry, I can only chat in English or Chinese (我只能用英文或中文为您服务). Could you write to me in one of them? "
    "Or shall I get a person?"
)
OFFER_YES_BUTTON = "Yes, get a person"
OFFER_NO_BUTTON = "No, I'll ask differently"
# inside an order request: no offer (the request goes on, its question follows)
NOT_SURE_IN_REQUEST = "I'm not sure I can answer that one, sorry."
# thanks alone at the offer of a person (actions/offer_reply.py): the offer stays open
THANKS_AT_OFFER = "You're welcome! Shall I still get a person for you? Just pick below."
OFFER_DECLINED = "No problem. What would you like to ask? Tell me in your own words, or pick a topic."
# the customer left their e-mail after the offer: the team writes back
LEFT_EMAIL = (
    "Thanks! I've passed your question to our support team: they'll answer here in this chat, or by e-mail at "
    "{email} if you've gone by then."
)
# a message with an order request and a handbook question in it: the question's answer follows, then the order
TWO_THINGS = "You've asked two things, so let me take them in turn."
# beside an order request, a question the handbook may answer but the bot is not sure which entry: offered, not lost
OTHER_QUESTION_OFFER = "About your other question ({question}): is it one of these?"
# after the form came back to its question (a handbook answer or small talk came in between)
RESUME = "Now, back to your order."
