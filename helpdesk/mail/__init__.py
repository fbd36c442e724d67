"""E-mail both ways, so nothing said to a customer is lost when they leave the page (issue 21).

- `settings` the SMTP and reply settings (environment only); mail is off until SMTP_HOST is set.
- `outbox` the queue every helpdesk process shares (claimed once, retried with backoff, never sent twice).
- `sweep` what is due: confirmations of messages left, agents' replies the customer did not see, rating links.
- `followup_mail` the follow-up (回访) e-mails agents write from a follow-up task.
- `order_list` the list of a customer's orders, asked for in the chat without an order number (sent to that address
  only, never shown in the chat).
- `templates` text + HTML in the conversation's language; `sender` composes and sends over SMTP (aiosmtplib).
- `worker` the loop each process runs; `presence` whether the customer's widget has the conversation open.
- `reply_address` signed reply addresses; `inbound` replies coming back (webhook, IMAP) into the conversation.
"""
