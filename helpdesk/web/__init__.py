"""The helpdesk's HTTP face (sanic): the app's wiring (`app`) and one module of thin routes per room."""
