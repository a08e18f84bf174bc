"""Runs of a query's units typed one right after another (创业担保贷款).

jieba parts 创业担保贷款 into 创业, 担保 and 贷款, and a query of three units needs two of them:
passages saying 担保 and 贷款 over and over had ranked the four holding the term as typed 1,
70, 73 and 76. :mod:`search_api.search.ranking` gives a passage holding a run as typed the
bonus of one more unit covered. Split from :mod:`search_api.search.query`, which finds the
runs among the topic's units.
"""

from __future__ import annotations

import re

from analysis.text import HAN_RUN


def typed_runs(text: str, units: list[str], longest: int) -> list[str]:
    """``units`` typed one right after another (up to ``longest`` characters), two or more:
    创业担保贷款 of 北京创业担保贷款怎么申请, the topic's units, where anything else ends a run
    (a place, which the passage may name elsewhere; a question word; an intent's cue)."""
    runs: list[str] = []
    for han in HAN_RUN.findall(text):
        found = {(m.start(), m.end()) for u in units for m in re.finditer(re.escape(u), han)}
        for first, last, count in _chains(sorted(found)):
            if count >= 2 and last - first <= longest:
                runs.append(han[first:last])
    return list(dict.fromkeys(runs))


def _chains(spans: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Sorted spans joined where one ends right where the next starts: (start, end, spans)."""
    chains: list[tuple[int, int, int]] = []
    for start, end in spans:
        if chains and start == chains[-1][1]:
            chains[-1] = (chains[-1][0], end, chains[-1][2] + 1)
        else:
            chains.append((start, end, 1))
    return chains
