"""FAQ handbook knowledge engine: parsing/validation, embeddings + FAISS search, the kb CLI.

Importing this package is cheap: the embedding model (ONNX Runtime, or torch when there is no current
export) is only loaded by embedder.Embedder when first used.
"""
