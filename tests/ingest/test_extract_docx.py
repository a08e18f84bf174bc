"""Word .docx: headings, automatically numbered articles and items, tables, round trip."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

docx = pytest.importorskip("docx", reason="python-docx reads .docx")

from ingest.extract import ExtractionError, extract  # noqa: E402
from ingest.extract.docx import DocxToText, format_number  # noqa: E402
from ingest.pipeline import Pipeline  # noqa: E402

REGULATION = Path(__file__).resolve().parents[1] / "data" / "regulations" / "国徽法(2020-10-17).txt"
_ARTICLE = re.compile(r"^第([一二三四五六七八九十百]+)条\s*(.*)$")
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# Articles numbered by Word ("第%1条", Chinese counting) with items "（%2）" below them.
NUMBERING = f"""<w:abstractNum {W} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1条"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
</w:abstractNum>"""


def _numbered(document, paragraph, level: int) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import parse_xml

    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))


def build_docx(text: str) -> bytes:
    """The regulation as Word would hold it: title, header lines, 第N章 headings, articles
    and items numbered automatically (their numbers are not in the text), and a table."""
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    first_num.addprevious(parse_xml(NUMBERING))
    numbering.append(parse_xml(f'<w:num {W} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    document.add_paragraph(lines[0], style="Title")
    for line in lines[1:]:
        article = _ARTICLE.match(line)
        item = re.match(r"^（([一二三四五六七八九十]+)）(.*)$", line)
        if line.startswith("第") and "章" in line[:6]:
            document.add_heading(line, level=1)
        elif article:
            _numbered(document, document.add_paragraph(article.group(2)), 0)
        elif item:
            _numbered(document, document.add_paragraph(item.group(2)), 1)
        else:
            document.add_paragraph(line)
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["项目", "标准", "备注"], ["国徽", "直径一百厘米", ""], ["合计", "", ""]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(2, 1).merge(table.cell(2, 2))  # a merged cell counts once
    table.cell(2, 1).text = "见附图"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def regulation() -> str:
    return REGULATION.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def docx_bytes(regulation: str) -> bytes:
    return build_docx(regulation)


def test_numbers_are_rendered_and_text_round_trips(regulation: str, docx_bytes: bytes) -> None:
    lines = DocxToText().convert(docx_bytes).split("\n")
    source = [line.strip() for line in regulation.split("\n") if line.strip()]
    body = [line for line in lines if line and "\t" not in line]
    assert body == source  # every paragraph, with 第N条 rendered from Word's numbering
    compact_in = re.sub(r"\s+", "", "".join(source))
    compact_out = re.sub(r"\s+", "", "".join(body))
    assert compact_in == compact_out


def test_table_rows_are_tab_separated(docx_bytes: bytes) -> None:
    lines = DocxToText().convert(docx_bytes).split("\n")
    rows = [line for line in lines if "\t" in line]
    assert rows == ["项目\t标准\t备注", "国徽\t直径一百厘米", "合计\t见附图"]


def test_docx_ingests_as_the_same_policy_as_the_text(regulation: str, docx_bytes: bytes, tmp_path: Path) -> None:
    pipeline = Pipeline()
    as_text = pipeline.parse_bytes(tmp_path / "国徽法.txt", regulation.encode("utf-8"), "国徽法.txt")
    as_docx = pipeline.parse_bytes(tmp_path / "国徽法.docx", docx_bytes, "国徽法.docx")
    text_doc, docx_doc = as_text.documents[0], as_docx.documents[0]
    assert as_docx.kind == "docx"
    assert docx_doc.title == text_doc.title == "中华人民共和国国徽法"
    assert docx_doc.meta["articles"] == text_doc.meta["articles"] == 19
    assert docx_doc.meta["agencies"] == text_doc.meta["agencies"]
    assert docx_doc.meta["date"] == text_doc.meta["date"] == "2020-10-17"  # the second amendment's text
    locators = [p.locator for p in docx_doc.passages if p.attrs.get("unit") in ("article", "item")]
    assert locators == [p.locator for p in text_doc.passages if p.attrs.get("unit") in ("article", "item")]


def test_number_formats() -> None:
    counted = [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 105)]
    assert counted == ["一", "十", "十一", "二十", "一百零五"]
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(2, "ideographTraditional") == "乙"
    assert format_number(4, "upperRoman") == "IV"
    assert format_number(28, "lowerLetter") == "bb"


def test_damaged_docx_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError, match=r"damaged \.docx"):
        extract(tmp_path / "x.docx", b"PK\x03\x04" + bytes(64))
    with pytest.raises(ExtractionError, match=r"not a \.docx"):
        extract(tmp_path / "x.docx", "第一条 文本".encode())
