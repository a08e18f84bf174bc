"""Documents named by title or by 文号 prefix, on every engine (search.named_documents).

A mixin of the contract suite (each engine's test class inherits it beside
:class:`~tests.contract.contract.BackendContract`, whose ``backend`` fixture is the book).
"""

from __future__ import annotations

import re

import pytest

from search_api.search import learned
from search_api.search.searcher import Searcher
from search_api.search.types import Filters, SearchRequest
from tests.contract.contract import SKILL_MASTER_TITLE, search
from tests.contract.documents import place_document


def marks(snippet: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", snippet)


class NamingContract:
    def test_a_document_named_by_its_title_comes_first(
        self, backend: Searcher, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # The implementing rules cite the law in their title and in every article, so as
        # words they outscore it; named by its title (or without 中华人民共和国), the law
        # is hit 1, and its article when the query names one.
        monkeypatch.setattr(learned, "CHECK_S", -1.0)  # the table of titles is rebuilt at once
        law = place_document("x/law.txt", "中华人民共和国骆驼保护法", "为了保护骆驼，制定本法。")
        cited = "根据骆驼保护法，制定本条例。骆驼保护法所称骆驼，是指双峰驼。"
        rules = place_document("x/rules.txt", "中华人民共和国骆驼保护法实施条例", cited)
        loader = backend.begin_load(["x/law.txt", "x/rules.txt"])
        loader.add(backend.engine.prepare([law, rules]), sources={"x/law.txt": "l1", "x/rules.txt": "r1"})
        loader.commit()
        try:
            for query in ("骆驼保护法", "中华人民共和国骆驼保护法", "《骆驼保护法》 骆驼"):
                response = backend.search(SearchRequest(query=query, group="document"))
                assert response.documents and response.documents[0].doc_title == law.title, query
                assert rules.title in [d.doc_title for d in response.documents[1:]], query  # still shown
            assert search(backend, "骆驼保护法第一条").hits[0].citation == "《中华人民共和国骆驼保护法》第一条"
            # A part of a longer run names nothing: the rules' own words decide.
            assert search(backend, "骆驼保护法所称骆驼").hits[0].doc_title == rules.title
        finally:
            backend.remove_sources(["x/law.txt", "x/rules.txt"])

    def test_the_start_of_a_doc_number_finds_the_documents_numbered_so(self, backend: Searcher) -> None:
        # 京人社能发 alone is in the text of no article, yet names the policy of
        # 京人社能发〔2023〕3号: all of its passages match, and no document record does.
        for query in ("京人社能发", "京人社能发〔2023〕", "京人社能发（2023）", "京人社能发〔2023〕3"):
            response = search(backend, query, limit=100)
            assert response.hits and {h.doc_title for h in response.hits} == {SKILL_MASTER_TITLE}, query
            assert response.query.matched == [response.query.normalized] and not response.query.relaxed
            documents = backend.search(SearchRequest(query=query, group="document")).documents
            assert documents and [d.doc_title for d in documents] == [SKILL_MASTER_TITLE]
        # The prefix is marked whole where a passage writes it, never its parts (2025 of a date).
        marked = [m for h in search(backend, "京人社能发（2023）", limit=100).hits for m in marks(h.highlight)]
        assert marked and set(marked) == {"京人社能发〔2023〕"}, marked
        # No indexed 文号 starts so: the words decide, as for any query.
        assert search(backend, "京人社能发〔2021〕").query.terms != ["京人社能发〔2021〕"]

    def test_a_doc_number_is_said_matched_and_marked_as_written(self, backend: Searcher) -> None:
        # Typed with other brackets, the 文号 is found, said matched, and marked as the text writes it.
        response = search(backend, "京人社能发[2023]3号")
        assert response.hits and response.query.matched == ["京人社能发〔2023〕3号"] and not response.query.unmatched
        assert "京人社能发〔2023〕3号" in [m for h in response.hits for m in marks(h.highlight)]
        missing = search(backend, "京人社能发〔2023〕99号").query
        assert missing.matched == [] and missing.unmatched == ["京人社能发〔2023〕99号"]

    def test_the_start_of_a_doc_number_as_a_filter_keeps_the_documents_numbered_so(self, backend: Searcher) -> None:
        # The 文号 filter had matched only a whole 文号: 京人社事业发〔2023〕 gave 0 documents.
        hits = search(backend, "", filters=Filters(doc_number="京人社事业发[2023]"), limit=100).hits
        assert len({h.doc_id for h in hits}) >= 2
        assert all((h.doc_number or "").startswith("京人社事业发〔2023〕") for h in hits)
        only = search(backend, "", filters=Filters(doc_number="京人社能发"), limit=100).hits
        assert only and {h.doc_title for h in only} == {SKILL_MASTER_TITLE}
        assert not search(backend, "", filters=Filters(doc_number="京人社能发〔2021〕")).hits

    def test_each_result_says_which_units_it_lacks(self, backend: Searcher) -> None:
        # A query of several units needs only most of them: 高技能人才 补贴 金额 found a
        # clause on import subsidies (补贴金额) first and said nothing; each result now says
        # which units it lacks (缺少), in both views, and the page says which units no
        # passage holds (absent, 未找到) apart from those only other passages hold.
        query = "技能大师 一次性资助 设备设施 骆驼"
        response = search(backend, query, limit=20)
        info = response.query
        assert info is not None and "骆驼" in info.absent and "技能大师" not in info.absent
        for hit in response.hits:
            text = hit.text + hit.doc_title + "".join(hit.path)
            assert hit.missing == [u for u in info.terms if u in hit.missing]
            assert all(unit not in text for unit in hit.missing), (hit.citation, hit.missing)
        # An absent unit is said once (未找到), not under every result.
        assert any(hit.missing for hit in response.hits) and not any("骆驼" in hit.missing for hit in response.hits)
        documents = backend.search(SearchRequest(query=query, group="document")).documents
        assert documents
        for document in documents:
            assert document.missing == [
                u for u in document.passages[0].missing if all(u in p.missing for p in document.passages)
            ]
        whole = search(backend, "技能大师工作室", limit=5)
        assert whole.hits and not any(hit.missing for hit in whole.hits)
