"""One client per remote process the helpdesk calls: Rasa (`rasa.RasaClient`) and the action server
(`action_server.ActionServerClient`, the FAQ engine's HTTP face). Each raises a domain error (`Unavailable`)
when its process cannot answer."""
