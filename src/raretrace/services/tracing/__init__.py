"""Tracing: the compiled network per revision and the reports built from it."""
