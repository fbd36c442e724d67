"""The staff: agent accounts (`accounts`) and their console sessions, CSRF tokens and logins (`sessions`)."""
