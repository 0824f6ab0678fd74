"""File formats raretrace reads and writes: bundles, ERP profiles, IPC-1752A, RMI
templates, party lists; the bounds and formula guard every reader and writer uses."""
