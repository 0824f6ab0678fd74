"""Web-app users: accounts, roles, passwords, API tokens, sessions, audit log."""
