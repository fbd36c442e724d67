"""The admins' screens (/agent/admin): users, teams, business hours and canned replies, each change written to the
audit trail (audit.py). The routes: helpdesk/web/admin.py."""
