"""Use cases. The only layer that begins and commits units of work."""
