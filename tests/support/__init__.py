"""Shared helpers for the tests (fixtures live in tests/conftest.py)."""
