"""Readers turn inputs into documents; writers route documents to kept and rejects files."""

from cleanse.io.readers import read_inputs, read_jsonl, read_parquet, read_text_files
from cleanse.io.writers import OutputWriter

__all__ = ["OutputWriter", "read_inputs", "read_jsonl", "read_parquet", "read_text_files"]
