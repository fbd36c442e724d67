"""Alembic migrations for the helpdesk database (run with `python -m helpdesk migrate`, or at service start)."""
