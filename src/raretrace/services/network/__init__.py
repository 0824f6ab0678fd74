"""The supply network: import and export, the browsing index and table snapshots, supplier
data, cross-table checks, synthetic networks."""
