"""Limits shared by every helpdesk process: sliding-window counters for request rates and failed attempts
(`window`, `redis_window`) and the per-conversation locks that keep a conversation's messages in order
(`locks`, `redis_locks`). helpdesk/scaleout.py picks the in-process or the Redis implementation."""
