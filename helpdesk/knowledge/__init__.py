"""FAQ handbook knowledge engine: parsing/validation, embeddings + FAISS search, the kb CLI.

Importing this package is cheap: torch is only loaded by engine.Embedder when first used.
"""
