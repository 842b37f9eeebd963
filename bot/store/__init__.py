"""Storage: the interaction log (questions, ratings, shared state)."""
