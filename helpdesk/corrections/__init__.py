"""Agents teach the bot (issue 17, item 4): on a customer turn in the console an agent marks "the bot got this wrong"
and picks the right intent, handbook entry or "new question" (`service`); a supervisor, admin or editor accepts or
rejects it; the accepted ones are exported, personal data masked (`masking`), as Rasa NLU training examples and
as rows of a routing evaluation set (`export`, `python -m helpdesk corrections export`). The choices an agent has
are `labels`."""
