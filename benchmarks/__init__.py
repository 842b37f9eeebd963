"""Benchmarks: retrieval quality on StackFAQ and speed at scale, each beside bm25s and plain TF-IDF.

Run from the repository root, e.g. `python -m benchmarks.stackfaq` or `python -m benchmarks.scale`.
"""
