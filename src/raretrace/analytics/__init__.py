"""Pure numerical analytics over supply networks (numpy; no I/O)."""
