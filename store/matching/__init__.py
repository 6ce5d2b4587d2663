"""The in-memory matching engine: no SQL, no I/O but the embedding cache."""
