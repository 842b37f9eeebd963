"""The README keeps up with the code: every `csds-bot` command is documented, and every
CSDS_BOT_* variable the code reads is in the README's configuration table (and only those)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from bot.cli.main import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
VARIABLE = re.compile(r"\bCSDS_BOT_[A-Z0-9_]*[A-Z0-9]\b")


def _subcommands(parser: argparse.ArgumentParser, prefix: str = "csds-bot") -> list[tuple[str, str | None]]:
    """Every command line, `csds-bot faq add` included, with its help text."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                found.append((f"{prefix} {name}", helps.get(name)))
                found.extend(_subcommands(sub, f"{prefix} {name}"))
    return found


COMMANDS = _subcommands(build_parser())


def _configuration_table() -> str:
    """The first table after the `### Configuration` heading (prose may come before it)."""
    match = re.search(r"^### Configuration\n(.*)", README, re.S | re.M)
    assert match, "the README has no `### Configuration` section"
    rows: list[str] = []
    for line in match.group(1).splitlines():
        if line.startswith("|"):
            rows.append(line)
        elif rows or line.startswith("#"):
            break
    assert rows, "the README's Configuration section has no table"
    return "\n".join(rows)


def _variables_read_in_code() -> set[str]:
    return {name for path in (ROOT / "bot").rglob("*.py") for name in VARIABLE.findall(path.read_text(encoding="utf-8"))}


def test_the_command_list_is_found():
    names = [command for command, _ in COMMANDS]
    assert "csds-bot ask" in names and "csds-bot faq add" in names


@pytest.mark.parametrize("command", [command for command, _ in COMMANDS])
def test_every_command_is_in_the_readme(command):
    assert re.search(rf"{re.escape(command)}(?![\w-])", README), f"`{command}` is not in README.md; document it"


@pytest.mark.parametrize("command,help_text", COMMANDS)
def test_every_command_has_help(command, help_text):
    assert help_text, f"`{command}` has no help= text in its add_parser call"


def test_every_variable_the_code_reads_is_in_the_configuration_table():
    read = _variables_read_in_code()
    assert "CSDS_BOT_KNOWLEDGE" in read  # the search finds what it should
    table = _configuration_table()
    missing = sorted(name for name in read if f"`{name}`" not in table)
    assert not missing, f"add these to the README's Configuration table: {missing}"


def test_the_configuration_table_names_no_variable_the_code_does_not_read():
    stale = sorted(set(VARIABLE.findall(_configuration_table())) - _variables_read_in_code())
    assert not stale, f"the README's Configuration table names variables no code reads: {stale}"
