"""Persistence: ports (Protocols) and the SQL implementation."""
