"""Hybrid lexical retrieval over FAQ entries and guidance passages."""
