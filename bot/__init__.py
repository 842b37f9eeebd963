"""csds-bot: answers questions about accessing Community Services Data Set (CSDS) data.

The engine is `bot.answering.engine.Engine`; `Engine.ask(question) -> Answer` is the one entry
point that the console, the CLI and Slack adapt.
"""

__version__ = "0.1.0"
