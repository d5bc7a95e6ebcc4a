"""Hugging Face datasets: clean_dataset on Dataset.from_list gives the native pipeline's outcomes."""

from __future__ import annotations

import pytest

pytest.importorskip("datasets", reason='HF datasets tests need the extra: pip install "cleanse[hf]"')

from datasets import Dataset  # noqa: E402

import cleanse  # noqa: E402
from cleanse.integrations.hf import clean_dataset, find_duplicates  # noqa: E402

from .conftest import Outcome, assert_same_outcomes  # noqa: E402


@pytest.fixture(scope="module")
def cleaned(corpus) -> Dataset:
    return clean_dataset(Dataset.from_list(corpus), id_column="id", batch_size=7)


def test_outcomes_equal_the_native_pipeline(cleaned: Dataset, native_unsplit) -> None:
    found = {row["id"]: Outcome(row["status"], row["reason"], row["text"], row["duplicate_of"]) for row in cleaned}
    assert_same_outcomes(found, native_unsplit)


def test_every_row_stays_and_rejects_keep_their_input_text(cleaned: Dataset, corpus) -> None:
    assert cleaned.num_rows == len(corpus)
    assert set(cleaned.column_names) == {"id", "text", "status", "reason", "duplicate_of"}
    inputs = {record["id"]: record["text"] for record in corpus}
    dropped = cleaned.filter(lambda row: row["status"] == "dropped")
    assert dropped.num_rows and all(row["text"] == inputs[row["id"]] for row in dropped)


def test_worker_processes_give_the_same_dataset(corpus, cleaned: Dataset) -> None:
    parallel = clean_dataset(Dataset.from_list(corpus), id_column="id", num_proc=2, batch_size=7)
    assert parallel.to_list() == cleaned.to_list()


def test_find_duplicates_reads_in_batches_and_equals_the_core(corpus) -> None:
    texts = [record["text"] for record in corpus]
    expected = cleanse.find_duplicates(texts)
    assert expected
    assert find_duplicates(Dataset.from_list(corpus), batch_size=5) == expected
    assert find_duplicates(Dataset.from_list(corpus), threshold=0.9, batch_size=5) == cleanse.find_duplicates(
        texts, threshold=0.9
    )


def test_row_numbers_name_the_kept_row_without_an_id_column(corpus) -> None:
    ds = clean_dataset(Dataset.from_list([{"text": r["text"]} for r in corpus]))
    for row in ds:
        if row["status"] == "duplicate":
            assert ds[int(row["duplicate_of"])]["status"] == "kept"


def test_bad_column_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="no column 'body'"):
        clean_dataset(Dataset.from_list([{"text": "x"}]), text_column="body")
