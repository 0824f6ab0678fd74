"""Sourced reference data shipped with the package (each file keeps its source columns)."""
