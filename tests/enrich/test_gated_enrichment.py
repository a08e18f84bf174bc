"""Enrichment builds spaCy's Doc words, phrase matches and sentences only for passages
where they can find something: the results are those of always building them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.text import normalize
from analysis.words import get_analyzer
from ingest.citations import finalize
from ingest.enrich.metadata import MetadataExtractor, _relaxed
from ingest.enrich.nlp import SENTENCE_PUNCT, Nlp, cover_words
from ingest.model import Document, Passage
from ingest.pipeline import segment_text, tokenize_document

REPO = Path(__file__).resolve().parents[2]
SOURCES = [*sorted((REPO / "corpus").glob("*.txt")), *sorted((REPO / "tests" / "data" / "regulations").glob("*.txt"))]


def _ungated() -> MetadataExtractor:
    """An extractor that builds the Doc, its matches and spaCy's sentences everywhere."""
    extractor = MetadataExtractor()
    extractor.prepare()
    nlp, tagger = extractor._ensure_nlp()
    extractor._cue_anywhere = None  # every passage of an eligible kind is searched
    tagger.may_match = lambda text, words: True  # type: ignore[method-assign]
    nlp.sentence_spans = lambda words: nlp.sentences(nlp.doc_of(words))  # type: ignore[method-assign]
    return extractor


def _documents(path: Path) -> list[Document]:
    documents = segment_text(path.read_text(encoding="utf-8"), path.name)
    finalize(documents, path.name)
    for document in documents:
        tokenize_document(document, get_analyzer())
    return documents


def _enriched(extractor: MetadataExtractor, documents: list[Document]) -> list[object]:
    for document in documents:
        extractor.enrich(document)
    return [[d.to_dict(), [p.to_dict() for p in d.passages]] for d in documents]


def _tricky() -> list[Document]:
    """Cues across sentence ends, 须知 (a cue's lookahead), aliases inside compounds."""
    texts = [
        "申请人须知。本条所称申请，是指向市人社局提出的申请。",
        "符合条件的；申请人应当于三十日内提出。\n须\n知",
        "无须申报。给予\n资助",
        "市人力资源社会保障局、市财政局负责组织实施。",
        "高技能人才和技能大师工作室领办人可享受相关待遇！",
        "",
        "。；\n",
        "按照每人每年2.5 万元的标准给予补贴",
    ]
    passages = [Passage("policy", text, ["第一章 总则", f"第{n}条"], f"第{n}条") for n, text in enumerate(texts, 1)]
    passages.append(Passage("report", "北京市科学技术委员会给予资助。", ["一、概况"], "一"))
    document = Document("policy", "关于印发某办法的通知", "k", "tricky.txt", passages, {})
    finalize([document], "tricky.txt")
    tokenize_document(document, get_analyzer())
    return [document]


@pytest.mark.parametrize("source", [*SOURCES, None], ids=[*(p.name for p in SOURCES), "tricky"])
def test_gated_enrichment_equals_ungated(source: Path | None) -> None:
    make = (lambda: _documents(source)) if source is not None else _tricky
    assert _enriched(MetadataExtractor(), make()) == _enriched(_ungated(), make())


def test_the_gate_skips_most_passages_of_the_book() -> None:
    """The gates are worth having: most passages of the book need no Doc."""
    extractor = MetadataExtractor()
    _, tagger = extractor._ensure_nlp()
    passages = [p for d in _documents(SOURCES[0]) for p in d.passages]
    needed = sum(
        tagger.may_match(normalize(p.text), (t.text for t in p.tokens or []))
        or extractor._may_be_eligible_text(normalize(p.text))
        for p in passages
    )
    assert needed < 0.6 * len(passages)


@pytest.mark.parametrize(
    "words",
    [
        [],
        ["。"],
        ["第一条", "。", "申请", "；", "；", "\n", "其他", "!", " ", "x"],
        ["。", "a", "\n", "\n", "b", "?", "”", "c"],
        ["a", "，", "b", "  ", "。"],
    ],
)
def test_sentence_spans_are_the_sentencizers(words: list[str]) -> None:
    nlp = Nlp()
    assert nlp.sentence_spans(words) == nlp.sentences(nlp.doc_of(words))


def test_sentence_spans_are_the_sentencizers_on_the_book() -> None:
    nlp = Nlp()
    for document in _documents(SOURCES[0])[:40]:
        for passage in document.passages:
            words = cover_words(normalize(passage.text), passage.tokens or [])
            assert nlp.sentence_spans(words) == nlp.sentences(nlp.doc_of(words))


def test_relaxed_cues_drop_lookaheads_and_refuse_what_looks_past_a_match() -> None:
    relaxed = _relaxed(re.compile(r"(?<![无毋])须(?!知)|应当"))
    assert relaxed is not None and relaxed.pattern == r"(?<![无毋])须|应当"
    for pattern in (r"须\b", r"须$", r"a(?=b(c))", r"x*+y", r"(?>ab)", r"\(?=x"):
        assert _relaxed(re.compile(pattern)) is None, pattern
    assert _relaxed(re.compile(r"a\\b")) is not None  # a backslash, then b
    assert MetadataExtractor()._cue_anywhere is not None  # the shipped cues are gated
    assert set(SENTENCE_PUNCT) == Nlp()._punct
