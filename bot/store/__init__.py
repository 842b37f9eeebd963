"""Storage: the bot's database (SQLite or PostgreSQL) with the interaction log and the state replicas
share. The FAQ store, validation and reports are admin tools, in bot/admin/."""
