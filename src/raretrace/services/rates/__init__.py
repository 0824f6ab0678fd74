"""Exchange rates supplied by the user: the rates file, stored tables, service."""
