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

import codecs
import re

from analysis.text import HAN_CHAR
from ingest import limits
from ingest.extract.errors import ExtractionError

MAX_CONTROL_SHARE = 0.01
SAMPLE = 20_000
CHUNK = 1 << 20  # bytes decoded at a time when the text may pass the character limit
# A UTF-8 reading with this many Han characters per replacement character is UTF-8
# with corrupt bytes, not another encoding.
UTF8_HAN_PER_ERROR = 20
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
    return _detect(data, None)[0]


def _detect(data: bytes, max_chars: int | None) -> tuple[str, str | None]:
    """The encoding of ``data``, and its text when reading it was part of the detection
    (at most ``max_chars`` characters: more raise :class:`~ingest.limits.LimitExceeded`)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, None
    if b"\x00" in data[:4096]:
        raise ExtractionError("binary data (NUL bytes), not text")
    try:
        return "utf-8", _decode(data, "utf-8", max_chars)
    except UnicodeDecodeError as exc:
        utf8_error = exc
    lenient = data[: SAMPLE * 3].decode("utf-8", errors="replace")
    errors = lenient.count("\ufffd")
    if len(HAN_CHAR.findall(lenient)) >= UTF8_HAN_PER_ERROR * errors:
        raise ExtractionError(f"undecodable bytes (invalid UTF-8 at byte {utf8_error.start})")
    try:
        text = _decode(data, "gb18030", max_chars)
    except UnicodeDecodeError as exc:
        raise ExtractionError(f"undecodable bytes (not UTF-8, UTF-16 or GB18030/GBK; byte {exc.start})") from None
    if not plausible_chinese(text):
        raise ExtractionError("undecodable bytes (not UTF-8; as GB18030 it is no Chinese text)")
    return "gb18030", text


def _decode(data: bytes, encoding: str, max_chars: int | None) -> str:
    """``data`` decoded strictly, in pieces when it may hold more than ``max_chars``
    characters, so that a huge file stops at the limit instead of filling memory."""
    if max_chars is None or len(data) <= max_chars:  # every character takes a byte at least
        return data.decode(encoding)
    decoder = codecs.getincrementaldecoder(encoding)()
    pieces: list[str] = []
    count = 0
    for start in range(0, len(data), CHUNK):
        pending = len(decoder.getstate()[0])
        try:
            piece = decoder.decode(data[start : start + CHUNK], final=start + CHUNK >= len(data))
        except UnicodeDecodeError as exc:  # positions in the whole file, as data.decode gives them
            offset = start - pending
            raise UnicodeDecodeError(encoding, data, offset + exc.start, offset + exc.end, exc.reason) from None
        count += len(piece)
        if count > max_chars:
            raise limits.too_many_chars(max_chars)
        pieces.append(piece)
    return "".join(pieces)


def plausible_chinese(text: str, sample: int = 4000) -> bool:
    """Whether GB18030-decoded Han text is real Chinese rather than decoded noise.

    Almost any high bytes decode as GB18030, to Han characters spread evenly over its
    ~21,000 codes; real text draws >90% of its characters from the 3,755 common ones
    (GB2312 level 1: lead bytes 0xB0-0xD7), noise only ~16%.
    """
    head = text[: sample * 4]
    han = HAN_CHAR.findall(head)[:sample]
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


def decode_text(data: bytes, max_chars: int | None = None) -> str:
    """``data`` decoded (see :func:`detect_encoding`), newlines normalised to "\\n"; more
    than ``max_chars`` characters (default: the limit ``POLICYKB_MAX_CHARS``) raise
    :class:`~ingest.limits.LimitExceeded`."""
    if max_chars is None:
        max_chars = limits.in_force().max_chars
    encoding, text = _detect(data, max_chars)
    if text is None:
        try:
            text = _decode(data, encoding, max_chars)
        except UnicodeDecodeError as exc:  # a BOM followed by bytes of another encoding
            raise ExtractionError(f"undecodable bytes (invalid {encoding} at byte {exc.start})") from None
    sample = text[:SAMPLE]
    controls = len(_CONTROL.findall(sample))
    if controls > MAX_CONTROL_SHARE * len(sample) or "\x00" in sample:
        raise ExtractionError("binary data (control characters), not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


class TextFileToText:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM or GB18030/GBK; reject binary data."""

    def __init__(self, limit: limits.Limits | None = None) -> None:
        self.limit = limit

    def convert(self, data: bytes) -> str:
        return decode_text(data, limits.in_force(self.limit).max_chars)


# Every pattern below is linear in the line: no unbounded scan is retried from each of many
# starts (a line of 20,000 unclosed "**a " took 33 s with a lazy ".+?" scan to the line end).
_MD_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*)$")
_MD_RULE = re.compile(r"^ {0,3}(?:[-*_]\s*){3,}$")
_MD_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
# A link target (with its "title", if any), parentheses in it balanced one deep.
_MD_TARGET = r"\((?:[^()\n]|\([^()\n]*\))*\)"
_MD_IMAGE = re.compile(r"!\[[^\[\]]*\]" + _MD_TARGET)
_MD_LINK = re.compile(r"\[([^\[\]]+)\]" + _MD_TARGET)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)((?:(?!\1).)+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?!\w)")
_MD_QUOTE = re.compile(r"^ {0,3}>\s?")
_MD_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def strip_html_comments(text: str) -> str:
    """``text`` without ``<!-- ... -->`` comments (an unclosed one is kept), in one pass."""
    if "<!--" not in text:
        return text
    pieces: list[str] = []
    start = 0
    while (opening := text.find("<!--", start)) >= 0:
        pieces.append(text[start:opening])
        closing = text.find("-->", opening + 4)
        if closing < 0:
            pieces.append(text[opening:])
            return "".join(pieces)
        start = closing + 3
    pieces.append(text[start:])
    return "".join(pieces)


class MarkdownToText:
    """Markdown → the plain lines the segmenters read.

    Heading markers, emphasis, link targets, images, rules, quotes and code fences are
    dropped (the regulations archive is this same conversion); a pipe table becomes
    tab-separated rows, the tables convention of the whole pipeline.
    """

    def __init__(self, limit: limits.Limits | None = None) -> None:
        self.limit = limit

    def convert(self, data: bytes) -> str:
        return self.convert_text(decode_text(data, limits.in_force(self.limit).max_chars))

    def convert_text(self, text: str) -> str:
        out: list[str] = []
        for line in strip_html_comments(text).split("\n"):
            if _MD_FENCE.match(line) or _MD_RULE.match(line) or _MD_TABLE_SEPARATOR.match(line):
                continue
            heading = _MD_HEADING.match(line)
            if heading:  # without its closing #s
                line = heading.group(1).rstrip().rstrip("#").rstrip()
            line = _MD_QUOTE.sub("", line)
            if line.strip().startswith("|") and line.count("|") >= 2:
                cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
                line = "\t".join(cells)
            line = _MD_IMAGE.sub("", line)
            line = _MD_LINK.sub(r"\1", line)
            line = _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", line)
            out.append(line.rstrip())
        return "\n".join(out)
