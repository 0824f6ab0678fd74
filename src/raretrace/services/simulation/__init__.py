"""Disruption simulation: runs, submission, charts; country dependence."""
