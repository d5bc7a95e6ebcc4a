"""The pipeline stage: near-duplicate documents and paragraphs, streaming or in batch.

With ``keep="first"`` the stage streams: each document is checked against an index of everything
seen before it (and of a saved index, in incremental mode), then added to it. ``keep="longest"``
and ``keep="cleanest"`` must see a whole cluster before choosing, so they buffer the run and use
the batch functions (exact verification on shingle sets).

Document level: a duplicate gets ``doc.mark_duplicate("dedup", of=<kept id>, score=...)``; every compared
document gets ``metadata["dedup_cluster"]``, the id of its cluster's kept document (its own when kept).
Paragraph level: a repeated paragraph gets a ``duplicate_paragraph`` verdict with evidence
``"of <doc id>:<paragraph>"`` (or is removed by a logged edit with ``remove_paragraphs``); a paragraph
whose sentences all reappear inside one earlier paragraph gets a ``contained_paragraph`` verdict.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from cleanse.document import Document, Edit
from cleanse.errors import InputError
from cleanse.stages.base import CorpusStage
from cleanse.stages.dedup.batch import cluster_units, sign_units, sign_units_sized, sketch_units
from cleanse.stages.dedup.edges import EdgeRule
from cleanse.stages.dedup.index import Match, NearDupIndex
from cleanse.stages.dedup.options import DedupOptions
from cleanse.stages.dedup.report import ClusterReport
from cleanse.stages.dedup.units import SentenceMatches, Span, paragraph_spans, sentence_spans
from cleanse.stages.dedup.verify import jaccard

NEAR_DUPLICATE = "near_duplicate"
EXACT_DUPLICATE = "exact_duplicate"
DUPLICATE_PARAGRAPH = "duplicate_paragraph"
CONTAINED_PARAGRAPH = "contained_paragraph"
DUPLICATE_SENTENCE = "duplicate_sentence"
REMOVED_DUPLICATE_PARAGRAPH = "removed_duplicate_paragraph"
CLUSTER_KEY = "dedup_cluster"  # metadata: the id of the kept document of the document's cluster
SENTENCE_THRESHOLD = 0.4  # LSH threshold of the sentence index; hits are verified by containment
INDEX_FILES = {"documents": "documents.npz", "paragraphs": "paragraphs.npz", "sentences": "sentences.npz"}


class _Signed(NamedTuple):
    """The sentences of one paragraph with their signatures and normalised lengths."""

    spans: list[Span]
    signs: np.ndarray
    lengths: np.ndarray


class NearDupDetector(CorpusStage):
    """Near-duplicate documents and paragraphs with MinHash LSH (stage name ``"dedup"``)."""

    name = "dedup"
    Options = DedupOptions
    options: DedupOptions

    def __init__(self, options: Any = None, **overrides: Any) -> None:
        super().__init__(options, **overrides)
        opts = self.options
        self.rule = EdgeRule.from_options(opts)
        self.documents = NearDupIndex.for_options(opts)
        self.paragraphs = NearDupIndex.for_options(opts)
        self.sentences = NearDupIndex(SENTENCE_THRESHOLD, opts.num_perm, opts.recall_weight)
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
        }
        self._index_loaded = False

    # -- running -------------------------------------------------------------------------------

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        self._open_indexes()
        if self.options.keep == "first":
            for doc in docs:
                if self._wanted(doc):
                    self._check_stream(doc)
                yield doc
        else:
            yield from self._check_batch(docs)
        self._save_indexes()

    @property
    def streaming(self) -> bool:
        return self.options.keep == "first"

    def checks(self, doc: Document) -> bool:
        """Whether the stage compares ``doc``: kept, not empty, and not a split-off segment unless asked."""
        return self._wanted(doc)

    def _wanted(self, doc: Document) -> bool:
        if not doc.kept or not doc.text:
            return False
        return self.options.segments or "parent" not in doc.metadata

    def _check_stream(self, doc: Document) -> None:
        """Sign the document, its paragraphs and their sentences in one map call, then check each level."""
        text = doc.text or ""
        paragraphs = paragraph_spans(text) if self.options.level != "documents" else []
        containment = self.options.containment_threshold > 0
        sentences = [sentence_spans(p.text) if containment else [] for p in paragraphs]
        flat = [sentence.text for group in sentences for sentence in group]
        signs, lengths, sizes = sign_units_sized([text, *(p.text for p in paragraphs), *flat], self.options)
        self.counts["documents"] += 1
        if lengths[0] == 0:
            self.counts["empty_units"] += 1
            return
        if self.options.level != "paragraphs" and self._check_document(doc, signs[0], int(sizes[0])):
            return
        if paragraphs:
            first = 1 + len(paragraphs)
            bounds = np.concatenate(([0], np.cumsum([len(group) for group in sentences]))) + first
            signed = [
                _Signed(group, signs[lo:hi], lengths[lo:hi])
                for group, lo, hi in zip(sentences, bounds[:-1], bounds[1:], strict=True)
            ]
            self._check_paragraphs(doc, paragraphs, signs[1:first], lengths[1:first], sizes[1:first], signed)

    def _check_document(self, doc: Document, signature: np.ndarray, size: int) -> bool:
        """Mark ``doc`` as a duplicate of the best earlier match by the edge rule; index it either way."""
        if doc.id in self.documents:
            self.documents.remove(doc.id)  # the same id seen again (a re-crawl): the new copy replaces it
        matches = self.documents.query_edges(signature, size, self.rule)
        if not matches:
            self.documents.add(doc.id, signature, size=size)
            doc.metadata[CLUSTER_KEY] = doc.id
            return False
        best = matches[0]
        reason = EXACT_DUPLICATE if best.similarity == 1.0 else NEAR_DUPLICATE
        doc.mark_duplicate(self.name, of=best.cluster, reason=reason, score=best.similarity)
        doc.metadata[CLUSTER_KEY] = best.cluster
        self.documents.add(doc.id, signature, cluster=best.cluster, size=size)
        self.document_clusters.add(best.cluster, doc.id, doc.text or "", best.similarity)
        link_clusters(self.document_clusters, matches)
        return True

    def _check_paragraphs(
        self,
        doc: Document,
        spans: list[Span],
        signs: np.ndarray,
        lengths: np.ndarray,
        sizes: np.ndarray,
        sentences: list[_Signed],
    ) -> None:
        text = doc.text or ""
        edits: list[Edit] = []
        all_keys = self.paragraphs.keys(signs)
        units = zip(spans, signs, lengths.tolist(), sizes.tolist(), strict=True)
        for number, (span, signature, length, size) in enumerate(units):
            self.counts["paragraphs"] += 1
            if length == 0:
                self.counts["empty_units"] += 1
                continue
            name = f"{doc.id}:{number}"
            if name in self.paragraphs:
                self.paragraphs.remove(name)
            keys = all_keys[number]
            matches = self.paragraphs.query_edges(signature, size, self.rule, keys=keys)
            if matches:
                self._repeat(doc, text, name, span, matches[0], edits)
                self.paragraphs.add(name, signature, cluster=matches[0].cluster, size=size, keys=keys)
                link_clusters(self.paragraph_clusters, matches)
                continue
            self.paragraphs.add(name, signature, size=size, keys=keys)
            if self.options.containment_threshold > 0:
                self._check_containment(doc, name, span, length, sentences[number])
        if edits:
            doc.apply(self.name, edits)

    def repeat(self, doc: Document, text: str, name: str, span: Span, best: Match, edits: list[Edit]) -> None:
        """A repeated paragraph: a ``duplicate_paragraph`` verdict, or (``remove_paragraphs``) a removal
        edit appended to ``edits``, recorded in the paragraph cluster report either way."""
        self._repeat(doc, text, name, span, best, edits)

    def _repeat(self, doc: Document, text: str, name: str, span: Span, best: Match, edits: list[Edit]) -> None:
        evidence = (f"of {best.cluster}",)
        self.paragraph_clusters.add(best.cluster, name, span.text, best.similarity)
        if self.options.remove_paragraphs:
            start, end = _removal_span(text, span, edits[-1].end if edits else 0)
            edits.append(Edit(start, end, "", REMOVED_DUPLICATE_PARAGRAPH, best.similarity, evidence))
            self.counts["removed_paragraphs"] += 1
        else:
            doc.flag(self.name, span.start, span.end, DUPLICATE_PARAGRAPH, best.similarity, evidence)

    def _check_containment(self, doc: Document, name: str, span: Span, length: int, signed: _Signed) -> None:
        """Sentences seen before in another paragraph: query the sentence index, index these sentences,
        then :meth:`containment_verdict`."""
        sentences, signs, lengths = signed
        usable = [i for i, size in enumerate(lengths.tolist()) if size >= self.options.min_sentence_chars]
        if not usable:
            return
        found: dict[int, SentenceMatches] = {}
        all_keys = self.sentences.keys(signs)
        for number in usable:
            size = self.shingle_count(int(lengths[number]))
            threshold = self.options.containment_threshold
            matches = self.sentences.query_containment(signs[number], size, threshold, keys=all_keys[number])
            matches = [m for m in matches if not m.name.startswith(name + ":")]
            if matches:
                owners = {m.name.rsplit(":", 1)[0] for m in matches}
                found[number] = SentenceMatches(matches[0].similarity, matches[0].name.rsplit(":", 1)[0], owners)
        for number in usable:
            size = self.shingle_count(int(lengths[number]))
            self.sentences.add(f"{name}:{number}", signs[number], size=size, keys=all_keys[number])
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
        buffered = list(docs)
        wanted = [doc for doc in buffered if self._wanted(doc)]
        self.counts["documents"] += len(wanted)
        if self.options.level != "paragraphs":
            wanted = self._batch_documents(wanted)
        if self.options.level != "documents":
            self._batch_paragraphs(wanted)
        yield from buffered

    def _batch_documents(self, docs: list[Document]) -> list[Document]:
        """Cluster whole documents; keep one per cluster by the policy; return the kept ones."""
        docs = self._against_loaded_index(docs)
        sketches = sketch_units([doc.text or "" for doc in docs], self.options, keep_signs=True)
        groups = cluster_units(sketches, self.rule).groups()
        for group in groups:
            keeper = min(group, key=lambda i: self._keep_rank(docs[i], i))
            others = np.array([i for i in group if i != keeper], dtype=np.int64)
            scores = jaccard(sketches.sets, np.full(len(others), keeper), others)
            for other, score in zip(others.tolist(), scores.tolist(), strict=True):
                reason = EXACT_DUPLICATE if score == 1.0 else NEAR_DUPLICATE
                docs[other].mark_duplicate(self.name, of=docs[keeper].id, reason=reason, score=score)
                docs[other].metadata[CLUSTER_KEY] = docs[keeper].id
                self.document_clusters.add(
                    docs[keeper].id, docs[other].id, docs[other].text or "", score, kept_text=docs[keeper].text
                )
        for doc in docs:
            doc.metadata.setdefault(CLUSTER_KEY, doc.id)
        signs = sketches.signs if sketches.signs is not None else np.zeros((0, self.options.num_perm), np.uint32)
        sizes = sketches.sets.sizes().tolist()
        for doc, signature, length, size in zip(docs, signs, sketches.lengths.tolist(), sizes, strict=True):
            if doc.kept and length > 0 and doc.id not in self.documents:
                self.documents.add(doc.id, signature, size=size)
        return [doc for doc in docs if doc.kept]

    def _against_loaded_index(self, docs: list[Document]) -> list[Document]:
        """In incremental batch runs, documents matching an earlier crawl are duplicates of it first."""
        if not len(self.documents):
            return docs
        signs, lengths, sizes = sign_units_sized([doc.text or "" for doc in docs], self.options)
        for doc, signature, length, size in zip(docs, signs, lengths.tolist(), sizes.tolist(), strict=True):
            if length > 0 and doc.id not in self.documents:
                self._check_document(doc, signature, size)
        return [doc for doc in docs if doc.kept]

    def _keep_rank(self, doc: Document, position: int) -> tuple[float, ...]:
        length = len(doc.text or "")
        if self.options.keep == "longest":
            return (-length, position)
        changes = sum(1 for c in doc.changes if c.stage != self.name)
        return (changes / max(length, 1), -length, position)

    def _batch_paragraphs(self, docs: list[Document]) -> None:
        """Cluster all paragraphs of the kept documents; every member after a cluster's first is a repeat."""
        owners: list[tuple[int, int, Span]] = []
        for position, doc in enumerate(docs):
            owners += [(position, number, span) for number, span in enumerate(paragraph_spans(doc.text or ""))]
        self.counts["paragraphs"] += len(owners)
        if not owners:
            return
        sketches = sketch_units([span.text for _, _, span in owners], self.options, keep_signs=True)
        repeats: dict[int, list[tuple[int, Span, Match]]] = {}
        for group in cluster_units(sketches, self.rule).groups():
            first = group[0]
            scores = jaccard(sketches.sets, np.full(len(group) - 1, first), np.array(group[1:], dtype=np.int64))
            kept_name = f"{docs[owners[first][0]].id}:{owners[first][1]}"
            for member, score in zip(group[1:], scores.tolist(), strict=True):
                position, number, span = owners[member]
                repeats.setdefault(position, []).append((number, span, Match(kept_name, score, kept_name)))
        if self.options.containment_threshold > 0:
            self._batch_containment(docs, owners, sketches.lengths, repeats)
        for position, found in repeats.items():
            doc = docs[position]
            edits: list[Edit] = []
            for number, span, best in sorted(found, key=lambda item: item[1].start):
                self._repeat(doc, doc.text or "", f"{doc.id}:{number}", span, best, edits)
            if edits:
                doc.apply(self.name, edits)

    def _batch_containment(
        self,
        docs: list[Document],
        owners: list[tuple[int, int, Span]],
        lengths: np.ndarray,
        repeats: dict[int, list[tuple[int, Span, Match]]],
    ) -> None:
        """Sentence containment in document order, as in streaming, for paragraphs that are not repeats."""
        skip = {(position, number) for position, found in repeats.items() for number, _, _ in found}
        for (position, number, span), length in zip(owners, lengths.tolist(), strict=True):
            if (position, number) in skip or length == 0:
                continue
            sentences = sentence_spans(span.text)
            signs, sentence_lengths = sign_units([sentence.text for sentence in sentences], self.options)
            name = f"{docs[position].id}:{number}"
            self._check_containment(docs[position], name, span, length, _Signed(sentences, signs, sentence_lengths))

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


def link_clusters(report: ClusterReport, matches: list[Match]) -> None:
    """A unit that matches members of several clusters joins the first; the report links the others to it."""
    best = matches[0].cluster
    for match in matches[1:]:
        if match.cluster != best:
            report.link(best, match.cluster)
