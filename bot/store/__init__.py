"""Storage: the bot's database (SQLite or PostgreSQL) with the interaction log and the state replicas
share; the FAQ store (safe edits to knowledge/faq), validation and reports."""
