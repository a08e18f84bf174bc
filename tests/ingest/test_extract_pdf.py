"""PDF: text layer round trip, page numbers, running headers/footers, tables, bad PDFs,
and the book rendered to PDF ingesting like its text."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("reportlab", reason="reportlab (test extra) renders the PDF fixtures")
pytest.importorskip("pypdfium2", reason="pypdfium2 reads PDFs")

from ingest.extract import ExtractionError, extract
from ingest.extract.pdf import PdfToText
from ingest.pipeline import Pipeline
from tests.ingest.pdf_render import PageSpec, book_pages, flow, render, render_encrypted, render_scan

DATA = Path(__file__).resolve().parents[1] / "data" / "regulations"
REGULATION = DATA / "重庆市长江防护林体系管理条例(2019-05-31).txt"
TITLE = "重庆市长江防护林体系管理条例"
_SPACE = re.compile(r"\s+")


def matched_share(expected: str, actual: str) -> float:
    """Share of ``expected``'s non-space characters found, in order, in ``actual``."""
    a, b = _SPACE.sub("", expected), _SPACE.sub("", actual)
    blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    extra = len(b) - sum(block.size for block in blocks)  # characters that are not in the source
    return (sum(block.size for block in blocks) - extra) / len(a)


@pytest.fixture(scope="module")
def regulation() -> str:
    return REGULATION.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def regulation_pdf(regulation: str, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    pages = flow(regulation, TITLE)
    assert len(pages) >= 4
    return render(pages, tmp_path_factory.mktemp("pdf") / "regulation.pdf").read_bytes()


def test_text_layer_round_trip(regulation: str, regulation_pdf: bytes) -> None:
    text, _ = PdfToText().convert(regulation_pdf).text_and_pages()
    assert matched_share(regulation, text) >= 0.999
    # Wrapped lines are paragraphs again: every source paragraph is one line of the text.
    paragraphs = {_SPACE.sub("", line) for line in text.split("\n")}
    source = [_SPACE.sub("", line) for line in regulation.split("\n") if line.strip()]
    assert sum(line in paragraphs for line in source) >= 0.95 * len(source)


def test_running_header_and_page_numbers_are_removed_and_read(regulation_pdf: bytes) -> None:
    result = PdfToText().convert(regulation_pdf)
    text, pages = result.text_and_pages()
    lines = text.split("\n")
    assert lines.count(TITLE) == 1  # the title line of page 1; the running header is gone
    assert not [line for line in lines if re.fullmatch(r"- \d+ -", line)]
    assert [page.label for page in result.pages] == list(range(1, len(result.pages) + 1))
    assert pages[0] == 1 and pages[-1] == len(result.pages)


def test_pdf_ingests_like_the_text_with_page_citations(regulation: str, regulation_pdf: bytes) -> None:
    pipeline = Pipeline()
    as_text = pipeline.parse_bytes(DATA / "r.txt", regulation.encode("utf-8"), "r.txt").documents[0]
    as_pdf = pipeline.parse_bytes(DATA / "r.pdf", regulation_pdf, "r.pdf").documents[0]
    assert as_pdf.title == as_text.title == TITLE
    assert as_pdf.meta["articles"] == as_text.meta["articles"] == 44
    assert as_pdf.meta["agencies"] == as_text.meta["agencies"]
    # Same passages, including the articles a page break cut in two.
    assert [_SPACE.sub("", p.text) for p in as_pdf.passages] == [_SPACE.sub("", p.text) for p in as_text.passages]
    pages = [p.page for p in as_pdf.passages]
    assert pages[0] == 1 and pages == sorted(pages) and pages[-1] >= 4
    assert all(p.citation.endswith(f"，第{p.page}页") for p in as_pdf.passages)
    assert as_pdf.passages[1].citation == f"《{TITLE}》第一条，第1页"


def test_table_rows_by_pdfium_geometry_and_by_pdfplumber(tmp_path: Path) -> None:
    rows = ["地区\t人才数量（万人）\t占比", "东城区\t69\t8.7%", "西城区\t104.9\t13.2%", "合计\t173.9\t21.9%"]
    page = PageSpec(["表1 2022年各区人才数量", *rows, "资料来源：课题组整理。"], "1", "北京人才蓝皮书")
    second = PageSpec(["第二页的正文。"], "2", "北京人才蓝皮书")
    data = render([page, second], tmp_path / "table.pdf").read_bytes()
    for mode in ("never", "always"):
        result = PdfToText(mode).convert(data)
        expected = [["表1 2022年各区人才数量", *rows, "资料来源：课题组整理。"], ["第二页的正文。"]]
        assert result.paragraphs == expected, mode
        assert result.engines == {"pdfplumber" if mode == "always" else "pdfium": 2}


def test_page_where_pdfium_drops_a_lone_glyph_is_read_by_pdfplumber(tmp_path: Path) -> None:
    # PDFium skips a text object of one glyph without a box (a font that is not embedded):
    # the wrapped "年" of a narrow table cell would vanish.
    from reportlab.pdfgen.canvas import Canvas

    from tests.ingest.pdf_render import FONT, _font

    canvas = Canvas(str(tmp_path / "lone.pdf"), pagesize=(595, 842))
    canvas.setFont(_font(), 10.5)
    canvas.drawString(56, 760, "队伍类型 2013")
    canvas.drawString(56 + 10.5 * 4.5, 746, "年")  # the cell's wrapped second line, drawn alone
    canvas.drawString(56, 720, "党政人才队伍稳步壮大。")
    canvas.showPage()
    canvas.save()
    assert FONT == "STSong-Light"
    data = (tmp_path / "lone.pdf").read_bytes()
    result = PdfToText().convert(data)
    assert "年" in "".join(result.paragraphs[0])
    # Whether PDFium has a box for the glyph depends on the CJK fonts installed (it
    # substitutes one for the font the PDF does not embed): where the fast path alone
    # loses the glyph, the page must have gone to pdfplumber.
    if "年" not in "".join(PdfToText("never").convert(data).paragraphs[0]):
        assert result.engines == {"pdfplumber": 1}


@pytest.mark.parametrize(
    ("maker", "reason"),
    [
        (lambda d: render_encrypted("第一条 加密", d / "x.pdf").read_bytes(), "encrypted PDF (password required)"),
        (lambda d: render_scan(d / "x.pdf").read_bytes(), "no text layer (OCR not supported)"),
        (lambda d: b"%PDF-1.4\n" + bytes(range(256)) * 20, "truncated PDF"),
        (lambda d: b"%PDF-1.4\n" + bytes(range(256)) * 20 + b"\n%%EOF\n", "damaged PDF"),
    ],
    ids=["encrypted", "scanned", "truncated", "damaged"],
)
def test_unreadable_pdfs_say_why(maker, reason: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ExtractionError, match=re.escape(reason)):
        extract(tmp_path / "x.pdf", maker(tmp_path))


# ---------------------------------------------------------------------- the book


@pytest.fixture(scope="module")
def book_text(book_path: Path) -> str:
    return book_path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def book_pdf(book_text: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[PageSpec], bytes]:
    """The book rendered one PDF page per book page, labelled with the page the text
    ingest gives that page's first line, with running headers and page numbers."""
    pages = book_pages(book_text)
    return pages, render(pages, tmp_path_factory.mktemp("book") / "book.pdf").read_bytes()


def test_book_pdf_fidelity_and_page_labels(book_pdf: tuple[list[PageSpec], bytes]) -> None:
    specs, data = book_pdf
    result = PdfToText().convert(data)
    assert len(result.pages) == len(specs)
    # Page by page: SequenceMatcher is quadratic on a whole book.
    total = sum(len(_SPACE.sub("", "".join(spec.lines))) for spec in specs)
    matched = sum(
        matched_share("".join(spec.lines), "".join(paragraphs)) * len(_SPACE.sub("", "".join(spec.lines)))
        for spec, paragraphs in zip(specs, result.paragraphs, strict=True)
        if _SPACE.sub("", "".join(spec.lines))
    )
    assert matched / total >= 0.999
    labels = [page.label for page in result.pages]
    assert labels == [int(spec.label) if spec.label else None for spec in specs]
    assert result.engines.get("pdfium", 0) >= 0.9 * len(specs)  # the fast path reads most pages


def test_book_pdf_ingests_like_the_text(book_text: str, book_pdf: tuple[list[PageSpec], bytes]) -> None:
    pipeline = Pipeline()
    as_text = pipeline.segment(Path("book.txt"), book_text.encode("utf-8"), "book").documents
    as_pdf = pipeline.segment(Path("book.pdf"), book_pdf[1], "book").documents

    def chapters(docs):  # type: ignore[no-untyped-def]
        return [d.title for d in docs if d.kind == "report_chapter"]

    def policies(docs):  # type: ignore[no-untyped-def]
        return {d.title: d.meta.get("articles") for d in docs if d.kind == "policy"}

    def catalogue(docs):  # type: ignore[no-untyped-def]
        return [p.text for d in docs for p in d.passages if p.kind == "catalogue_entry"]

    assert Counter(d.kind for d in as_pdf) == Counter(d.kind for d in as_text)
    assert chapters(as_pdf) == chapters(as_text) and len(chapters(as_text)) == 17
    assert policies(as_pdf) == policies(as_text)
    assert [_SPACE.sub("", t) for t in catalogue(as_pdf)] == [_SPACE.sub("", t) for t in catalogue(as_text)]

    def key(doc, passage):  # type: ignore[no-untyped-def]
        return doc.title, passage.kind, passage.locator, _SPACE.sub("", passage.text)

    text_pages = {key(d, p): p.page for d in as_text for p in d.passages}
    pdf_pages = {key(d, p): p.page for d in as_pdf for p in d.passages}
    common = set(text_pages) & set(pdf_pages)
    assert len(common) >= 0.98 * len(text_pages)
    same = sum(text_pages[k] == pdf_pages[k] for k in common)
    assert same >= 0.99 * len(common)
    numbered = [p for d in as_pdf for p in d.passages if d.kind in ("report_chapter", "policy", "timeline")]
    with_page = [p for p in numbered if p.page is not None]
    assert len(with_page) >= 0.99 * len(numbered)
    assert all(p.citation.endswith(f"，第{p.page}页") for p in with_page)
