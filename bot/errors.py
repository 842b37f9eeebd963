"""Domain errors. Each message is one line that says what is wrong and how to fix it."""


class BotError(Exception):
    """Base class: the CLI prints the message as `Error: ...` and exits non-zero."""

    exit_code = 1


class KnowledgeError(BotError):
    """A knowledge file is missing, unreadable or malformed (message names file, line, fix)."""

    exit_code = 2


class InputError(BotError):
    """The user's input cannot be used (empty, binary, ...)."""

    exit_code = 1


class NearDuplicate(BotError):
    """A new FAQ question is very close to entries already there; `matches` holds them."""

    exit_code = 1

    def __init__(self, message: str, matches: tuple = ()) -> None:
        super().__init__(message)
        self.matches = matches  # tuple[bot.admin.similar.NearMatch, ...], best first
