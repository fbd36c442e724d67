"""A conversation's life: the customer's chat (`chat`), the agents' desk (`desk`), the queue between them
(`queue`), what the bot knew (`context`), follow-up tasks (`followups`) and the team's business hours."""
