"""Classification: rule packs, facts for the rule engine, verdicts for parts, BOMs and
shipments."""
