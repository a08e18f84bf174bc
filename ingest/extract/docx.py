"""Word .docx bytes → lines: paragraphs and tables in document order (python-docx).

Each paragraph is one line; a heading is a line of its own like any paragraph (the
segmenters recognise 第一章 / 一、 by their text). Automatic numbering is not in a
paragraph's text: Word draws "第四条" or "（一）" from the numbering definitions, so
:class:`Numbering` renders the label from the paragraph's (or its style's) numbering
level and puts it in front of the text, as a reader sees it. A table row becomes one
tab-separated line (a merged cell counted once). Empty paragraphs become one blank line
at most: three blank lines would read as a page break.

A .docx is a zip of XML, and untrusted: its members' sizes are checked before anything
is unzipped (:func:`check_archive`: ``POLICYKB_MAX_UNZIPPED_BYTES``, ``POLICYKB_MAX_ZIP_RATIO``),
libxml2 refuses XML nested deeper than 256 levels or with entity expansion, style
inheritance (``w:basedOn``) is followed with a visited set (a cycle is reported as a
warning), and tables are read row by row without python-docx's recursive merge lookup.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from analysis.numerals import int_to_cn
from ingest import limits
from ingest.extract.errors import ExtractionError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LEVEL_REF = re.compile(r"%([1-9])")
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip
MAX_LEVEL = 8  # Word's numbering levels are 0-8
MAX_COUNTER = 100_000  # larger counters (a hostile w:start) are written in digits
MAX_GRID_SPAN = 1_000  # columns one table cell may span


def format_number(value: int, fmt: str) -> str:
    """A counter in one of Word's number formats (w:numFmt)."""
    if not 0 < value <= MAX_COUNTER:
        return str(value)  # letters and numerals would grow with the value
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
        self.styles = StyleNumbering(document)
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.iter(f"{_W}abstractNum"):
            levels: dict[int, tuple[int, str, str]] = {}
            for lvl in abstract.iter(f"{_W}lvl"):
                level = _int(lvl.get(f"{_W}ilvl"), 0)
                if 0 <= level <= MAX_LEVEL:
                    levels[level] = (
                        _int(_val(lvl, "start"), 1),
                        _val(lvl, "numFmt") or "decimal",
                        (_val(lvl, "lvlText") or "")[:100],
                    )
            self.levels[abstract.get(f"{_W}abstractNumId", "")] = levels
        for num in root.iter(f"{_W}num"):
            overrides = {}
            for override in num.iter(f"{_W}lvlOverride"):
                start = _val(override, "startOverride")
                if start is not None:
                    overrides[_int(override.get(f"{_W}ilvl"), 0)] = _int(start, 1)
            self.nums[num.get(f"{_W}numId", "")] = (_val(num, "abstractNumId") or "", overrides)

    @property
    def warnings(self) -> list[str]:
        return self.styles.warnings

    def label(self, paragraph: Any) -> str:
        """The label Word draws before ``paragraph`` ("" when it is not numbered)."""
        p = getattr(paragraph, "_p", paragraph)
        found = _num_pr(p) or self.styles.num_pr(p)
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
                if level in levels:
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


class StyleNumbering:
    """The numbering a paragraph takes from its style or the styles that style is based on.

    The styles are read once into a table (python-docx looks each one up by a search of
    all styles); following ``w:basedOn`` stops at a style already seen, so that styles
    based on each other in a cycle end the search instead of looping, with a warning.
    """

    def __init__(self, document: Any) -> None:
        self.styles: dict[str, tuple[tuple[str, int] | None, str | None]] = {}  # id → (numPr, basedOn)
        self.default: str | None = None
        self.resolved: dict[str, tuple[str, int] | None] = {}
        self.warnings: list[str] = []
        try:
            root = document.part.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for style in root.iterchildren(f"{_W}style"):
            if style.get(f"{_W}type", "paragraph") != "paragraph":
                continue
            style_id = style.get(f"{_W}styleId")
            if style_id is None:
                continue
            self.styles.setdefault(style_id, (_num_pr(style), _val(style, "basedOn")))
            if style.get(f"{_W}default") in ("1", "true", "on"):
                self.default = style_id  # the last default wins, as in python-docx

    def num_pr(self, p: Any) -> tuple[str, int] | None:
        """(numId, ilvl) from the style of paragraph element ``p``, if any."""
        ppr = p.find(f"{_W}pPr")
        style_id = _val(ppr, "pStyle") if ppr is not None else None
        if style_id is None or style_id not in self.styles:
            style_id = self.default
        return self.resolve(style_id) if style_id is not None else None

    def resolve(self, style_id: str) -> tuple[str, int] | None:
        if style_id in self.resolved:
            return self.resolved[style_id]
        chain: list[str] = []
        seen: set[str] = set()
        found: tuple[str, int] | None = None
        current: str | None = style_id
        while current is not None and current in self.styles:
            if current in self.resolved:
                found = self.resolved[current]
                break
            if current in seen:
                cycle = [*chain[chain.index(current) :], current]
                self.warnings.append(
                    f"styles based on each other in a cycle ({_printable(' → '.join(cycle))}): "
                    "numbering from those styles ignored"
                )
                break
            seen.add(current)
            chain.append(current)
            own, current = self.styles[current]
            if own is not None:
                found = own
                break
        for name in chain:
            self.resolved[name] = found
        return found


def _int(value: str | None, default: int) -> int:
    """A whole number attribute; ``default`` when absent or not a number."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _printable(text: str, limit: int = 120) -> str:
    """``text`` safe for a one-line message: no control characters, not too long."""
    clean = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


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
    return num_id, _int(_val(num_pr, "ilvl"), 0)


def check_archive(data: bytes, limit: limits.Limits) -> None:
    """Refuse a zip that would unzip to more than the limits allow, from the sizes its
    directory declares (python's zipfile never unzips a member past its declared size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise ExtractionError(f"damaged .docx ({type(exc).__name__}: {_printable(str(exc))})") from None
    total = 0
    for info in members:
        size = info.file_size
        name = _printable(info.filename, 60)
        if size > limit.max_unzipped_bytes:
            raise limits.exceeded(
                f"{name} unzips to {size:,} bytes, more than {limit.max_unzipped_bytes:,}", "max_unzipped_bytes"
            )
        if size > limits.ZIP_RATIO_FLOOR and size > limit.max_zip_ratio * max(info.compress_size, 1):
            ratio = size / max(info.compress_size, 1)
            raise limits.exceeded(
                f"{name} unzips to {ratio:,.0f} times its size (a zip bomb?), more than {limit.max_zip_ratio:,}",
                "max_zip_ratio",
            )
        total += size
    if total > limit.max_unzipped_bytes:
        raise limits.exceeded(
            f".docx unzips to {total:,} bytes, more than {limit.max_unzipped_bytes:,}", "max_unzipped_bytes"
        )


class DocxToText:
    """Paragraphs (with their automatic numbers) and table rows of a .docx, in order."""

    def __init__(self, limit: limits.Limits | None = None) -> None:
        self.limit = limit
        self.warnings: list[str] = []

    def convert(self, data: bytes) -> str:
        import docx

        limit = limits.in_force(self.limit)
        check_archive(data, limit)
        try:
            document = docx.Document(io.BytesIO(data))
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise ExtractionError(f"damaged .docx ({type(exc).__name__}: {_printable(str(exc))})") from None
        except Exception as exc:
            raise ExtractionError(f"damaged .docx ({type(exc).__name__})") from None
        numbering = Numbering(document)
        self.warnings = numbering.warnings
        lines: list[str] = []
        chars = 0
        for block in _blocks(document):
            if block.tag == f"{_W}p":
                text = _paragraph_text(block).replace("\t", " ").strip()
                label = numbering.label(block)
                new = [f"{label}{_gap(label, text)}{text}" if label else text]
            else:
                new = _table_lines(block)
            lines.extend(new)
            chars += sum(len(line) + 1 for line in new)
            if chars > limit.max_chars:
                raise limits.too_many_chars(limit.max_chars)
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


def _table_lines(table: Any) -> list[str]:
    """One tab-separated line per row: a cell spanning columns counts once, and a cell
    continuing a vertical merge repeats the text of the merged cell above it (as
    python-docx reads it, but in one pass instead of a recursive search per cell)."""
    lines: list[str] = []
    above: dict[int, str] = {}  # grid column → text of the cell last seen starting there
    for row in table.iterchildren(f"{_W}tr"):
        row_properties = row.find(f"{_W}trPr")
        column = _int(_val(row_properties, "gridBefore"), 0) if row_properties is not None else 0
        cells: list[str] = []
        for cell in row.iterchildren(f"{_W}tc"):
            properties = cell.find(f"{_W}tcPr")
            span = _int(_val(properties, "gridSpan"), 1) if properties is not None else 1
            merge = properties.find(f"{_W}vMerge") if properties is not None else None
            if merge is not None and merge.get(f"{_W}val", "continue") == "continue":
                text = above.get(column, "")
            else:
                text = _cell_text(cell)
            above[column] = text
            cells.append(text)
            column += min(max(span, 1), MAX_GRID_SPAN)
        line = "\t".join(cells).rstrip("\t")
        if line.strip():
            lines.append(line)
    return lines


def _cell_text(cell: Any) -> str:
    """The text of a cell's own paragraphs, on one line."""
    parts: list[str] = []
    for p in cell.iterchildren(f"{_W}p"):
        for part in _paragraph_text(p).split("\n"):
            if part.strip():
                parts.append(part.strip())
    return " ".join(parts)


def _paragraph_text(p: Any) -> str:
    """Runs and hyperlinks, tabs as \\t and line breaks as \\n (python-docx's CT_P.text,
    an XPath search: skipped for a paragraph without either)."""
    if p.find(f"{_W}r") is None and p.find(f"{_W}hyperlink") is None:
        return ""
    return str(p.text)


def _collapse_blanks(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out).strip("\n")
