#!/usr/bin/env python3
"""Measure ClauseSplitter on the regulations archive against regulations-structure.jsonl.

For every file the jsonl lists, split the text (title line removed, as the ingest caller
does) and compare the article and chapter counts with the jsonl's, and the header's title
and first date with parse_regulation_header's. The jsonl counts lines (第…条 + space, 第…章
at a line start), a proxy: a 目录 block's lines are counted as chapters. Where a document
has a 目录, its own list of chapters is the structural reference, so two agreements are
reported: with the proxy, and with the structure (the proxy corrected by the 目录).

Two levels are measured: the splitter alone (ClauseSplitter on the body), and the ingest
path (``segment_file``: encoding detection, book-or-policy choice, cleaning, splitting;
articles = the ``articles`` of the policy record ``policykb policies`` shows).

``--others`` measures the archive's files that the jsonl leaves out (~190) the same way:
their reference counts are computed from their own text with the jsonl's stated rule
(lines starting 第…章; lines starting 第…条 then a space), and corrected by their own
目录 like the rest. Nobody tuned the segmenter on them.

    python scripts/measure_segmentation.py [--archive PATH] [--structure PATH] [--others] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tarfile
import time
from collections import Counter, defaultdict
from multiprocessing import Pool
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analysis.numerals import CN_NUMERAL  # noqa: E402
from ingest.extract import ExtractionError  # noqa: E402
from ingest.model import SourceLine  # noqa: E402
from ingest.pipeline import segment_file  # noqa: E402
from ingest.segment.clauses import ClauseSplitter, count_structure  # noqa: E402
from ingest.segment.reg_header import parse_regulation_header  # noqa: E402

DEFAULT_ARCHIVE = REPO.parent / "shared" / "corpora" / "regulations.tar.gz"
STRUCTURE_NAME = "regulations-structure.jsonl"
TARGET = 0.99
_TOC_CHAPTER = re.compile(rf"第{CN_NUMERAL}章")
_SPLITTER = ClauseSplitter()
# The jsonl's rule, for files it does not cover.
_PROXY_CHAPTER = re.compile(rf"^第{CN_NUMERAL}章")
_PROXY_ARTICLE = re.compile(rf"^第{CN_NUMERAL}条 ")


def proxy_record(path: str, text: str) -> dict[str, Any]:
    """A jsonl-style record computed from the text itself (the jsonl's counting rule)."""
    lines = text.split("\n")
    return {
        "path": path,
        "title": lines[0].strip() if lines else "",
        "chapters": sum(bool(_PROXY_CHAPTER.match(line)) for line in lines),
        "articles": sum(bool(_PROXY_ARTICLE.match(line)) for line in lines),
        "first_date": None,
    }


def measure_ingest(path: str, text: str) -> dict[str, Any]:
    """The counts the ingest path gives: chapters in the policy's passages, its 条.

    ``policykb policies`` shows these 条 as ``articles``; a text without any 条 shows its
    numbered items or sections there instead, which the 条 proxy counts as 0, so the 条
    are counted here directly (parts of an overlong article once).
    """
    try:
        documents = segment_file(Path(path), text.encode("utf-8"), path).documents
    except ExtractionError as exc:
        return {"ingest_articles": 0, "ingest_chapters": 0, "ingest_kind": f"failed: {exc}"}
    policies = [d for d in documents if d.kind == "policy"]
    if len(policies) != 1:
        kinds = "+".join(sorted({d.kind for d in documents}))
        return {"ingest_articles": 0, "ingest_chapters": 0, "ingest_kind": kinds}
    passages = policies[0].passages
    chapters, _ = count_structure(passages)
    articles = {
        (p.attrs.get("article"), p.attrs.get("article_sub"), p.locator)
        for p in passages
        if p.attrs.get("unit") == "article"
    }
    if articles:
        assert policies[0].meta.get("articles") == len(articles)  # what `policies` shows
    return {"ingest_articles": len(articles), "ingest_chapters": chapters, "ingest_kind": "policy"}


def measure_one(job: tuple[dict[str, Any], str]) -> dict[str, Any]:
    """Split one document and compare it with its jsonl record."""
    record, text = job
    raw = text.split("\n")
    lines = [SourceLine(line, number) for number, line in enumerate(raw, start=1)]
    started = time.process_time()  # CPU time: other processes on the machine do not count
    passages = _SPLITTER.split(lines[1:])  # the first line is the title
    seconds = time.process_time() - started
    chapters, articles = count_structure(passages)
    toc_entries, toc_lines = _toc(passages)
    header = parse_regulation_header(raw)
    header_dates = [e["date"] for e in header["dates"] if e.get("source") != "body"]
    return {
        "path": record["path"],
        "articles": articles,
        "chapters": chapters,
        "proxy_articles": record["articles"],
        "proxy_chapters": record["chapters"],
        # The document's own 目录 is the reference for its chapter count when it has one.
        "structure_chapters": toc_entries if toc_lines else record["chapters"],
        "toc_lines": toc_lines,
        "title_ok": header["title"] == record["title"],
        "first_date": header_dates[0] if header_dates else None,
        "proxy_first_date": record["first_date"],
        "date_in_body": bool(record["first_date"]) and _iso_in_text(record["first_date"], text),
        "gaps": _numbering_gaps(passages),
        "seconds": seconds,
        "bytes": len(text.encode("utf-8")),
        **measure_ingest(record["path"], text),
    }


def _toc(passages: list[Any]) -> tuple[int, int]:
    """(chapters listed, lines) of the 目录 kept in the preamble."""
    entries = lines = 0
    for passage in passages:
        if passage.attrs.get("unit") != "preamble":
            continue
        for line in passage.text.split("\n"):
            if _TOC_CHAPTER.match(line):
                lines += 1
                entries += len(_TOC_CHAPTER.findall(line))
    return entries, lines


def _iso_in_text(iso: str, text: str) -> bool:
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日" in text


def _numbering_gaps(passages: list[Any]) -> int:
    """Articles whose number does not follow the previous one (a source defect, not ours)."""
    gaps, previous = 0, (0, 0)
    for passage in passages:
        if passage.attrs.get("unit") != "article":
            continue
        current = (passage.attrs["article"], passage.attrs.get("article_sub", 0))
        follows = current == (previous[0] + 1, 0) or (current[0] == previous[0] and current[1] > previous[1])
        gaps += not follows
        previous = current
    return gaps


def load(archive: Path, structure: Path, limit: int | None, others: bool = False) -> list[tuple[dict[str, Any], str]]:
    """The jsonl records with their texts, read straight from the tarball; with
    ``others``, the files the jsonl leaves out, with records from their own text."""
    records = [json.loads(line) for line in structure.read_text("utf-8").splitlines() if line]
    if limit:
        records = records[:limit]
    wanted = {record["path"]: record for record in records}
    listed = {json.loads(line)["path"] for line in structure.read_text("utf-8").splitlines() if line}
    jobs = []
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            # Members are "regulations/<path>"; the jsonl paths omit the top directory.
            path = member.name.split("/", 1)[-1]
            if not member.isfile() or (path in listed) == others or (not others and path not in wanted):
                continue
            handle = tar.extractfile(member)
            if handle is not None:
                text = handle.read().decode("utf-8")
                jobs.append((proxy_record(path, text) if others else wanted[path], text))
    return jobs[:limit] if limit and others else jobs


def classify(result: dict[str, Any]) -> dict[str, str]:
    """Failure classes of one document (empty when everything agrees)."""
    classes = {}
    if result["articles"] != result["proxy_articles"]:
        classes["articles"] = "article count differs from the proxy"
    if result["chapters"] != result["proxy_chapters"]:
        if result["toc_lines"] and result["chapters"] == result["structure_chapters"]:
            classes["chapters"] = "proxy counted 目录 lines as chapters (the 目录 agrees with us)"
        else:
            classes["chapters"] = "chapter count differs from the proxy and the 目录"
    if result["ingest_articles"] != result["proxy_articles"]:
        classes["ingest_articles"] = _ingest_class(result, "articles")
    if result["ingest_chapters"] != result["structure_chapters"]:
        classes["ingest_chapters"] = _ingest_class(result, "chapters")
    if result["proxy_first_date"] and result["first_date"] != result["proxy_first_date"]:
        if result["first_date"] is None and result["date_in_body"]:
            classes["date"] = "no dated header; the proxy took a date from the body"
        else:
            classes["date"] = "first header date differs"
    return classes


def _ingest_class(result: dict[str, Any], field: str) -> str:
    if result["ingest_kind"] != "policy":
        return f"ingest read it as {result['ingest_kind']}, not one policy"
    if result[field] == result[f"ingest_{field}"]:
        return f"ingest {field} differ from the proxy as the splitter's do"
    return f"ingest {field} differ from the splitter's"


def summarise(results: list[dict[str, Any]], wall: float, examples: int) -> dict[str, Any]:
    total = len(results)

    def share(ok: int) -> float:
        return round(100.0 * ok / total, 3) if total else 0.0

    failures: dict[str, Counter[str]] = defaultdict(Counter)
    shown: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for result in results:
        for field, label in classify(result).items():
            failures[field][label] += 1
            if len(shown[label]) < examples:
                shown[label].append(_example(result, field))
    split_seconds = sum(r["seconds"] for r in results)
    size = sum(r["bytes"] for r in results)
    dated = [r for r in results if r["proxy_first_date"]]
    return {
        "documents": total,
        "articles_exact_pct": share(sum(r["articles"] == r["proxy_articles"] for r in results)),
        "chapters_exact_pct": share(sum(r["chapters"] == r["proxy_chapters"] for r in results)),
        "chapters_structure_pct": share(sum(r["chapters"] == r["structure_chapters"] for r in results)),
        "ingest_articles_exact_pct": share(sum(r["ingest_articles"] == r["proxy_articles"] for r in results)),
        "ingest_chapters_exact_pct": share(sum(r["ingest_chapters"] == r["proxy_chapters"] for r in results)),
        "ingest_chapters_structure_pct": share(sum(r["ingest_chapters"] == r["structure_chapters"] for r in results)),
        "articles_total": sum(r["articles"] for r in results),
        "proxy_articles_total": sum(r["proxy_articles"] for r in results),
        "title_exact_pct": share(sum(r["title_ok"] for r in results)),
        "first_date_exact_pct": round(
            100.0 * sum(r["first_date"] == r["proxy_first_date"] for r in dated) / len(dated), 3
        )
        if dated
        else None,
        "documents_with_numbering_gaps": sum(bool(r["gaps"]) for r in results),
        "failures": {field: dict(counter) for field, counter in failures.items()},
        "examples": dict(shown),
        "megabytes": round(size / 1e6, 2),
        "split_seconds": round(split_seconds, 3),
        "split_mb_per_s": round(size / 1e6 / split_seconds, 1) if split_seconds else None,
        "wall_seconds": round(wall, 3),
        "target_pct": 100 * TARGET,
    }


def _example(result: dict[str, Any], field: str) -> dict[str, Any]:
    keys = {
        "articles": ("articles", "proxy_articles"),
        "chapters": ("chapters", "proxy_chapters", "structure_chapters", "toc_lines"),
        "date": ("first_date", "proxy_first_date"),
        "ingest_articles": ("ingest_articles", "proxy_articles", "articles", "ingest_kind"),
        "ingest_chapters": ("ingest_chapters", "structure_chapters", "chapters", "ingest_kind"),
    }[field]
    return {"path": result["path"], **{key: result[key] for key in keys}}


def run(archive: Path, structure: Path, workers: int, limit: int | None = None, others: bool = False) -> dict[str, Any]:
    started = time.perf_counter()
    jobs = load(archive, structure, limit, others)
    if workers > 1:
        with Pool(workers) as pool:
            results = list(pool.imap_unordered(measure_one, jobs, chunksize=32))
    else:
        results = [measure_one(job) for job in jobs]
    return summarise(results, time.perf_counter() - started, examples=5)


def report(summary: dict[str, Any]) -> str:
    lines = [
        f"documents: {summary['documents']} ({summary['megabytes']} MB)",
        f"articles exact: {summary['articles_exact_pct']}% "
        f"({summary['articles_total']} vs proxy {summary['proxy_articles_total']})",
        f"chapters exact: {summary['chapters_exact_pct']}% vs proxy, "
        f"{summary['chapters_structure_pct']}% vs structure (proxy corrected by 目录)",
        f"ingest path: articles exact {summary['ingest_articles_exact_pct']}%, chapters exact "
        f"{summary['ingest_chapters_exact_pct']}% vs proxy, {summary['ingest_chapters_structure_pct']}% vs structure",
        f"header title exact: {summary['title_exact_pct']}%, first date exact: {summary['first_date_exact_pct']}%",
        f"documents with article numbering gaps in the source: "
        f"{summary['documents_with_numbering_gaps']} (counts unaffected)",
        f"split: {summary['split_seconds']} s CPU, {summary['split_mb_per_s']} MB/s per core; "
        f"wall {summary['wall_seconds']} s",
    ]
    for field, counter in summary["failures"].items():
        for label, count in sorted(counter.items(), key=lambda item: -item[1]):
            lines.append(f"[{field}] {count} × {label}")
            for example in summary["examples"].get(label, []):
                lines.append(f"    {json.dumps(example, ensure_ascii=False)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--structure", type=Path, help=f"default: {STRUCTURE_NAME} beside it")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, help="only the first N records (quick runs)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--others", action="store_true", help="the archive's files the jsonl leaves out")
    args = parser.parse_args(argv)
    structure = args.structure or args.archive.parent / STRUCTURE_NAME
    for path in (args.archive, structure):
        if not path.is_file():
            print(f"measure_segmentation: not found: {path}", file=sys.stderr)
            return 2
    summary = run(args.archive, structure, max(1, args.workers), args.limit, args.others)
    print(json.dumps(summary, ensure_ascii=False, indent=2) if args.json else report(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
