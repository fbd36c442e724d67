"""The helpdesk (`python -m helpdesk`) and the bot's action server (`python -m helpdesk.action_server`).

Both processes do small matrix products per request (the FAQ engine, the knowledge tools): numpy's BLAS runs them
on one thread, set here, before any module imports numpy (nlu_addons/environment.py says why).
"""

from nlu_addons.environment import one_math_thread

one_math_thread()
