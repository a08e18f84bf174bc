"""申报自查 puts the policies that bind the applicant's place first.

A 河南省 regulation binds nobody working in 北京, however many of its conditions the
applicant meets; a national or 北京 policy may. The check ranks another jurisdiction's
policy after every policy that may bind the applicant, unless the query itself names that
place (河南 创业: the applicant asks about 河南). Two small policies of the same kind: the
河南 one fits the profile better (three conditions met against two), so without a place it
comes first.
"""

from __future__ import annotations

import pytest

from search_api.search.eligibility import check
from search_api.search.profile_reading import profile_from
from search_api.search.searcher import Searcher
from search_api.search.types import Filters, SearchRequest
from tests.eligibility.small_index import searcher_of

HENAN = """河南省青年创业扶持办法

第一条 为了鼓励青年创业，以创业带动就业，支持青年自主创业，制定本办法。

第二条 申请创业扶持的青年应当具备下列条件：
（一）具有大专以上学历；
（二）年龄在十八周岁以上、四十五周岁以下；
（三）在本省创业满一年。

第三条 符合条件的创业青年可以获得一次性创业补贴五万元。
"""
BEIJING = """北京市青年创业扶持办法

第一条 为了支持青年人才在本市发展，制定本办法。

第二条 申请扶持的青年应当具备下列条件：
（一）具有本科以上学历；
（二）年龄在三十五周岁以下；
（三）在本市创业。

第三条 符合条件的青年可以获得一次性补贴三万元。
"""


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    return searcher_of(tmp_path_factory, {"河南省青年创业扶持办法.txt": HENAN, "北京市青年创业扶持办法.txt": BEIJING})


def _titles(searcher: Searcher, query: str, **profile: object) -> list[str]:
    applicant = profile_from({"education": "硕士", "age": 30, **profile})
    return [p.title for p in check(searcher, applicant, query, Filters()).policies]


def test_without_a_place_the_better_fit_comes_first(searcher: Searcher) -> None:
    assert _titles(searcher, "创业") == ["河南省青年创业扶持办法", "北京市青年创业扶持办法"]


def test_another_places_policy_comes_after_the_applicants(searcher: Searcher) -> None:
    assert _titles(searcher, "创业", residence=["在京工作"]) == ["北京市青年创业扶持办法", "河南省青年创业扶持办法"]


def test_a_place_the_query_names_wins_over_the_residence(searcher: Searcher) -> None:
    assert _titles(searcher, "河南 创业", residence=["在京工作"])[0] == "河南省青年创业扶持办法"


def test_the_services_home_region_does_not_place_the_applicant(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A Beijing service prefers Beijing's texts in search; the check places a policy by the
    # applicant's own residence (or the query's place), and compares candidates by the
    # ratio of their scores, which a bonus on most of them would change.
    home = Searcher(searcher.engine, home_region="北京")
    plain = [
        (h.doc_id, h.score) for h in searcher.search(SearchRequest(query="创业", group="document")).documents or []
    ]
    unbonused = home.search(SearchRequest(query="创业", group="document", home=False)).documents or []
    assert [(h.doc_id, h.score) for h in unbonused] == plain
    asked: list[SearchRequest] = []
    search = Searcher.search
    monkeypatch.setattr(Searcher, "search", lambda self, request: asked.append(request) or search(self, request))
    assert _titles(home, "创业") == ["河南省青年创业扶持办法", "北京市青年创业扶持办法"]
    assert asked and not asked[0].home  # the candidates
