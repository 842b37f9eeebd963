"""Storage: the FAQ store (safe edits to knowledge/faq), the interaction log, validation and reports."""
