"""Plain text in every encoding Chinese documents come in, detected from the bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract import ExtractionError, extract, sniff
from ingest.extract.text import MarkdownToText, decode_text, detect_encoding

REGULATION = Path(__file__).resolve().parents[1] / "data" / "regulations" / "国徽法(2020-10-17).txt"


@pytest.fixture(scope="module")
def text() -> str:
    return REGULATION.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("encode", "expected"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.encode("gb18030"), "gb18030"),
        (lambda t: t.encode("gbk"), "gb18030"),
        (lambda t: t.encode("utf-16"), "utf-16"),  # with its BOM, as Notepad writes it
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16-bom"],
)
def test_encoding_is_detected_and_text_round_trips(text: str, encode, expected: str) -> None:  # type: ignore[no-untyped-def]
    data = encode(text)
    assert detect_encoding(data) == expected
    assert decode_text(data) == text.replace("\r\n", "\n")


def test_encoding_is_read_from_bytes_not_the_name(text: str, tmp_path: Path) -> None:
    # A GBK file named .md and a UTF-8 file named .txt both read right.
    gbk = extract(tmp_path / "policy.md", text.encode("gbk"))
    utf8 = extract(tmp_path / "policy.txt", text.encode("utf-8"))
    assert gbk.text.split("\n")[0] == utf8.text.split("\n")[0] == "中华人民共和国国徽法"


def test_crlf_newlines_are_normalised(text: str) -> None:
    assert "\r" not in decode_text(text.replace("\n", "\r\n").encode("gb18030"))


def test_utf8_with_a_corrupt_byte_is_undecodable_not_mojibake(text: str) -> None:
    data = text.encode("utf-8")
    corrupt = data[:300] + b"\xff" + data[300:]
    with pytest.raises(ExtractionError, match=r"undecodable bytes \(invalid UTF-8 at byte 300\)"):
        decode_text(corrupt)


def test_random_high_bytes_are_undecodable() -> None:
    # Nearly any high bytes decode as GB18030; the result is no Chinese text.
    noise = bytes((i * 7919 + 13) % 127 + 129 for i in range(4000))
    with pytest.raises(ExtractionError, match="undecodable bytes"):
        decode_text(noise)


def test_binary_data_is_not_text() -> None:
    with pytest.raises(ExtractionError, match="binary data"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))


def test_markdown_becomes_plain_lines() -> None:
    markdown = (
        "# 北京市测试条例\n\n## 第一章 总则\n\n**第一条** 为了[规范](https://example.org)管理，制定本条例。\n\n"
        "| 项目 | 金额 |\n|---|---|\n| 资助 | 10万元 |\n\n---\n\n> 第二条 本条例自公布之日起施行。\n"
    )
    lines = [line for line in MarkdownToText().convert(markdown.encode("utf-8")).split("\n") if line]
    assert lines == [
        "北京市测试条例",
        "第一章 总则",
        "第一条 为了规范管理，制定本条例。",
        "项目\t金额",
        "资助\t10万元",
        "第二条 本条例自公布之日起施行。",
    ]


def test_format_is_sniffed_from_content(tmp_path: Path) -> None:
    assert sniff(tmp_path / "a.txt", b"%PDF-1.7\n...") == "pdf"
    assert sniff(tmp_path / "a.bin.txt", b"<!DOCTYPE html><html>") == "html"
    assert sniff(tmp_path / "a.md", "# 标题".encode()) == "markdown"
    with pytest.raises(ExtractionError, match="not a PDF"):
        sniff(tmp_path / "a.pdf", b"garbage")
