"""Custom actions for the Larkspur Home bot (rasa-sdk, served by helpdesk.action_server)."""
