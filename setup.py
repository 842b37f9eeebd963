"""Packaging beyond what pyproject.toml can say: the bundled knowledge folder.

Maintainers edit `knowledge/` at the repository root; a wheel or `pip install .` carries it inside the
package as `bot/_knowledge/` (each folder mapped as a data-only package), so an installed bot answers
from any working directory. `bot.knowledge.loader.default_knowledge_dir` looks there when it is not
running from a checkout.
"""

from pathlib import Path

from setuptools import find_packages, setup

KNOWLEDGE = Path("knowledge")
BUNDLED = "bot._knowledge"


def knowledge_packages() -> dict[str, str]:
    """{"bot._knowledge.faq": "knowledge/faq", ...}: every folder of the knowledge, dot-folders left out
    (editor swap files, the FAQ store's lock and temp files)."""
    folders = [KNOWLEDGE, *sorted(p for p in KNOWLEDGE.rglob("*") if p.is_dir())]
    return {".".join([BUNDLED, *d.relative_to(KNOWLEDGE).parts]): d.as_posix() for d in folders
            if not any(part.startswith(".") for part in d.relative_to(KNOWLEDGE).parts)}


data = knowledge_packages()
setup(
    packages=find_packages(include=["bot", "bot.*"]) + list(data),
    package_dir=data,
    package_data={name: ["*.md", "*.yaml"] for name in data},
)
