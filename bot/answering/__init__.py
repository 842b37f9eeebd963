"""Turning ranked candidates into an Answer: pick, extract, calibrate, or decline."""

from bot.answering.engine import Engine

__all__ = ["Engine"]
