"""Time of each ingest step on the book, in one warm process (median of runs).

Cleaning, segmentation, tokenization (jieba), enrichment (spaCy phrase matching) and
the embedded index build; start-up costs (jieba dictionary, spaCy import) reported apart.

    python bench/pipeline_steps.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, write_result


def timed(func, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = func(*args)
    return result, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from analysis.words import get_analyzer

    _, jieba_start = timed(get_analyzer)
    from ingest.citations import finalize
    from ingest.clean import PdfTextCleaner
    from ingest.enrich.metadata import MetadataExtractor
    from ingest.pipeline import segment_text
    from search_api.index.tantivy.engine import TantivyEngine
    from search_api.search.searcher import Searcher

    book = next((REPO / "corpus").glob("*.txt"))
    text = book.read_text(encoding="utf-8")
    extractor = MetadataExtractor()
    steps: dict[str, list[float]] = {"clean": [], "segment": [], "tokenize": [], "enrich": [], "index": []}
    spacy_start = 0.0
    for run in range(args.runs):
        steps["clean"].append(timed(PdfTextCleaner().clean, text)[1])
        documents, seconds = timed(segment_text, text, book.name)
        steps["segment"].append(seconds)
        finalize(documents, book.name)
        analyzer = get_analyzer()
        started = time.perf_counter()
        for doc in documents:
            for passage in doc.passages:
                passage.tokens = analyzer.words(passage.text)
        steps["tokenize"].append(time.perf_counter() - started)
        started = time.perf_counter()
        for doc in documents:
            extractor.enrich(doc)
        elapsed = time.perf_counter() - started
        if run == 0:
            spacy_start = elapsed  # the first run pays the spaCy import and pattern building
        else:
            steps["enrich"].append(elapsed)
        with tempfile.TemporaryDirectory() as tmp:
            backend = Searcher(TantivyEngine(Path(tmp) / "index"))
            started = time.perf_counter()
            backend.index(documents, sources={book.name: "bench"})
            steps["index"].append(time.perf_counter() - started)
    chars = len(text)
    result = {
        "book_chars": chars,
        "startup_s": {"jieba": round(jieba_start, 3), "first_enrich_incl_spacy_import": round(spacy_start, 3)},
        "median_s": {k: round(statistics.median(v), 4) for k, v in steps.items() if v},
        "tokenize_chars_per_s": round(chars / statistics.median(steps["tokenize"])),
    }
    path = write_result("pipeline_steps", result)
    for key, value in result.items():
        print(f"{key}: {value}")
    print(f"-> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
