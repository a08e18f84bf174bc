"""Word .docx bytes → lines: paragraphs and tables in document order (python-docx).

Each paragraph is one line; a heading is a line of its own like any paragraph (the
segmenters recognise 第一章 / 一、 by their text). Automatic numbering is not in a
paragraph's text: Word draws "第四条" or "（一）" from the numbering definitions, so
:class:`Numbering` renders the label from the paragraph's (or its style's) numbering
level and puts it in front of the text, as a reader sees it. A table row becomes one
tab-separated line (a merged cell counted once). Empty paragraphs become one blank line
at most: three blank lines would read as a page break.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from analysis.numerals import int_to_cn
from ingest.extract.errors import ExtractionError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LEVEL_REF = re.compile(r"%([1-9])")
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip


def format_number(value: int, fmt: str) -> str:
    """A counter in one of Word's number formats (w:numFmt)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting",
               "ideographDigital", "taiwaneseCounting", "taiwaneseCountingThousand"):  # fmt: skip
        return int_to_cn(value)
    if fmt == "ideographTraditional":
        return _TIANGAN[(value - 1) % len(_TIANGAN)]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= len(_CIRCLED):
        return _CIRCLED[value - 1]
    if fmt == "decimalFullWidth":
        return str(value).translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = ""
        for number, numeral in _ROMAN:
            while value >= number:
                roman += numeral
                value -= number
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt in ("bullet", "none"):
        return ""
    return str(value)


class Numbering:
    """Renders the labels of automatically numbered paragraphs, counting as Word does."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstract → ilvl → (start, fmt, text)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstract, ilvl → start override)
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.iter(f"{_W}abstractNum"):
            levels: dict[int, tuple[int, str, str]] = {}
            for lvl in abstract.iter(f"{_W}lvl"):
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    int(_val(lvl, "start") or 1),
                    _val(lvl, "numFmt") or "decimal",
                    _val(lvl, "lvlText") or "",
                )
            self.levels[abstract.get(f"{_W}abstractNumId", "")] = levels
        for num in root.iter(f"{_W}num"):
            overrides = {}
            for override in num.iter(f"{_W}lvlOverride"):
                start = _val(override, "startOverride")
                if start is not None:
                    overrides[int(override.get(f"{_W}ilvl", "0"))] = int(start)
            self.nums[num.get(f"{_W}numId", "")] = (_val(num, "abstractNumId") or "", overrides)

    def label(self, paragraph: Any) -> str:
        """The label Word draws before ``paragraph`` ("" when it is not numbered)."""
        found = _num_pr(paragraph._p) or _style_num_pr(paragraph)
        if found is None:
            return ""
        num_id, ilvl = found
        if num_id not in self.nums:
            return ""
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.started:  # a list restarting its numbering with an override
            self.started.add(num_id)
            for level, start in overrides.items():
                counters[level] = start - 1
        start = levels[ilvl][0]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [lvl for lvl in counters if lvl > ilvl]:
            del counters[deeper]  # a higher level restarts the levels below it

        def level_value(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            value = counters.get(level, levels.get(level, (1, "decimal", ""))[0])
            return format_number(value, levels.get(level, (1, "decimal", ""))[1])

        return _LEVEL_REF.sub(level_value, levels[ilvl][2])


def _val(element: Any, name: str) -> str | None:
    child = element.find(f"{_W}{name}")
    return child.get(f"{_W}val") if child is not None else None


def _num_pr(p: Any) -> tuple[str, int] | None:
    ppr = p.find(f"{_W}pPr")
    num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
    if num_pr is None:
        return None
    num_id = _val(num_pr, "numId")
    if num_id is None or num_id == "0":  # numId 0 switches numbering off
        return None
    return num_id, int(_val(num_pr, "ilvl") or 0)


def _style_num_pr(paragraph: Any) -> tuple[str, int] | None:
    style = paragraph.style
    while style is not None:
        found = _num_pr(style.element)
        if found is not None:
            return found
        style = style.base_style
    return None


class DocxToText:
    """Paragraphs (with their automatic numbers) and table rows of a .docx, in order."""

    def convert(self, data: bytes) -> str:
        import docx

        try:
            document = docx.Document(io.BytesIO(data))
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise ExtractionError(f"damaged .docx ({type(exc).__name__}: {exc})") from None
        except Exception as exc:
            raise ExtractionError(f"damaged .docx ({type(exc).__name__})") from None
        numbering = Numbering(document)
        lines: list[str] = []
        for block in _blocks(document):
            if block.tag == f"{_W}p":
                from docx.text.paragraph import Paragraph

                paragraph = Paragraph(block, document)
                text = paragraph.text.replace("\t", " ").strip()
                label = numbering.label(paragraph)
                lines.append(f"{label}{_gap(label, text)}{text}" if label else text)
            else:
                lines.extend(_table_lines(block, document))
        return _collapse_blanks(lines)


def _blocks(document: Any) -> Iterator[Any]:
    """Body paragraphs and tables in document order."""
    for child in document.element.body.iterchildren():
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child


def _gap(label: str, text: str) -> str:
    """A space after "第四条" (the text convention), none after "（一）" or "1."."""
    if not text:
        return ""
    return " " if label[-1] in "条章节编款项" else ""


def _table_lines(element: Any, document: Any) -> list[str]:
    from docx.table import Table

    lines: list[str] = []
    for row in Table(element, document).rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:  # a horizontally merged cell repeats: count it once
                continue
            previous = cell._tc
            cells.append(" ".join(part.strip() for part in cell.text.split("\n") if part.strip()))
        line = "\t".join(cells).rstrip("\t")
        if line.strip():
            lines.append(line)
    return lines


def _collapse_blanks(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out).strip("\n")
