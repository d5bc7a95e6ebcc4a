"""cleanse steps for datatrove pipelines (``pip install "cleanse[datatrove]"``).

:class:`Clean` runs the per-document chain as a datatrove filter: kept documents go on with the cleaned
text, rejects go to the ``exclusion_writer`` with cleanse's stage and reason in their metadata, and the
step's stats count drops per reason and changes per stage. :class:`Deduplicate` makes the three steps of
near-duplicate removal over many tasks, datatrove's MinHash pattern with cleanse's Chinese-aware
shingles: each task signs its documents and writes the signatures and compared texts
(:class:`DedupSignatures`), one task runs the native dedup stage over them in task order, so verdicts
and reasons are the native run's, and writes the clusters :func:`cleanse.find_duplicates` finds as a
report (:class:`DedupClusters`), and each task then drops the duplicates it holds (:class:`DedupFilter`).
Examples: docs/integrations.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from cleanse.errors import MissingDependencyError
from cleanse.integrations.chain import Config, chain_config, reason_code, run_chain
from cleanse.integrations.dedup import (
    cluster,
    dedup_options,
    load_sketches,
    native_verdicts,
    save_sketches,
    sketch_batches,
)
from cleanse.stages.dedup import DedupOptions

try:
    from datatrove.data import Document, DocumentsPipeline
    from datatrove.io import DataFolderLike, get_datafolder
    from datatrove.pipeline.base import PipelineStep
    from datatrove.pipeline.filters.base_filter import BaseFilter
    from datatrove.pipeline.writers.disk_base import DiskWriter
    from datatrove.utils.batching import batched
except ImportError:
    raise MissingDependencyError("datatrove", "datatrove") from None

__all__ = ["Clean", "DedupClusters", "DedupFilter", "DedupSignatures", "Deduplicate"]

STATUS_KEY, STAGE_KEY, REASON_KEY, DUPLICATE_OF_KEY = (
    "cleanse_status",
    "cleanse_stage",
    "cleanse_reason",
    "duplicate_of",
)
DUPLICATES_FILE = "duplicates.json"
EDITED_FILE = "edited.json"
CLUSTERS_FILE = "clusters.json"
SIGN_BATCH = 1000


class Clean(BaseFilter):
    """The per-document chain (encoding, script, spam, splice; options as in the TOML) as a datatrove filter.

    ``config`` is a TOML path or dict as for :meth:`cleanse.Pipeline.from_config`; its dedup stage, if any,
    is left to :class:`Deduplicate`. Segments split off with ``splice.split_documents`` follow their
    document as documents of their own (ids ``<id>#<n>``, ``metadata["parent"]``).
    """

    name = "🧹 cleanse"

    def __init__(self, config: Config = None, exclusion_writer: DiskWriter | None = None) -> None:
        super().__init__(exclusion_writer)
        self.chain = chain_config(config)
        self._segments: list[Document] = []

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        verdict = run_chain(doc.text, self.chain, doc_id=str(doc.id))
        for stage, count in verdict.changes.items():
            self.stat_update(f"changes_{stage}", value=count)
        if verdict.changes:
            doc.metadata["cleanse_changes"] = dict(verdict.changes)
        for number, segment in enumerate(verdict.segments, 1):
            metadata = {"parent": doc.id, "role": segment.get("role")}
            self._segments.append(Document(text=segment["text"], id=f"{doc.id}#{number}", metadata=metadata))
        if verdict.kept:
            doc.text = verdict.text
            return True
        doc.metadata.update({STATUS_KEY: verdict.status, STAGE_KEY: verdict.stage, REASON_KEY: verdict.reason})
        return False, verdict.reason_code or "rejected"

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in super().run(data, rank, world_size):
            yield doc
            yield from self._emit_segments()
        yield from self._emit_segments()

    def _emit_segments(self) -> Iterator[Document]:
        while self._segments:
            self.stat_update("segments")
            yield self._segments.pop(0)


class DedupSignatures(PipelineStep):
    """Step 1 (any number of tasks): sign every document and write the task's sketches to ``output_folder``,
    with the ids and texts of the documents the native dedup stage compares (``<rank>.docs.jsonl``).

    Documents pass through unchanged, so the step can follow a writer. Segments split off by
    :class:`Clean` (``metadata["parent"]``) are signed for ``clusters.json`` but not compared, as in
    the native dedup stage (``segments=True`` in the options compares them too).
    """

    name = "🫂 cleanse dedup: signatures"
    type = "🫂 - DEDUP"

    def __init__(self, output_folder: DataFolderLike, options: DedupOptions | Mapping[str, Any] | None = None) -> None:
        super().__init__()
        self.output_folder = get_datafolder(output_folder)
        self.options = dedup_options(options)

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        ids: list[str] = []
        parts = []
        with self.output_folder.open(f"{rank:05d}.docs.jsonl", "wt") as compared_docs:
            for batch in batched(data or (), SIGN_BATCH):
                texts = []
                for doc in batch:
                    text = doc.text if isinstance(doc.text, str) else ""
                    compared = bool(text) and (self.options.segments or "parent" not in doc.metadata)
                    texts.append(text)
                    ids.append(str(doc.id))
                    if compared:
                        compared_docs.write(json.dumps([str(doc.id), text], ensure_ascii=False) + "\n")
                    self.stat_update("compared" if compared else "not_compared")
                with self.track_time("batch"):
                    parts.append(sketch_batches([texts], self.options))
                yield from batch
        joined = _join(parts) if parts else sketch_batches([], self.options)
        with self.output_folder.open(f"{rank:05d}.npz", "wb") as handle:
            save_sketches(handle, joined)
        with self.output_folder.open(f"{rank:05d}.ids.json", "wt") as handle:
            json.dump(ids, handle, ensure_ascii=False)


class DedupClusters(PipelineStep):
    """Step 2 (one task): the verdicts of the native dedup stage and the clusters of every task in rank order.

    Writes ``duplicates.json`` (for each duplicate: the id of the kept document and the reason, both the
    native stage's: it runs over the compared documents in rank order, holding only its index),
    ``edited.json`` (texts the stage changed: ``remove_paragraphs`` or ``digest="new_parts"``) and
    ``clusters.json`` (:func:`cleanse.find_duplicates`'s clusters of all signed documents, as id lists:
    a report; a member of a cluster is not a duplicate unless ``duplicates.json`` says so).
    """

    name = "🫂 cleanse dedup: clusters"
    type = "🫂 - DEDUP"

    def __init__(
        self,
        signatures_folder: DataFolderLike,
        output_folder: DataFolderLike,
        options: DedupOptions | Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.signatures_folder = get_datafolder(signatures_folder)
        self.output_folder = get_datafolder(output_folder)
        self.options = dedup_options(options)

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if world_size != 1:
            raise ValueError(f"{type(self).__name__} clusters all tasks' signatures at once: run it with tasks=1")
        names = sorted(name for name in self.signatures_folder.list_files() if name.endswith(".npz"))
        parts, ids = [], []
        for name in names:
            with self.signatures_folder.open(name, "rb") as handle:
                parts.append(load_sketches(handle))
            with self.signatures_folder.open(name.removesuffix(".npz") + ".ids.json", "rt") as handle:
                ids += json.load(handle)
        if len(set(ids)) != len(ids):
            raise ValueError("cleanse dedup needs unique document ids across tasks; some ids repeat")
        with self.track_time():
            sketches = _join(parts) if parts else sketch_batches([], self.options)
            groups = cluster(sketches, self.options)
            compared: list[str] = []
            verdicts = list(native_verdicts(self._compared(names, compared), self.options))
        duplicates = {compared[v.unit]: [v.duplicate_of, v.reason] for v in verdicts if v.status == "duplicate"}
        edited = {compared[v.unit]: v.text for v in verdicts if v.status != "duplicate"}
        self.stat_update("documents", value=len(ids))
        self.stat_update("clusters", value=len(groups))
        self.stat_update("duplicates", value=len(duplicates))
        with self.output_folder.open(CLUSTERS_FILE, "wt") as handle:
            json.dump([[ids[i] for i in group] for group in groups], handle, ensure_ascii=False)
        with self.output_folder.open(DUPLICATES_FILE, "wt") as handle:
            json.dump(duplicates, handle, ensure_ascii=False)
        with self.output_folder.open(EDITED_FILE, "wt") as handle:
            json.dump(edited, handle, ensure_ascii=False)
        if data:
            yield from data

    def _compared(self, names: list[str], seen: list[str]) -> Iterator[tuple[str, str]]:
        """``(id, text)`` of the compared documents, task by task, read line by line; ids go to ``seen``."""
        for name in names:
            with self.signatures_folder.open(name.removesuffix(".npz") + ".docs.jsonl", "rt") as handle:
                for line in handle:
                    doc_id, text = json.loads(line)
                    seen.append(doc_id)
                    yield doc_id, text


class DedupFilter(BaseFilter):
    """Step 3 (any number of tasks): drop the documents ``duplicates.json`` names, with the reason in
    metadata, and give the documents ``edited.json`` names the dedup stage's text.

    Documents are matched by id, so this step may read the documents sharded differently from step 1.
    """

    name = "🫂 cleanse dedup: filter"

    def __init__(self, clusters_folder: DataFolderLike, exclusion_writer: DiskWriter | None = None) -> None:
        super().__init__(exclusion_writer)
        self.clusters_folder = get_datafolder(clusters_folder)
        self._duplicates: dict[str, list[str]] | None = None
        self._edited: dict[str, str] = {}

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        if self._duplicates is None:
            with self.clusters_folder.open(DUPLICATES_FILE, "rt") as handle:
                self._duplicates = json.load(handle)
            if self.clusters_folder.exists(EDITED_FILE):
                with self.clusters_folder.open(EDITED_FILE, "rt") as handle:
                    self._edited = json.load(handle)
        found = self._duplicates.get(str(doc.id))
        if found is None:
            if str(doc.id) in self._edited:
                doc.text = self._edited[str(doc.id)]
            return True
        kept, reason = found
        doc.metadata.update({STATUS_KEY: "duplicate", STAGE_KEY: "dedup", REASON_KEY: reason, DUPLICATE_OF_KEY: kept})
        return False, reason_code(reason) or "duplicate"


class Deduplicate:
    """The three dedup steps sharing one working folder and one set of options (``[dedup]`` table keys)::

    dedup = Deduplicate("work/dedup")
    LocalPipelineExecutor([reader, Clean(), writer, dedup.signatures()], tasks=4).run()
    LocalPipelineExecutor([dedup.clusters()], tasks=1).run()
    LocalPipelineExecutor([reader_of_writer_output, dedup.filter(), final_writer], tasks=4).run()
    """

    def __init__(self, folder: DataFolderLike, options: DedupOptions | Mapping[str, Any] | None = None) -> None:
        self.folder = get_datafolder(folder)
        self.options = dedup_options(options)

    def signatures(self) -> DedupSignatures:
        return DedupSignatures(_sub(self.folder, "signatures"), self.options)

    def clusters(self) -> DedupClusters:
        return DedupClusters(_sub(self.folder, "signatures"), _sub(self.folder, "clusters"), self.options)

    def filter(self, exclusion_writer: DiskWriter | None = None) -> DedupFilter:
        return DedupFilter(_sub(self.folder, "clusters"), exclusion_writer)


def _sub(folder: Any, name: str) -> Any:
    return get_datafolder((f"{folder.path.rstrip('/')}/{name}", folder.fs))


def _join(parts: list[Any]) -> Any:
    from cleanse.stages.dedup import concatenate

    return parts[0] if len(parts) == 1 else concatenate(parts)
