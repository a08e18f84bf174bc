#!/usr/bin/env python3
"""Measure 申报自查 end to end: the written applicants of tests/data/profiles.jsonl (and
profiles-extra.jsonl and profiles-extra2.jsonl, reported as "extra" and "extra2") against
:func:`search_api.search.eligibility.check` on an index you built.

For every applicant and every policy they would apply under, the check runs as the API
would with ``q`` = the policy's name; each labelled condition is looked up in the result
(same policy, clause, field and value, or the words for ``other``) and its verdict
compared with the label's. Reported: verdicts as labelled, conditions the check does not
show (extraction misses), verdicts that differ, the policy-level ``eligible`` against
the label, per split, and the time of one check (the first call warms caches and is not
counted).

    python scripts/measure_eligibility.py --db /tmp/regs-index     # book + regulations
    python scripts/measure_eligibility.py --es http://127.0.0.1:9200 --es-index policykb
    python scripts/measure_eligibility.py --db /tmp/regs-index --errors extra   # each miss

``--errors`` prints each condition not shown or judged otherwise than labelled, for the
tune or extra applicants only: the holdout's errors are never printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from search_api.search.eligibility import check  # noqa: E402
from search_api.search.profile_reading import profile_from  # noqa: E402
from search_api.search.searcher import open_searcher  # noqa: E402
from search_api.search.types import Filters  # noqa: E402
from search_api.settings import load_settings  # noqa: E402
from tests.contract.eligibility import as_request, found_verdict, same_document  # noqa: E402

# The written applicants; those of the profiles-extra files are reported apart.
PROFILES = {
    "": REPO / "tests" / "data" / "profiles.jsonl",
    "extra": REPO / "tests" / "data" / "profiles-extra.jsonl",
    "extra2": REPO / "tests" / "data" / "profiles-extra2.jsonl",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="embedded index folder")
    parser.add_argument("--es", help="Elasticsearch URL")
    parser.add_argument("--es-index", default="policykb")
    parser.add_argument("--json", action="store_true")
    # The applicants whose misses may be printed: the tune split and every extra file, never the holdout.
    errors = ["tune", *(name for name in PROFILES if name)]
    parser.add_argument("--errors", choices=errors, help="print each miss of these applicants")
    args = parser.parse_args()
    settings = load_settings(db_path=args.db, es_url=args.es or "", es_index=args.es_index)
    searcher = open_searcher(settings)
    profiles = [
        {**json.loads(line), "set": name}
        for name, path in PROFILES.items()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    check(searcher, profile_from({"age": "30"}), "人才", Filters())  # warm-up
    counts: Counter[str] = Counter()
    times: list[float] = []
    for profile in profiles:
        applicant = profile_from(as_request(profile["profile"]))
        split = profile["set"] or profile["split"]
        for document, wanted in profile["eligible"].items():
            started = time.perf_counter()
            result = check(searcher, applicant, document, Filters(), 0, 10)
            times.append(time.perf_counter() - started)
            policy = next((p for p in result.policies if same_document(document, p.title)), None)
            counts[f"{split} policies"] += 1
            agrees = policy is not None and policy.eligible == wanted
            counts[f"{split} eligible as labelled"] += agrees
            if split == args.errors and not agrees:
                got_eligible = policy.eligible if policy else "absent"
                print(f"{profile['id']} eligible: {document} labelled {wanted} got {got_eligible}")
            for expect in (e for e in profile["expect"] if e["document"] == document):
                got = found_verdict(result, expect) if policy else None
                counts[f"{split} conditions"] += 1
                outcome = "not shown" if got is None else ("as labelled" if got == expect["verdict"] else "differs")
                counts[f"{split} {outcome}"] += 1
                counts[f"{split} differs: labelled {expect['verdict']}, got {got}"] += outcome == "differs"
                if split == args.errors and outcome != "as labelled":
                    print(f"{profile['id']} {outcome}: {_described(expect)} got {got}")
    times.sort()
    report = {key: value for key, value in sorted(counts.items()) if value}
    report["check_p50_ms"] = round(1000 * statistics.median(times), 1)
    report["check_p95_ms"] = round(1000 * times[int(0.95 * (len(times) - 1))], 1)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for key, value in report.items():
            print(f"{key}: {value}")
    searcher.close()
    return 0


def _described(expect: dict[str, object]) -> str:
    """One labelled condition on one line: document, clause, field, value, verdict."""
    where = f"{expect['document']} {expect['article']}{expect.get('item') or ''}"
    return f"{where} {expect['field']}={expect['value']} ({expect.get('group')}) labelled {expect['verdict']}"


if __name__ == "__main__":
    sys.exit(main())
