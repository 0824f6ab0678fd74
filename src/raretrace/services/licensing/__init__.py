"""Licence applications, licences, the ledger, and the application packet."""
