"""HTML: the page's main text (a policy) without navigation, footer or related links."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

pytest.importorskip("selectolax", reason="selectolax parses HTML")

from ingest.extract import extract
from ingest.extract.html import HtmlToText
from ingest.pipeline import Pipeline

REGULATION = Path(__file__).resolve().parents[1] / "data" / "regulations" / "国徽法(2020-10-17).txt"

CHROME_TOP = """<div class="header"><div class="logo">北京市人民政府</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/zc">政策文件</a></li>
<li><a href="/bs">办事服务</a></li><li><a href="/hd">互动交流</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zc">政策文件</a> &gt; 正文</div>"""
CHROME_BOTTOM = """<div class="related"><h3>相关文件</h3><ul>
<li><a href="/a">北京市人民政府关于印发某某实施办法的通知</a></li>
<li><a href="/b">北京市人力资源和社会保障局关于做好某项工作的通知</a></li></ul></div>
<div class="share">分享到：<a>微信</a><a>微博</a></div>
<div class="footer"><p>主办：北京市人民政府办公厅 承办：北京市政务服务和数据管理局</p>
<p>版权所有 京ICP备05060933号 京公网安备11010502039485号</p></div>
<script>var tracker = "第一条 不是正文";</script>"""


def government_page(text: str, charset: str = "utf-8") -> bytes:
    """The regulation as a government site serves it: chrome around a content div."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines[1:])
    table = "<table><tr><th>项目</th><th>标准</th></tr><tr><td>国徽</td><td>直径<br>一百厘米</td></tr></table>"
    page = f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{lines[0]}_北京市人民政府网站</title></head><body>{CHROME_TOP}
<div class="container"><div class="main-left"><h1 class="title">{html.escape(lines[0])}</h1>
<div class="info">发布时间：2020-10-17 来源：全国人大</div>
<div id="zoom" class="TRS_Editor">{body}{table}</div></div>
<div class="side-bar"><ul><li><a href="/x">热点专题一</a></li><li><a href="/y">热点专题二</a></li></ul></div></div>
{CHROME_BOTTOM}</body></html>"""
    return page.encode(charset)


@pytest.fixture(scope="module")
def regulation() -> str:
    return REGULATION.read_text(encoding="utf-8")


@pytest.mark.parametrize("charset", ["utf-8", "gb2312"])
def test_main_text_only(regulation: str, charset: str) -> None:
    lines = HtmlToText().convert(government_page(regulation, "gb18030" if charset == "gb2312" else charset)).split("\n")
    source = [line.strip() for line in regulation.split("\n") if line.strip()]
    assert lines[: len(source)] == source  # title first, then every paragraph
    assert lines[len(source) :] == ["项目\t标准", "国徽\t直径 一百厘米"]
    text = "\n".join(lines)
    for chrome in ("政务公开", "当前位置", "相关文件", "京ICP备", "分享到", "热点专题", "不是正文"):
        assert chrome not in text


def test_declared_charset_is_used_and_a_wrong_one_is_survived(regulation: str) -> None:
    page = government_page(regulation, "gb18030").replace(b"charset=gb18030", b"charset=utf-8")
    lines = HtmlToText().convert(page).split("\n")
    assert lines[0] == "中华人民共和国国徽法"


def test_html_page_ingests_as_the_policy(regulation: str, tmp_path: Path) -> None:
    parsed = Pipeline().parse_bytes(tmp_path / "page.htm", government_page(regulation), "page.htm")
    doc = parsed.documents[0]
    assert parsed.kind == "html"
    assert doc.title == "中华人民共和国国徽法"
    assert doc.meta["articles"] == 19
    assert doc.meta["agencies"] == ["全国人民代表大会常务委员会"]


def test_html_is_sniffed_without_its_suffix(regulation: str, tmp_path: Path) -> None:
    assert extract(tmp_path / "page.txt", government_page(regulation)).kind == "html"
