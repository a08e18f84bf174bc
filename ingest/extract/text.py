"""Plain text and Markdown bytes → str, with the encoding detected from the bytes.

The encoding is read from the bytes, never guessed from the file name: a byte-order mark
(UTF-8, UTF-16), else strict UTF-8, else strict GB18030 (a superset of GBK and GB2312, the
encodings Chinese government sites still publish in). Strict decoding fails fast on the
wrong encoding; two cases need more than that:

* a UTF-8 file with a few corrupt bytes also decodes as GB18030, into mojibake. Its
  UTF-8 reading is mostly valid Han text, which GBK bytes read as UTF-8 never are, so
  such a file is reported as undecodable instead of indexed as garbage;
* binary data (NUL bytes, many control characters) is not text whatever decodes.
"""

from __future__ import annotations

import re

from ingest.extract.errors import ExtractionError

MAX_CONTROL_SHARE = 0.01
SAMPLE = 20_000
# A UTF-8 reading with this many Han characters per replacement character is UTF-8
# with corrupt bytes, not another encoding.
UTF8_HAN_PER_ERROR = 20
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Control characters other than \t \n \f \r (one regex scan, not a Python loop per character).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
COMMON_HAN_SHARE = 0.6  # of Han characters among the 3,755 most common ones
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def detect_encoding(data: bytes) -> str:
    """The encoding of ``data``: "utf-8-sig", "utf-16", "utf-8" or "gb18030".

    Raises :class:`ExtractionError` for bytes that are none of them.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    if b"\x00" in data[:4096]:
        raise ExtractionError("binary data (NUL bytes), not text")
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    lenient = data[: SAMPLE * 3].decode("utf-8", errors="replace")
    errors = lenient.count("\ufffd")
    if len(_HAN.findall(lenient)) >= UTF8_HAN_PER_ERROR * errors:
        raise ExtractionError(f"undecodable bytes (invalid UTF-8 at byte {utf8_error.start})")
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ExtractionError(f"undecodable bytes (not UTF-8, UTF-16 or GB18030/GBK; byte {exc.start})") from None
    if not plausible_chinese(text):
        raise ExtractionError("undecodable bytes (not UTF-8; as GB18030 it is no Chinese text)")
    return "gb18030"


def plausible_chinese(text: str, sample: int = 4000) -> bool:
    """Whether GB18030-decoded Han text is real Chinese rather than decoded noise.

    Almost any high bytes decode as GB18030, to Han characters spread evenly over its
    ~21,000 codes; real text draws >90% of its characters from the 3,755 common ones
    (GB2312 level 1: lead bytes 0xB0-0xD7), noise only ~16%.
    """
    head = text[: sample * 4]
    han = _HAN.findall(head)[:sample]
    if len(han) < 20:
        # Too little Han text to judge, unless the rest is not ASCII either: GBK text
        # without Chinese characters but with many symbols is decoded noise.
        return sum(1 for c in head if not c.isascii()) - len(han) < 20
    common = 0
    for char in han:
        try:
            encoded = char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 0xB0 <= encoded[0] <= 0xD7
    return common >= COMMON_HAN_SHARE * len(han)


def decode_text(data: bytes) -> str:
    """``data`` decoded (see :func:`detect_encoding`), newlines normalised to "\\n"."""
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:  # a BOM followed by bytes of another encoding
        raise ExtractionError(f"undecodable bytes (invalid {encoding} at byte {exc.start})") from None
    sample = text[:SAMPLE]
    controls = len(_CONTROL.findall(sample))
    if controls > MAX_CONTROL_SHARE * len(sample) or "\x00" in sample:
        raise ExtractionError("binary data (control characters), not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


class TextFileToText:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM or GB18030/GBK; reject binary data."""

    def convert(self, data: bytes) -> str:
        return decode_text(data)


_MD_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_RULE = re.compile(r"^ {0,3}(?:[-*_]\s*){3,}$")
_MD_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?!\w)")
_MD_QUOTE = re.compile(r"^ {0,3}>\s?")
_MD_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


class MarkdownToText:
    """Markdown → the plain lines the segmenters read.

    Heading markers, emphasis, link targets, images, rules, quotes and code fences are
    dropped (the regulations archive is this same conversion); a pipe table becomes
    tab-separated rows, the tables convention of the whole pipeline.
    """

    def convert(self, data: bytes) -> str:
        return self.convert_text(decode_text(data))

    def convert_text(self, text: str) -> str:
        out: list[str] = []
        for line in _HTML_COMMENT.sub("", text).split("\n"):
            if _MD_FENCE.match(line) or _MD_RULE.match(line) or _MD_TABLE_SEPARATOR.match(line):
                continue
            heading = _MD_HEADING.match(line)
            if heading:
                line = heading.group(1)
            line = _MD_QUOTE.sub("", line)
            if line.strip().startswith("|") and line.count("|") >= 2:
                cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
                line = "\t".join(cells)
            line = _MD_IMAGE.sub("", line)
            line = _MD_LINK.sub(r"\1", line)
            line = _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", line)
            out.append(line.rstrip())
        return "\n".join(out)
