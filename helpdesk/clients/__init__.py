"""One client per remote process the helpdesk calls: Rasa (`rasa`) and the action server."""
