"""Judged queries beside the dev set, so that tuning to the dev strings shows up in CI.

``queries-extra-book.jsonl`` asks about other parts of the book; and
``queries-extra-regulations.jsonl`` about laws and local regulations of the shared
archive (../shared/corpora/regulations.tar.gz, skipped when absent), indexed here from
the files the queries need plus look-alikes that compete with them (the 2018 and 2023
公司法, the 劳动合同法 and its 实施条例, two consumer-protection laws).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from search_api.evaluation import evaluate, format_report, load_queries
from search_api.index.elasticsearch.engine import ElasticsearchEngine
from search_api.index.tantivy.engine import TantivyEngine
from search_api.search.searcher import Searcher
from tests.parsed_folders import load_folder
from tests.relevance.conftest import drop_indices

DATA = Path(__file__).resolve().parents[1] / "data"
# Lower than the dev targets: these queries were not used to set the weights as closely.
BOOK_TARGETS = {"success_at_5": 0.95, "mrr_at_10": 0.85}
REGULATION_TARGETS = {"success_at_5": 0.90, "mrr_at_10": 0.80}

REGULATIONS = (
    "regulations/DLC/上海地方法规/地方性法规/上海/上海市消费者权益保护条例.txt",
    "regulations/DLC/北京地方法规/地方性法规/北京/北京市征兵工作条例.txt",
    "regulations/DLC/北京地方法规/地方性法规/北京/北京市野生动物保护管理条例(2020-04-24).txt",
    "regulations/DLC/广东地方法规/地方性法规/广东/阳江市文明行为促进条例(2023-02-24).txt",
    "regulations/DLC/浙江地方法规/地方性法规/浙江/宁波东钱湖旅游度假区条例(2008-12-12).txt",
    "regulations/DLC/浙江地方法规/地方性法规/浙江/杭州市企业工资集体协商条例(2014-04-11).txt",
    "regulations/DLC/浙江地方法规/地方性法规/浙江/杭州市建设工程施工安全管理条例(2010-10-11).txt",
    "regulations/DLC/浙江地方法规/地方性法规/浙江/浙江省实施《全国人民代表大会和地方各级人民代表大会代表法》办法(2016-05-27).txt",
    "regulations/DLC/浙江地方法规/地方性法规/浙江/浙江省检验机构管理条例(2021-07-30).txt",
    "regulations/DLC/浙江地方法规/地方性法规/浙江/浙江省综合行政执法条例(2021-11-25).txt",
    "regulations/DLC/浙江地方法规/地方性法规/浙江/湖州市文明行为促进条例(2018-09-05).txt",
    "regulations/宪法相关法/人民法院组织法(2018-10-26).txt",
    "regulations/宪法相关法/监察法(2018-03-20).txt",
    "regulations/民法商法/专利法(2020-10-17).txt",
    "regulations/民法商法/公司法(2018-10-26).txt",
    "regulations/民法商法/公司法(2023-12-29).txt",
    "regulations/民法商法/消费者权益保护法(2013-10-25).txt",
    "regulations/民法商法/著作权法(2020-11-11).txt",
    "regulations/社会法/劳动合同法(2012-12-28).txt",
    "regulations/社会法/劳动法(2018-12-29).txt",
    "regulations/社会法/就业促进法(2015-04-24).txt",
    "regulations/社会法/社会保险法(2018-12-29).txt",
    "regulations/经济法/个人所得税法(2018-08-31).txt",
    "regulations/经济法/反不正当竞争法(2019-04-23).txt",
    "regulations/行政法/个人信息保护法(2021-08-20).txt",
    "regulations/行政法/促进科技成果转化法(2015-08-29).txt",
    "regulations/行政法/出境入境管理法(2012-06-30).txt",
    "regulations/行政法/道路交通安全法(2021-04-29).txt",
    "regulations/行政法规/劳动合同法实施条例(2008-09-18).txt",
    "regulations/行政法规/医疗机构管理条例(2016-02-06).txt",
    "regulations/行政法规/国务院关于外商投资企业和外国企业适用增值税、消费税、营业税等税收暂行条例有关问题的通知(1994-02-22).txt",
    "regulations/行政法规/工伤保险条例(2010-12-20).txt",
    "regulations/行政法规/护士条例(2020-03-27).txt",
    "regulations/诉讼与非诉讼程序法/劳动争议调解仲裁法(2007-12-29).txt",
)


def check(backend: Searcher, queries: list[dict[str, Any]], targets: dict[str, float]) -> None:
    report = evaluate(backend, queries)
    below = {name: report[name] for name, target in targets.items() if report[name] < target}
    assert not below, f"{type(backend).__name__} below target: {below}\n{format_report(report)}"


@pytest.fixture(scope="module")
def regulations_tantivy(extra_regulations: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    backend = Searcher(TantivyEngine(tmp_path_factory.mktemp("regs-index") / "index"))
    assert not load_folder(backend.engine, extra_regulations).failures
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def regulations_elasticsearch(extra_regulations: Path, es_url: str) -> Iterator[Searcher]:
    backend = Searcher(ElasticsearchEngine(es_url, index=f"policykb-relevance-{uuid.uuid4().hex[:10]}"))
    assert not load_folder(backend.engine, extra_regulations).failures
    yield backend
    drop_indices(backend)


def queries(name: str) -> list[dict[str, Any]]:
    return load_queries(DATA / name)


def test_extra_sets_are_well_formed() -> None:
    for name in ("queries-extra-book.jsonl", "queries-extra-regulations.jsonl"):
        rows = queries(name)
        assert len({q["id"] for q in rows}) == len(rows), name
        dev = {json.loads(line)["q"] for line in (DATA / "queries-dev.jsonl").read_text("utf-8").splitlines()}
        assert not dev & {q["q"] for q in rows}, name  # none repeats a dev query


def test_book_extra_on_tantivy(book_tantivy: Searcher) -> None:
    check(book_tantivy, queries("queries-extra-book.jsonl"), BOOK_TARGETS)


@pytest.mark.elasticsearch
def test_book_extra_on_elasticsearch(book_elasticsearch: Searcher) -> None:
    check(book_elasticsearch, queries("queries-extra-book.jsonl"), BOOK_TARGETS)


@pytest.mark.shared
def test_regulations_on_tantivy(regulations_tantivy: Searcher) -> None:
    check(regulations_tantivy, queries("queries-extra-regulations.jsonl"), REGULATION_TARGETS)


@pytest.mark.shared
@pytest.mark.elasticsearch
def test_regulations_on_elasticsearch(regulations_elasticsearch: Searcher) -> None:
    check(regulations_elasticsearch, queries("queries-extra-regulations.jsonl"), REGULATION_TARGETS)
