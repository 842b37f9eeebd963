"""Admin tools for maintainers: FAQ edits, validation (check), the gaps report, guidance import.

They sit above answering (they may build an Engine to find near duplicates) and write the knowledge
folder only through `safefile` (atomic, locked)."""
