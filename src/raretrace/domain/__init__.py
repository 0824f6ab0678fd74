"""Pure domain types of the supply network (stdlib only)."""
