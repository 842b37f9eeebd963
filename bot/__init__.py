"""csds-bot: answers questions about accessing Community Services Data Set (CSDS) data.

The engine is `bot.answering.engine.Engine`; `Engine.ask(question) -> Answer` is the one entry
point, and every front end (the console, the CLI, Slack) reaches it through the conversation layer,
`bot.conversation`. The layers are drawn in the README's "How it works".
"""

__version__ = "0.1.0"
