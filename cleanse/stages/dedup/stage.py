"""The pipeline stage: near-duplicate documents and paragraphs, streaming or in batch.

Verdicts are directional: a unit (document, paragraph) is a duplicate only when its own content is
covered by one *kept* unit (:meth:`cleanse.stages.dedup.edges.EdgeRule.covers`), and only kept units
are indexed, so a verdict never chains through a unit that was itself a duplicate. A document that
matches a kept document but still holds paragraphs no kept paragraph covers (a digest page: a kept
article plus new ones) is not a duplicate: it is kept with a ``digest`` verdict, whole
(``digest="keep"``, the default) or with its repeated paragraphs removed (``digest="new_parts"``).

With ``keep="first"`` the stage streams: each document is checked against the index of the kept units
before it (and of a saved index, in incremental mode). ``keep="longest"`` and ``keep="cleanest"``
buffer the run and check the documents in that order (the longest or cleanest first), then yield them
in input order.

Document level: a duplicate gets ``doc.mark_duplicate`` with the reason naming the clause and score
(``near_duplicate: reprint_containment 0.910 of this document in <kept id>``); every compared document
gets ``metadata["dedup_cluster"]``, the id of the kept document it duplicates (its own when kept).
A kept document holding a kept representative's content (plus new content) gets a ``reprint_of`` flag
naming it and is listed as ``related`` in its report cluster; the report's ``reprint_groups`` are stars
over every direct relation of the run (:mod:`cleanse.stages.dedup.related`). Neither changes a removal.
Paragraph level: a repeated paragraph gets a ``duplicate_paragraph`` verdict whose evidence names the
clause, score and kept paragraph (or is removed by a logged edit with ``remove_paragraphs``); a
paragraph whose sentences all reappear inside one earlier paragraph gets a ``contained_paragraph`` verdict.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from cleanse.document import Document, Edit
from cleanse.errors import InputError
from cleanse.stages.base import CorpusStage
from cleanse.stages.dedup.batch import sign_units_sized
from cleanse.stages.dedup.chunk import CHUNK_CHARS, CHUNK_DOCUMENTS, ChunkCandidates, Queries, queries
from cleanse.stages.dedup.edges import EdgeRule, estimated_common, signature_covers
from cleanse.stages.dedup.index import Match, NearDupIndex
from cleanse.stages.dedup.options import DedupOptions
from cleanse.stages.dedup.related import RelationLog, ReprintGroups
from cleanse.stages.dedup.report import ClusterReport
from cleanse.stages.dedup.stars import MEMBER_SHARE
from cleanse.stages.dedup.storage import MemoryStorage
from cleanse.stages.dedup.units import SentenceMatches, Span, paragraph_spans, sentence_spans

NEAR_DUPLICATE = "near_duplicate"
EXACT_DUPLICATE = "exact_duplicate"
DUPLICATE_PARAGRAPH = "duplicate_paragraph"
CONTAINED_PARAGRAPH = "contained_paragraph"
DUPLICATE_SENTENCE = "duplicate_sentence"
REMOVED_DUPLICATE_PARAGRAPH = "removed_duplicate_paragraph"
DIGEST = "digest"
REPRINT_OF = "reprint_of"
CLUSTER_KEY = "dedup_cluster"  # metadata: the id of the kept document of the document's cluster
SENTENCE_THRESHOLD = 0.4  # LSH threshold of the sentence index; hits are verified by containment
INDEX_FILES = {"documents": "documents.npz", "paragraphs": "paragraphs.npz", "sentences": "sentences.npz"}


class _Signed(NamedTuple):
    """The sentences of one paragraph with their signatures, normalised lengths and first row in the chunk."""

    spans: list[Span]
    signs: np.ndarray
    lengths: np.ndarray
    first: int
    keys: np.ndarray


class _Paragraphs(NamedTuple):
    """The paragraphs of one document: signatures, normalised lengths, shingle counts and band keys."""

    signs: np.ndarray
    lengths: np.ndarray
    sizes: np.ndarray
    keys: np.ndarray


@dataclass
class _Chunk:
    """The units of a chunk of documents, signed in one call, and the index look-ups for them."""

    paragraphs: list[list[Span]]
    sentences: list[list[list[Span]]]
    doc_signs: np.ndarray
    doc_lengths: np.ndarray
    doc_sizes: np.ndarray
    doc_keys: np.ndarray
    paragraph_first: np.ndarray
    paragraphs_units: _Paragraphs
    sentence_first: np.ndarray
    sentence_signs: np.ndarray
    sentence_lengths: np.ndarray
    sentence_keys: np.ndarray
    sentence_sizes: np.ndarray
    sentence_queries: Queries | None
    documents: Queries | None
    reprints: Queries | None
    paragraph_queries: Queries
    pending: list[_Pending] | None = None  # deferred: the paragraph verdicts, made once the chunk is checked


class _Pending(NamedTuple):
    """A document's paragraph verdicts, planned (the indexes updated) but not yet made."""

    doc: Document
    spans: list[Span]
    lengths: np.ndarray
    plan: list[tuple[int, str, Match | None]]
    remove: bool


def _chunks(
    docs: Iterable[Document], max_documents: int, max_chars: int, ramp: bool = False
) -> Iterator[list[Document]]:
    """Consecutive documents, at most ``max_documents`` or about ``max_chars`` characters of text at once.
    With ``ramp`` the first chunks hold 1, 1, 2, 2, 4, 4... documents, so the first results (and the first
    points where a run can be checkpointed, which a document with split-off segments still being emitted
    is not) come after a document or two, not after a full chunk."""
    chunk: list[Document] = []
    chars = 0
    size = 1 if ramp else max_documents
    chunks = 0
    for doc in docs:
        chunk.append(doc)
        chars += len(doc.text or "")
        if len(chunk) >= size or chars >= max_chars:
            yield chunk
            chunk, chars = [], 0
            chunks += 1
            size = min(2 ** (chunks // 2), max_documents) if ramp else max_documents
    if chunk:
        yield chunk


class NearDupDetector(CorpusStage):
    """Near-duplicate documents and paragraphs with MinHash LSH (stage name ``"dedup"``)."""

    name = "dedup"
    Options = DedupOptions
    chunk_documents = CHUNK_DOCUMENTS  # documents checked together (one at a time: 1)
    chunked = True  # False: ask the index unit by unit (the reference the chunked look-ups are tested against)
    options: DedupOptions
    documents: NearDupIndex
    paragraphs: NearDupIndex
    sentences: NearDupIndex

    def __init__(self, options: Any = None, **overrides: Any) -> None:
        super().__init__(options, **overrides)
        self.reset()

    def reset(self) -> None:
        """Forget every document seen: empty indexes, reports and counts (``index_path`` is read again
        at the next run). ``Pipeline.run`` calls this before each run, so a second run on the same
        stage does not remember the first one's documents unless an index is configured: a saved one
        (``index_path``) or a shared one (``use_redis_index``: indexes not in memory are kept)."""
        opts = self.options
        self.rule = EdgeRule.from_options(opts)
        shared = hasattr(self, "documents") and not isinstance(self.documents.storage, MemoryStorage)
        if not shared:
            self.documents = NearDupIndex.for_options(opts)
            self.paragraphs = NearDupIndex.for_options(opts)
            self.sentences = NearDupIndex(SENTENCE_THRESHOLD, opts.num_perm, opts.recall_weight)
        self.groups: ReprintGroups[str] = ReprintGroups()
        self.relation_log = RelationLog(opts.reprint_groups)
        # every document checked this run, for the reprint groups (dropped when off or full)
        self.reprints: NearDupIndex | None = NearDupIndex.for_options(opts) if opts.reprint_groups else None
        self.document_clusters = ClusterReport(opts.report_examples)
        self.paragraph_clusters = ClusterReport(opts.report_examples)
        self.counts = {
            "documents": 0,
            "paragraphs": 0,
            "contained_paragraphs": 0,
            "removed_paragraphs": 0,
            "duplicate_sentences": 0,
            "empty_units": 0,
            "expired": 0,
            "digests": 0,
            "related": 0,
        }
        self._index_loaded = False
        self._loaded_units: dict[str, list[tuple[str, str]]] = {}
        self._paragraph_owners: set[str] = set()  # documents whose paragraphs this run indexed

    # -- running -------------------------------------------------------------------------------

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        self._open_indexes()
        if self.options.keep == "first":
            for chunk in _chunks(docs, self.chunk_documents, CHUNK_CHARS, ramp=True):
                self._holding = True
                self._check_chunk([doc for doc in chunk if self._wanted(doc)])
                for number, doc in enumerate(chunk, 1):
                    self._holding = number < len(chunk)
                    yield doc
        else:
            yield from self._check_batch(docs)
        self._save_indexes()

    @property
    def streaming(self) -> bool:
        """True between chunks: every document the stage has read was checked and yielded (``keep="first"``)."""
        return self.options.keep == "first" and not getattr(self, "_holding", False)

    def checks(self, doc: Document) -> bool:
        """Whether the stage compares ``doc``: kept, not empty, and not a split-off segment unless asked."""
        return self._wanted(doc)

    def _wanted(self, doc: Document) -> bool:
        if not doc.kept or not doc.text:
            return False
        return self.options.segments or "parent" not in doc.metadata

    def _check_chunk(self, docs: Sequence[Document]) -> None:
        """Check documents in order as one chunk: every unit signed in one call, the index look-ups of the
        whole chunk made in one pass (:mod:`cleanse.stages.dedup.chunk`), then each document's verdicts."""
        if not docs:
            return
        # The sentence checks of kept paragraphs only add to the sentence index and flag their own document:
        # no document or paragraph verdict depends on them. So the chunked stage plans every document's
        # paragraphs first, then cuts, signs and looks up only the sentences of the kept paragraphs, and makes
        # each document's paragraph verdicts in order (the same index operations in the same order). Not when
        # a document of the chunk re-crawls one of a saved index (its sentences leave the index mid-chunk).
        deferred = (
            self.chunked
            and self.options.containment_threshold > 0
            and not any(doc.id in self._loaded_units for doc in docs)
        )
        chunk = self._prepare(docs, deferred)
        for number, doc in enumerate(docs):
            self._check_one(doc, number, chunk)
        if chunk.pending is not None:
            self._finish(chunk, chunk.pending)

    def _finish(self, chunk: _Chunk, pending: list[_Pending]) -> None:
        """The deferred paragraph verdicts of a chunk: the sentences of its kept paragraphs signed in one call
        and looked up in one pass, then each document's verdicts as :meth:`_check_paragraphs` makes them."""
        options = self.options
        kept = [(item, number) for item in pending for number, _, best in item.plan if best is None]
        groups = [sentence_spans(item.spans[number].text) for item, number in kept]
        texts = [sentence.text for group in groups for sentence in group]
        signs, lengths, _ = sign_units_sized(texts, options, sized=0)
        keys = self.sentences.keys(signs)
        ngram = options.ngram
        sizes = np.where(lengths > 0, np.maximum(lengths.astype(np.int64) - ngram + 1, 1), 0)
        usable = np.flatnonzero(lengths >= options.min_sentence_chars)
        chunk.sentence_sizes = sizes
        looked_up = chunk.sentence_queries = queries(self.sentences, signs, sizes, keys, units=usable, chunked=True)
        signed: dict[tuple[int, int], _Signed] = {}
        first = 0
        for (item, number), group in zip(kept, groups, strict=True):
            rows = slice(first, first + len(group))
            signed[(id(item), number)] = _Signed(group, signs[rows], lengths[rows], first, keys[rows])
            first += len(group)
        found: dict[tuple[int, int], list[list[Match]]] | None = None
        if isinstance(looked_up, ChunkCandidates):
            found = self._sentence_matches(kept, signed, looked_up, sizes, usable)
        for item in pending:
            sentences = {number: signed[(id(item), number)] for number, _, best in item.plan if best is None}
            self._verdicts(item, sentences, chunk, found)

    def _sentence_matches(
        self,
        kept: list[tuple[_Pending, int]],
        signed: Mapping[tuple[int, int], _Signed],
        looked_up: ChunkCandidates,
        sizes: np.ndarray,
        usable: np.ndarray,
    ) -> dict[tuple[int, int], list[list[Match]]]:
        """The sentence matches of every kept paragraph of a chunk (``kept``, in stream order), as
        :meth:`_check_containment` finds them one paragraph at a time: each paragraph's usable sentences
        are added to the sentence index (in that order, as one at a time does), then all are looked up
        in one pass, a sentence matching the index as it was plus the sentences of earlier paragraphs."""
        groups = np.zeros(len(sizes), dtype=np.int64)
        bounds = [(signed[(id(item), number)].first, len(signed[(id(item), number)].spans)) for item, number in kept]
        for group, (first, count) in enumerate(bounds):
            groups[first : first + count] = group
        names: list[tuple[str, list[int]]] = []
        usable_set = usable.tolist()
        position = 0
        for (item, number), (first, count) in zip(kept, bounds, strict=True):
            rows: list[int] = []
            while position < len(usable_set) and usable_set[position] < first + count:
                rows.append(usable_set[position])
                position += 1
            name = f"{item.doc.id}:{number}"
            names.append((name, rows))
            part = signed[(id(item), number)]
            for row in rows:
                sentence = f"{name}:{row - first}"
                signature, row_keys = part.signs[row - first], part.keys[row - first]
                looked_up.added(
                    row, sentence, self.sentences.insert(sentence, signature, size=int(sizes[row]), keys=row_keys)
                )
        every = looked_up.containment_by_group(groups, sizes, self.options.containment_threshold)
        row_of = looked_up.row_of
        return {
            (id(item), number): [every[int(row_of[row])] for row in rows]
            for (item, number), (_, rows) in zip(kept, names, strict=True)
        }

    def _prepare(self, docs: Sequence[Document], deferred: bool = False) -> _Chunk:
        options = self.options
        level = options.level
        containment = options.containment_threshold > 0 and not deferred
        texts = [doc.text or "" for doc in docs]
        paragraphs = [paragraph_spans(text) if level != "documents" else [] for text in texts]
        sentences = [[sentence_spans(p.text) if containment else [] for p in group] for group in paragraphs]
        paragraph_texts = [p.text for group in paragraphs for p in group]
        sentence_texts = [s.text for doc_groups in sentences for group in doc_groups for s in group]
        first_paragraph = len(texts)
        first_sentence = first_paragraph + len(paragraph_texts)
        units = [*texts, *paragraph_texts, *sentence_texts]
        signs, lengths, sizes = sign_units_sized(units, options, sized=first_sentence)  # sentences: lengths only
        doc_signs, doc_lengths, doc_sizes = signs[:first_paragraph], lengths[:first_paragraph], sizes[:first_paragraph]
        par = slice(first_paragraph, first_sentence)
        par_signs, par_lengths, par_sizes = signs[par], lengths[par], sizes[par]
        sen_signs, sen_lengths = signs[first_sentence:], lengths[first_sentence:]
        doc_keys = self.documents.keys(doc_signs)
        par_keys = self.paragraphs.keys(par_signs)
        sen_keys = self.sentences.keys(sen_signs)
        ngram = options.ngram
        sen_sizes = np.where(sen_lengths > 0, np.maximum(sen_lengths.astype(np.int64) - ngram + 1, 1), 0)
        chunked = self.chunked
        rule = self.rule
        docs_usable = np.flatnonzero(doc_lengths > 0)
        doc_level = level != "paragraphs"
        return _Chunk(
            paragraphs=paragraphs,
            sentences=sentences,
            doc_signs=doc_signs,
            doc_lengths=doc_lengths,
            doc_sizes=doc_sizes,
            doc_keys=doc_keys,
            paragraph_first=np.concatenate(([0], np.cumsum([len(g) for g in paragraphs]))).astype(np.int64),
            paragraphs_units=_Paragraphs(par_signs, par_lengths, par_sizes, par_keys),
            sentence_first=np.concatenate(([0], np.cumsum([len(g) for d in sentences for g in d]))).astype(np.int64),
            sentence_signs=sen_signs,
            sentence_lengths=sen_lengths,
            sentence_keys=sen_keys,
            sentence_sizes=sen_sizes,
            sentence_queries=queries(
                self.sentences,
                sen_signs,
                sen_sizes,
                sen_keys,
                units=np.flatnonzero(sen_lengths >= options.min_sentence_chars),
                chunked=chunked,
            )
            if containment and chunked
            else None,
            pending=[] if deferred else None,
            documents=queries(self.documents, doc_signs, doc_sizes, doc_keys, rule, True, docs_usable, chunked)
            if doc_level
            else None,
            reprints=queries(self.reprints, doc_signs, doc_sizes, doc_keys, rule, True, docs_usable, chunked)
            if doc_level and self.reprints is not None
            else None,
            paragraph_queries=queries(
                self.paragraphs, par_signs, par_sizes, par_keys, rule, False, np.flatnonzero(par_lengths > 0), chunked
            ),
        )

    def _check_one(self, doc: Document, position: int, chunk: _Chunk) -> None:
        """One document of the chunk, as if checked alone against the units kept before it."""
        level = self.options.level
        paragraphs = chunk.paragraphs[position]
        self.counts["documents"] += 1
        if chunk.doc_lengths[position] == 0:
            self.counts["empty_units"] += 1
            return
        self.forget(doc.id, len(paragraphs))
        p0, p1 = int(chunk.paragraph_first[position]), int(chunk.paragraph_first[position + 1])
        every = chunk.paragraphs_units
        units = _Paragraphs(every.signs[p0:p1], every.lengths[p0:p1], every.sizes[p0:p1], every.keys[p0:p1])
        remove = self.options.remove_paragraphs
        earlier: list[Match | None] | None = None
        if chunk.documents is not None:
            signature, size, keys = chunk.doc_signs[position], int(chunk.doc_sizes[position]), chunk.doc_keys[position]
            best, relations = chunk.documents.cover_and_relations(position)
            new_chars = 0
            if best is not None and level == "both":
                earlier = chunk.paragraph_queries.best_covers(p0, p1)
                new_chars = sum(n for n, m in zip(units.lengths.tolist(), earlier, strict=True) if n and m is None)
            outcome = self.judge_document(doc, best, new_chars, self.report_group(doc.id, best, relations))
            self._log_relations(signature, size, doc.id, outcome != "duplicate", keys, chunk, position)
            if outcome == "duplicate":
                return
            self.relate_document(doc, relations)
            chunk.documents.added(position, doc.id, self.documents.insert(doc.id, signature, size=size, keys=keys))
            remove = remove or (outcome == DIGEST and self.options.digest == "new_parts")
        if paragraphs:
            s0 = int(chunk.paragraph_first[position])
            signed = []
            for number, group in enumerate(chunk.sentences[position]):
                lo, hi = int(chunk.sentence_first[s0 + number]), int(chunk.sentence_first[s0 + number + 1])
                rows = slice(lo, hi)
                signed.append(
                    _Signed(
                        group, chunk.sentence_signs[rows], chunk.sentence_lengths[rows], lo, chunk.sentence_keys[rows]
                    )
                )
            self._check_paragraphs(doc, paragraphs, units, signed, remove, earlier, chunk, p0)

    def _log_relations(
        self, signature: np.ndarray, size: int, name: str, kept: bool, keys: np.ndarray, chunk: _Chunk, position: int
    ) -> None:
        """Relate the document to every document checked before it in this run (kept or not) for the
        report's reprint groups (:class:`cleanse.stages.dedup.related.RelationLog`). The run-only index
        never removes an entry, so its entry ids are the log's ordinals."""
        log = self.relation_log
        if self.reprints is not None and len(log.names) >= self.options.reprint_groups_documents:
            self.reprints = None  # the groups are decided from the log alone; the index is no longer needed
        if self.reprints is None or chunk.reprints is None:
            if log.enabled:
                log.not_logged += 1
            return
        ordinal = log.add(name, size, kept)
        if isinstance(chunk.reprints, ChunkCandidates):
            entries, similarity, sizes = chunk.reprints.related_lists(position)
            # estimated_common, one pair at a time: the same float operations in the same order
            pairs = zip(similarity, sizes, strict=True)
            common = [value * (float(size) + float(other)) / (1 + value) for value, other in pairs]
            log.relate(entries, ordinal, common)
        else:
            found, values, others = chunk.reprints.related_entries(position)
            shared = estimated_common(values, np.full(len(found), size), others.astype(np.float64))
            log.relate(found.tolist(), ordinal, shared.tolist())
        entry = self.reprints.insert(str(ordinal), signature, size=size, keys=keys)
        chunk.reprints.added(position, str(ordinal), entry)

    def forget(self, name: str, paragraphs: int = 0) -> None:
        """Remove an earlier entry of document ``name`` and of its paragraphs and sentences (a re-crawl:
        the new copy replaces it, as docs/dedup.md promises for incremental indexes)."""
        if name in self.documents:
            self.documents.remove(name)
        self.groups.forget(name)
        for attribute, entry in self._loaded_units.pop(name, ()):
            index = getattr(self, attribute)
            if entry in index:
                index.remove(entry)
        if name not in self._paragraph_owners and isinstance(self.paragraphs.storage, MemoryStorage):
            return  # no paragraph of this document was indexed in this run (a loaded one was removed above)
        for number in range(paragraphs):
            if f"{name}:{number}" in self.paragraphs:
                self.paragraphs.remove(f"{name}:{number}")

    def judge_document(self, doc: Document, best: Match | None, new_chars: int, group: Match | None = None) -> str:
        """The document verdict once its best kept match and its new content are known: ``"kept"``,
        ``"digest"`` (it holds a kept document plus ``new_content_chars`` or more new characters; kept,
        with a ``digest`` verdict) or ``"duplicate"``. A duplicate is reported in the reprint group
        ``group`` names (:meth:`report_group`; ``best``'s when None) when it holds more than half of that
        group's representative, else as a ``part`` of ``best`` (a part of a digest page is not a reprint
        of it). The Ray engine calls this too."""
        if best is None:
            doc.metadata[CLUSTER_KEY] = doc.id
            return "kept"
        if new_chars >= self.options.new_content_chars:
            evidence = (f"holds {best.name}: {best.describe('document')}", f"{new_chars} new characters")
            doc.flag(self.name, 0, 0, DIGEST, best.score, evidence)  # document-level: empty span, no copy of the text
            doc.metadata[CLUSTER_KEY] = doc.id
            self.counts["digests"] += 1
            return DIGEST
        reason = EXACT_DUPLICATE if best.similarity == 1.0 else NEAR_DUPLICATE
        doc.mark_duplicate(self.name, of=best.cluster, reason=f"{reason}: {best.describe('document')}")
        doc.metadata[CLUSTER_KEY] = best.cluster
        group = best if group is None else group
        if group.held > MEMBER_SHARE:
            self.document_clusters.add(group.cluster, doc.id, doc.text or "", group.score)
        else:
            self.document_clusters.add_part(best.cluster, doc.id)
        return "duplicate"

    def report_group(self, name: str, best: Match | None, relations: Sequence[Match]) -> Match | None:
        """The match naming the reprint group a duplicate of ``best`` is reported in: the group ``best``
        joined, when this document has an edge with its representative too (one of ``relations``), else
        ``best`` (:meth:`cleanse.stages.dedup.related.ReprintGroups.group_of`)."""
        if best is None:
            return None
        near = {match.name for match in relations if match.held > MEMBER_SHARE}
        group = self.groups.group_of(name, best.cluster, near)
        return best if group == best.cluster else next(match for match in relations if match.name == group)

    def relate_document(self, doc: Document, relations: Sequence[Match]) -> list[Match]:
        """A kept document's relations to kept representatives (:mod:`cleanse.stages.dedup.related`):
        ``reprint_of`` verdicts and the report's ``related`` members; the matches used are returned."""
        roots = self.groups.relate(doc.id, [match.name for match in relations if match.held > MEMBER_SHARE])
        by_name = {match.name: match for match in reversed(relations)}
        chosen = [by_name[root] for root in roots]
        self.flag_reprints(doc, chosen)
        for match in chosen:
            self.document_clusters.relate(match.name, doc.id, doc.text or "", match.score, shared=len(chosen) > 1)
        self.counts["related"] += len(chosen)
        return chosen

    def flag_reprints(self, doc: Document, matches: Sequence[Match]) -> None:
        """One ``reprint_of`` flag per related representative (document-level: an empty span, the text
        unchanged), its evidence the rule, the score and the representative. The Ray engine calls this too."""
        for match in matches:
            doc.flag(self.name, 0, 0, REPRINT_OF, match.score, (match.describe("document"),))

    def _check_paragraphs(
        self,
        doc: Document,
        spans: list[Span],
        units: _Paragraphs,
        sentences: list[_Signed],
        remove: bool,
        earlier: list[Match | None] | None,
        chunk: _Chunk,
        first: int,
    ) -> None:
        """Each paragraph against the kept paragraphs: those indexed before this document (one batched
        query, ``earlier`` when already made) and the ones of this document kept so far; the best of both
        is what one query per paragraph, in order, would return."""
        if earlier is None:
            earlier = chunk.paragraph_queries.best_covers(first, first + len(spans))
        own: list[int] = []
        plan: list[tuple[int, str, Match | None]] = []  # each paragraph: repeated (its best match) or kept
        rows = zip(spans, units.signs, units.lengths.tolist(), units.sizes.tolist(), units.keys, strict=True)
        for number, (_, signature, length, size, keys) in enumerate(rows):
            self.counts["paragraphs"] += 1
            if length == 0:
                self.counts["empty_units"] += 1
                continue
            name = f"{doc.id}:{number}"
            best = self._best_of(earlier[number], self._own_match(doc.id, number, units, own))
            plan.append((number, name, best))
            if best is None:
                own.append(number)
                entry = self.paragraphs.insert(name, signature, size=size, keys=keys)
                self._paragraph_owners.add(doc.id)
                chunk.paragraph_queries.added(first + number, name, entry)
        item = _Pending(doc, spans, units.lengths, plan, remove)
        if chunk.pending is not None:
            chunk.pending.append(item)
        else:
            self._verdicts(item, dict(enumerate(sentences)), chunk)

    def _verdicts(
        self,
        item: _Pending,
        sentences: Mapping[int, _Signed],
        chunk: _Chunk,
        found: Mapping[tuple[int, int], list[list[Match]]] | None = None,
    ) -> None:
        """A document's paragraph verdicts in paragraph order, as one paragraph at a time gives: repeated
        paragraphs flagged (or removed), the sentences of kept ones checked (``sentences``: by paragraph;
        ``found``: their matches already looked up, by paragraph, :meth:`_sentence_matches`)."""
        doc, spans, lengths, plan, remove = item
        text = doc.text or ""
        edits: list[Edit] = []
        containment = self.options.containment_threshold > 0
        for number, name, best in plan:
            if best is not None:
                self.repeat(doc, text, name, spans[number], best, edits, remove)
            elif containment:
                length = int(lengths[number])
                matches = None if found is None else found[(id(item), number)]
                self._check_containment(doc, name, spans[number], length, sentences[number], chunk, matches)
        if edits:
            doc.apply(self.name, edits)

    def _own_match(self, doc_id: str, number: int, units: _Paragraphs, own: list[int]) -> Match | None:
        """The best of this document's kept paragraphs ``own`` sharing a band key with paragraph ``number``
        and covering it (they are the latest entries, so they lose ties to earlier ones)."""
        if not own:
            return None
        candidates = np.asarray(own)
        shares = (units.keys[candidates] == units.keys[number][None, :]).any(axis=1)
        candidates = candidates[shares]
        if not len(candidates):
            return None
        covered, similarity, by_jaccard, score = signature_covers(
            np.broadcast_to(units.signs[number], (len(candidates), units.signs.shape[1])),
            units.signs[candidates],
            np.full(len(candidates), units.sizes[number]),
            units.sizes[candidates],
            self.rule,
        )
        if not covered.any():
            return None
        rows = np.flatnonzero(covered)
        row = int(rows[np.lexsort((candidates[rows], -similarity[rows]))[0]])
        name = f"{doc_id}:{int(candidates[row])}"
        rule = "jaccard" if by_jaccard[row] else "reprint_containment"
        return Match(name, float(similarity[row]), name, rule, float(score[row]))

    @staticmethod
    def _best_of(first: Match | None, second: Match | None) -> Match | None:
        """The more similar match; the earlier entry (``first``) on a tie."""
        if first is None or (second is not None and second.similarity > first.similarity):
            return second
        return first

    def repeat(
        self, doc: Document, text: str, name: str, span: Span, best: Match, edits: list[Edit], remove: bool = False
    ) -> None:
        """A repeated paragraph: a ``duplicate_paragraph`` verdict, or (``remove``) a removal edit appended
        to ``edits``, recorded in the paragraph cluster report either way."""
        evidence = (best.describe("paragraph"),)
        self.paragraph_clusters.add(best.cluster, name, span.text, best.score)
        if remove:
            start, end = _removal_span(text, span, edits[-1].end if edits else 0)
            edits.append(Edit(start, end, "", REMOVED_DUPLICATE_PARAGRAPH, best.score, evidence))
            self.counts["removed_paragraphs"] += 1
        else:
            doc.flag(self.name, span.start, span.end, DUPLICATE_PARAGRAPH, best.score, evidence)

    def _usable(self, signed: _Signed) -> list[int]:
        return [i for i, size in enumerate(signed.lengths.tolist()) if size >= self.options.min_sentence_chars]

    def _check_containment(
        self,
        doc: Document,
        name: str,
        span: Span,
        length: int,
        signed: _Signed,
        chunk: _Chunk,
        matched: list[list[Match]] | None = None,
    ) -> None:
        """Sentences seen before in another paragraph: query the sentence index (chunked: the chunk's look-ups,
        :mod:`cleanse.stages.dedup.chunk`, as the index is now), index these sentences, then
        :meth:`containment_verdict`. ``matched``: the matches of the usable sentences, already looked up
        and the sentences indexed (:meth:`_sentence_matches`)."""
        sentences, signs, lengths, first, all_keys = signed
        usable = self._usable(signed)
        if not usable:
            return
        found: dict[int, SentenceMatches] = {}
        threshold = self.options.containment_threshold
        looked_up = chunk.sentence_queries
        rows = np.asarray(usable, dtype=np.int64) + first
        if matched is not None:
            every = matched
        elif looked_up is not None:
            every = looked_up.containment_many(rows, chunk.sentence_sizes[rows], threshold)
        else:
            every = [
                self.sentences.query_containment(signs[n], self.shingle_count(int(lengths[n])), threshold, all_keys[n])
                for n in usable
            ]
        for number, matches in zip(usable, every, strict=True):
            matches = [m for m in matches if not m.name.startswith(name + ":")]
            if matches:
                owners = {m.name.rsplit(":", 1)[0] for m in matches}
                found[number] = SentenceMatches(matches[0].similarity, matches[0].name.rsplit(":", 1)[0], owners)
        for number in usable if matched is None else ():
            size = self.shingle_count(int(lengths[number]))
            entry = self.sentences.insert(f"{name}:{number}", signs[number], size=size, keys=all_keys[number])
            if looked_up is not None:
                looked_up.added(first + number, f"{name}:{number}", entry)
        self.containment_verdict(doc, span, length, sentences, lengths.tolist(), found)

    def containment_verdict(
        self,
        doc: Document,
        span: Span,
        length: int,
        sentences: Sequence[Span],
        lengths: Sequence[int],
        matches_per_sentence: Mapping[int, SentenceMatches],
    ) -> None:
        """The paragraph is contained, or its sentences repeat: the verdicts once the matches are known.

        ``matches_per_sentence`` holds, in sentence order, each sentence that matched earlier sentences:
        the best match's similarity, the paragraph it came from, and every paragraph any match came from.
        When the repeated sentences cover ``containment_threshold`` of the paragraph (``lengths`` are the
        normalised lengths of all its sentences) and come from one earlier paragraph (ties: the larger
        name), the paragraph gets one ``contained_paragraph`` verdict, if it has ``min_containment_chars``
        (``length``); otherwise each repeated sentence gets a ``duplicate_sentence`` verdict naming the
        paragraph it came from. The Ray engine calls this too, so both paths give the same verdicts.
        """
        if not matches_per_sentence:
            return
        covered: dict[str, int] = {}
        for number, found in matches_per_sentence.items():
            for owner in found.owners:
                covered[owner] = covered.get(owner, 0) + int(lengths[number])
        owner, size = max(covered.items(), key=lambda item: (item[1], item[0]))
        share = min(size / max(int(sum(lengths)), 1), 1.0)
        if share >= self.options.containment_threshold and length >= self.options.min_containment_chars:
            doc.flag(self.name, span.start, span.end, CONTAINED_PARAGRAPH, share, (f"in {owner}",))
            self.counts["contained_paragraphs"] += 1
            return
        for number, found in matches_per_sentence.items():
            sentence = sentences[number]
            start, end = span.start + sentence.start, span.start + sentence.end
            doc.flag(self.name, start, end, DUPLICATE_SENTENCE, found.similarity, (f"of {found.source}",))
            self.counts["duplicate_sentences"] += 1

    def shingle_count(self, length: int) -> int:
        """Shingles of a unit of ``length`` normalised characters (the sentence sizes containment uses)."""
        return max(length - self.options.ngram + 1, 1) if length else 0

    _shingle_count = shingle_count

    # -- batch policies ------------------------------------------------------------------------

    def _check_batch(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Check the buffered documents in keep order (longest or cleanest first), yield them in input order."""
        buffered = list(docs)
        wanted = [(position, doc) for position, doc in enumerate(buffered) if self._wanted(doc)]
        ordered = [doc for _, doc in sorted(wanted, key=lambda item: self._keep_rank(item[1], item[0]))]
        for chunk in _chunks(ordered, self.chunk_documents, CHUNK_CHARS):
            self._check_chunk(chunk)
        yield from buffered

    def _keep_rank(self, doc: Document, position: int) -> tuple[float, ...]:
        length = len(doc.text or "")
        if self.options.keep == "longest":
            return (-length, position)
        changes = sum(1 for c in doc.changes if c.stage != self.name)
        return (changes / max(length, 1), -length, position)

    # -- incremental index ---------------------------------------------------------------------

    def _open_indexes(self) -> None:
        if self._index_loaded or self.options.index_path is None:
            return
        self._index_loaded = True
        directory = Path(self.options.index_path)
        for attribute, filename in INDEX_FILES.items():
            path = directory / filename
            if path.exists():
                try:
                    setattr(self, attribute, NearDupIndex.load(path))
                except ValueError as exc:
                    raise InputError(f"dedup index_path {directory}: {exc}") from None
        if self.options.expire_after is not None:
            cutoff = time.time() - self.options.expire_after
            for attribute in INDEX_FILES:
                self.counts["expired"] += getattr(self, attribute).expire(cutoff)
        for attribute in ("paragraphs", "sentences"):
            storage = getattr(self, attribute).storage
            if isinstance(storage, MemoryStorage):
                for entry in np.flatnonzero(storage.alive(np.arange(len(storage.added())))).tolist():
                    name = storage.entry_name(entry)
                    owner = name.rsplit(":", 1 if attribute == "paragraphs" else 2)[0]
                    self._loaded_units.setdefault(owner, []).append((attribute, name))

    def _save_indexes(self) -> None:
        if self.options.index_path is None:
            return
        directory = Path(self.options.index_path)
        directory.mkdir(parents=True, exist_ok=True)
        for attribute, filename in INDEX_FILES.items():
            getattr(self, attribute).save(directory / filename)

    # -- report --------------------------------------------------------------------------------

    def report(self) -> dict[str, Any]:
        limit = self.options.report_clusters
        return {
            "counts": dict(self.counts),
            "documents": self.document_clusters.to_dict(limit),
            "paragraphs": self.paragraph_clusters.to_dict(limit),
            "reprint_groups": self.relation_log.to_dict(limit),
            "index": {name: len(getattr(self, name)) for name in INDEX_FILES},
            "options": asdict(replace(self.options)),
        }


def _removal_span(text: str, span: Span, previous_end: int) -> tuple[int, int]:
    """The paragraph with its line break: the one after it, or before it when it ends the text."""
    if text[span.end : span.end + 1] == "\n":
        return span.start, span.end + 1
    if span.start > previous_end and text[span.start - 1 : span.start] == "\n":
        return span.start - 1, span.end
    return span.start, span.end
