"""`python -m bot` is the same as the `csds-bot` command."""

from bot.cli.main import main

raise SystemExit(main())
