"""Background jobs kept in the database, and their service."""
