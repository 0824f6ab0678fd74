"""Restricted-party screening: use cases, list refresh and alerts, the Python API."""
