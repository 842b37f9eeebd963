"""Loading a knowledge folder: guidance Markdown, FAQ YAML, synonyms and settings."""

from bot.knowledge.loader import default_knowledge_dir, load_knowledge

__all__ = ["default_knowledge_dir", "load_knowledge"]
