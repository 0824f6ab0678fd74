"""SQLAlchemy 2 implementation of the storage ports (SQLite default, PostgreSQL)."""
