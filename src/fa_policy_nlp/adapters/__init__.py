"""Adapters to other tools: spaCy (``spacy``), pandas (``pandas``), Dask (``dask``). Imported on demand."""
