"""Collect bench/results/*.json into one Markdown table file (bench/results/summary.md).

python bench/report.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def ms(summary: dict[str, Any]) -> str:
    return f"{summary['p50_ms']:.2f} / {summary['p95_ms']:.2f} / {summary['p99_ms']:.2f}"


def ingest_rows() -> list[str]:
    rows = ["| what | engine | median | notes |", "|---|---|---|---|"]
    for name in ("ingest_book_tantivy", "ingest_book_elasticsearch"):
        if data := load(name):
            rows.append(f"| book, CLI process (jieba start-up included) | {data['engine']} | {data['median_s']} s | "
                        f"runs {data['runs_s']} |")  # fmt: skip
    for name in ("ingest_regulations", "ingest_regulations_elasticsearch"):
        if data := load(name):
            what = f"regulations archive ({data.get('files')} files)"
            rows.append(f"| {what} | {data['engine']} | {data['median_s']} s | "
                        f"peak RSS {data.get('peak_rss_mib')} MiB; {data.get('last_run', '')} |")  # fmt: skip
    rows += synthetic_ingest_rows()
    if data := load("pdf_extract"):
        rows.append(f"| PDF text ({data['pages']} pages of the book) | – | {data['default']['pages_per_s']} pages/s | "
                    f"fidelity {data['default']['fidelity_pct']}% |")  # fmt: skip
    return rows


def synthetic_results() -> list[dict[str, Any]]:
    """bench/synthetic_scale.py runs: full archive first, then by copies and engine."""
    found = [json.loads(p.read_text(encoding="utf-8")) for p in RESULTS.glob("synthetic_scale_*.json")]
    return sorted(found, key=lambda d: (-d["files"], -d["copies"], d["engine"]))


def synthetic_ingest_rows() -> list[str]:
    rows = []
    for data in synthetic_results():
        extra = f" + {data['extra_files']} once" if data.get("extra_files") else ""
        what = f"synthetic ×{data['copies']} regulations ({data['files']} files{extra}, {data['passages']:,} passages)"
        load = data.get("load_average") or ["?"]
        rows.append(f"| {what} | {data['engine']} | {data['wall_s']} s (1 run) | "
                    f"{data['passages_per_s']:,} passages/s; peak RSS {data['peak_rss_mib']} MiB "
                    f"(tree {data['tree_peak_rss_mib']} MiB); index {data['index_mib']} MiB; "
                    f"load average {load[0]} |")  # fmt: skip
    return rows


def synthetic_search_rows() -> list[str]:
    rows = [
        "| scale | engine | passages | no facets p50/p95/p99 ms | with facets p50/p95/p99 ms |",
        "|---|---|---|---|---|",
    ]
    for data in synthetic_results():
        if search := data.get("search"):
            scale = f"synthetic ×{data['copies']} ({data['files']} files)"
            rows.append(f"| {scale} | {data['engine']} | {data['passages']:,} | {ms(search['without_facets'])} | "
                        f"{ms(search['with_facets'])} |")  # fmt: skip
    return rows if len(rows) > 2 else []


def search_rows() -> list[str]:
    rows = [
        "| scale | engine | server processes | passages | engine call p50/p95/p99 ms | HTTP p50/p95/p99 ms | "
        "HTTP÷engine p95 | wrk 1 / 8 / 32 conn (req/s) | wrk 8 conn p95 ms | API peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for path in sorted(RESULTS.glob("scale_*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        wrk = data["wrk"]
        rates = " / ".join(f"{wrk[c]['requests_per_s']:.0f}" for c in ("1", "8", "32"))
        rows.append(
            f"| {data['label']} | {data['engine']} | {data.get('server_workers', 1)} | {data['passages']:,} | "
            f"{ms(data['engine_call'])} | "
            f"{ms(data['http_sequential'])} | {data['http_over_engine_p95']} | {rates} | "
            f"{wrk['8']['p95_ms']:.2f} | {data['api_peak_rss_mb']} |"
        )
    return rows


def document_rows(data: dict[str, Any]) -> list[str]:
    """The document view (``--group document``): engine calls of both engines, and targets."""
    load = data["load_average"]["before"][0]
    rows = [f"**{data['label']}, document view** ({data['when']}, load average {load})", ""]
    rows += ["| engine | keywords p50/p95/p99 ms | questions p50/p95/p99 ms |", "|---|---|---|"]
    parts = data["engine_call_parts"]
    for engine in parts["keywords"]:
        rows.append(f"| {engine} | {ms(parts['keywords'][engine])} | {ms(parts['questions'][engine])} |")
    rows += per_query_rows(data, 0)
    rows += ["", "| target | figure | limit | met |", "|---|---|---|---|"]
    for t in data["targets"]:
        rows.append(f"| {t['target']} | {t['figure']} | {t['limit']} | {'yes' if t['met'] else 'no'} |")
    return [*rows, ""]


def per_query_rows(data: dict[str, Any], blank: int) -> list[str]:
    """The engine calls interleaved query by query, measured beside the rounds since 6
    December (earlier runs measured only that way, under ``engine_call_parts``), each row
    padded with ``blank`` empty cells to its table's width."""
    per_query = data.get("engine_call_parts_per_query")
    if per_query is None:
        return []
    rest = " |" * blank
    return [
        f"| {engine}, interleaved per query | {ms(per_query['keywords'][engine])} | "
        f"{ms(per_query['questions'][engine])} |{rest}"
        for engine in per_query["keywords"]
    ]


def side_by_side_rows() -> list[str]:
    """bench/engines_side_by_side.py: both engines in one run, and the targets."""
    rows: list[str] = []
    for path in sorted(RESULTS.glob("engines_side_by_side_*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("group") == "document":
            rows += document_rows(data)
            continue
        load, workers = data["load_average"]["before"][0], data["server_workers"]
        rows += [f"**{data['label']}** ({data['when']}, load average {load}, {workers} server processes)", ""]
        rows += ["| engine | keywords p50/p95/p99 ms | questions p50/p95/p99 ms | HTTP − engine p50 ms | "
                 "wrk 1 / 8 / 32 conn (req/s) | API peak RSS MB |", "|---|---|---|---|---|---|"]  # fmt: skip
        for engine, served in data["served"].items():
            parts = data["engine_call_parts"]
            rates = " / ".join(f"{served['wrk'][c]['requests_per_s']:.0f}" for c in ("1", "8", "32"))
            rows.append(f"| {engine} | {ms(parts['keywords'][engine])} | {ms(parts['questions'][engine])} | "
                        f"{served['http_minus_engine_p50_ms']} | {rates} | {served['api_peak_rss_mb']} |")  # fmt: skip
        rows += per_query_rows(data, 3)
        rows += ["", "| target | figure | limit | met |", "|---|---|---|---|"]
        for t in data["targets"]:
            rows.append(f"| {t['target']} | {t['figure']} | {t['limit']} | {'yes' if t['met'] else 'no'} |")
        rows.append("")
    return rows


def builds_rows() -> list[str]:
    """bench/tantivy_builds.py: PyPI's tantivy wheel against the installed (patched) build."""
    data = load("tantivy_builds")
    if data is None:
        return []
    rows = [f"{data['when']}, {data['runs']} processes per build × {data['rounds']} rounds", ""]
    rows += ["| build | keywords p50/p95/p99 ms | questions p50/p95/p99 ms |", "|---|---|---|"]
    for build, parts in data["parts"].items():
        rows.append(f"| {data['versions'][build]} | {ms(parts['keywords'])} | {ms(parts['questions'])} |")
    differ = data["answers_differ"]
    rows += ["", f"Queries whose answers differ: {len(differ)}{': ' + ', '.join(differ) if differ else ''}", ""]
    return rows


def main() -> int:
    lines = ["# Benchmark results", "", "Written by `python bench/report.py` from the JSON files beside it.", ""]
    lines += ["## Ingest", "", *ingest_rows(), "", "## Search", "", *search_rows(), ""]
    if side_by_side := side_by_side_rows():
        lines += ["## Both engines in one run (`bench/engines_side_by_side.py`)", "", *side_by_side]
    if builds := builds_rows():
        lines += ["## tantivy: PyPI's wheel and the patched build (`bench/tantivy_builds.py`)", "", *builds]
    if synthetic := synthetic_search_rows():
        lines += ["## Search on synthetic ×N indexes (engine call, `bench/synthetic_scale.py --search`)", ""]
        lines += [*synthetic, ""]
    out = RESULTS / "summary.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
