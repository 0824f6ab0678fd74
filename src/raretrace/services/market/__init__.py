"""Market use cases: price tables and scenarios, cost exposure, the horizon."""
