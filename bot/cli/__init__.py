"""Command-line adapters over the engine. Each command is a module with `register(subparsers)`."""
