"""The policy table: its lookups, and that it is built once per index generation.

A policy page used to decode every policy document of the index per request (0.2 s at the
regulations scale, most of a 2-article page's time). The table is kept per generation and
rebuilt when another process commits, at once: the embedded engine reloads its reader
when ``meta.json`` changed, so a generation never pairs with an older commit's contents.
"""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import segment_file
from search_api.index.loading import ingest_paths
from search_api.index.tantivy.engine import TantivyEngine
from search_api.search.policy_table import PolicyTable
from search_api.search.searcher import Searcher


def record(doc_id: str, title: str, number: str | None, date: str, repeals: list[dict[str, str | None]]) -> dict:
    meta = {"doc_number": number, "date": date, "repeals": repeals, "agencies": []}
    return {"id": doc_id, "title": title, "meta": meta}


TABLE = PolicyTable.of(
    [
        record("old", "北京市安全生产条例", "京人大〔2004〕1号", "2004-07-29", []),
        record("new", "北京市安全生产条例", "京人大〔2022〕5号", "2022-05-25", []),
        record("cat", "北京市人才公寓管理办法", "京建发〔2021〕3号", "2021-03-01", []),
        record("full", "北京市人才公寓管理办法（试行）", "京建发[2021]3号", "2021-03-01", []),
        record("plain", "北京市人才公寓管理办法（试行）", None, "2021-03-02", []),
        record("law", "北京市某条例", None, "2023-01-01", [{"title": "北京市安全生产条例", "doc_number": None}]),
    ]
)


def test_records_are_ordered_by_date_then_title() -> None:
    assert [r.id for r in TABLE.records] == ["old", "cat", "full", "plain", "new", "law"]


def test_the_same_policy_by_number_when_both_have_one_else_by_title() -> None:
    by_id = TABLE.by_id
    # Same 文号 in another bracket style; the same title with another 文号 is another text.
    assert [r.id for r in TABLE.same_policy(by_id["cat"])] == ["full"]
    assert [r.id for r in TABLE.same_policy(by_id["full"])] == ["cat", "plain"]  # plain has no 文号: by title
    assert [r.id for r in TABLE.same_policy(by_id["old"])] == []


def test_repeals_resolve_to_the_latest_record_of_a_title() -> None:
    assert TABLE.indexed({"title": "北京市安全生产条例", "doc_number": None}) == "new"
    assert TABLE.indexed({"title": "未收录的办法", "doc_number": "京建发（2021）3号"}) == "full"
    assert [r.id for r in TABLE.repealed_by["new"]] == ["law"]
    assert "old" not in TABLE.repealed_by


TEXT = "{title}\n第一条 为了规范人才公寓管理，制定本办法。\n第二条 申请人应当具有本科以上学历。\n"


def test_built_once_per_generation_and_rebuilt_at_once_after_another_commit(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text(TEXT.format(title="北京市人才公寓管理办法"), encoding="utf-8")
    ingest_paths(TantivyEngine(tmp_path / "index"), [source])
    searcher = Searcher(TantivyEngine(tmp_path / "index"))
    reads: list[str | None] = []
    documents = searcher.engine.documents
    searcher.engine.documents = lambda kind=None: reads.append(kind) or documents(kind)  # type: ignore[method-assign]
    # Another engine on the same folder (another process) commits a second policy, its
    # records made beforehand so that the commit follows the first read closely: the next
    # call sees it, without waiting for a reload interval.
    other = TantivyEngine(tmp_path / "index")
    (source / "b.txt").write_text(TEXT.format(title="北京市技能大师工作室管理办法"), encoding="utf-8")
    parsed = segment_file(source / "b.txt", (source / "b.txt").read_bytes(), "b.txt")
    prepared = other.prepare(parsed.documents)
    first = searcher.policy_table()
    assert searcher.policy_table() is first and reads == ["policy"]  # one read for many pages
    loader = other.begin_load([])
    loader.add(prepared, sources={"b.txt": "b"})
    loader.commit()
    titles = sorted(r.title for r in searcher.policy_table().records)
    assert titles == ["北京市人才公寓管理办法", "北京市技能大师工作室管理办法"]
    assert len(reads) == 2


def test_a_full_text_is_superseded_by_a_later_full_text_of_the_same_policy() -> None:
    def full(doc_id: str, title: str, date: str, articles: int | None = 30) -> dict:
        data = record(doc_id, title, None, date, [])
        data["meta"]["articles"] = articles
        return data

    table = PolicyTable.of(
        [
            full("v2013", "国家科学技术奖励条例", "2013-07-18"),
            full("v2020", "国家科学技术奖励条例", "2020-10-07"),
            full("line", "国家科学技术奖励条例", "2024-01-01", articles=None),  # a catalogue line: no text
            full("other", "北京市科学技术奖励办法", "2019-01-01"),
        ]
    )
    assert table.superseded == {"v2013"}
    later = table.later_version(table.by_id["v2013"])
    assert later is not None and later.id == "v2020"
    assert TABLE.superseded == frozenset()  # records without articles are no full texts


def test_a_text_repeals_only_what_came_before_it_never_itself() -> None:
    # 工会法 (2021) ends: 1950年…颁布的《中华人民共和国工会法》同时废止. Taken as the latest record
    # of that title, the 2021 text read as repealed by itself (已废止 on its own page).
    union = {"title": "中华人民共和国工会法", "doc_number": None}
    # Each version of the 专利法实施细则 keeps the 2001 text's 「1992年12月21日…发布的《…细则》
    # 同时废止」: the 1992 text (not indexed), not the 2002 version the 2023 one supersedes.
    rules = {"title": "中华人民共和国专利法实施细则", "doc_number": None, "date": "1992-12-21"}
    # Another title's date is its adoption: the repeal takes its later amendment with it.
    budget = {"title": "北京市预算监督条例", "doc_number": None, "date": "1996-12-05"}
    table = PolicyTable.of(
        [
            record("union2021", "中华人民共和国工会法", None, "2021-12-24", [union]),
            record("rules2002", "中华人民共和国专利法实施细则", None, "2002-12-28", [rules]),
            record("rules2023", "中华人民共和国专利法实施细则", None, "2023-12-11", [rules]),
            record("budget2007", "北京市预算监督条例", None, "2007-03-30", []),
            record("budget2016", "北京市预算审查监督条例", None, "2016-12-29", [budget]),
        ]
    )
    assert "union2021" not in table.repealed_by
    assert table.indexed(union, table.by_id["union2021"]) is None  # the 1950 text is not indexed
    assert "rules2002" not in table.repealed_by and "rules2023" not in table.repealed_by
    assert [r.id for r in table.repealed_by["budget2007"]] == ["budget2016"]
