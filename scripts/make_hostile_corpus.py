"""Write the hostile corpus: small files that once hung, crashed or exhausted the ingest.

    python scripts/make_hostile_corpus.py [--out tests/data/hostile]

Deterministic (fixed zip dates, fixed PDF ids, no randomness): running it again writes
the same bytes. Every file is small on disk (the whole folder is well under 200 KB); the
zip bomb is small only compressed. Two hostile inputs cannot live in git and are made
at run time in a scratch folder by :func:`make_runtime_files`: a file whose name holds a
newline and ANSI escape characters, and a symlink loop.

Each file, and what it did to the ingest before ``ingest/limits.py``:

* ``docx_style_cycle.docx``: paragraph styles based on each other in a cycle (A→B→A);
  the style-numbering lookup followed ``w:basedOn`` forever.
* ``docx_zip_bomb.docx``: a ``word/document.xml`` of 24 MB of empty paragraphs in a
  ~35 KB file (ratio ~700:1); a 3.6 MB one passed 6 GB of memory.
* ``html_nested_inline.html``: 600 unclosed ``<b><i>`` pairs (13 KB): RecursionError.
* ``html_nested_div.html``: 15,000 unclosed nested ``<div>`` (75 KB); quadratic in the
  depth (100,000 levels took 18 s).
* ``pdf_truncated.pdf``: the first half of a valid PDF.
* ``pdf_encrypted.pdf``: a PDF that needs a user password (RC4, 40-bit).
* ``text_utf8_gbk_mixed.txt``: UTF-8 paragraphs, GBK paragraphs and stray bytes.
* ``good_policy.txt``: a short policy (第一条…第三条): indexed beside the bad files.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import struct
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "hostile"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

GOOD_POLICY = """某市促进人才发展若干规定

第一条 为了吸引和培养各类人才，促进本市经济社会发展，制定本规定。

第二条 本规定适用于本市行政区域内的人才引进、培养、评价和服务保障工作。

第三条 市人力资源社会保障部门负责本规定的组织实施，各区人民政府应当做好相关工作。
"""

ODD_NAME = "odd\nname\x1b[31mred\x1b[0m.txt"  # a newline and ANSI colour escapes

# ---------------------------------------------------------------------- .docx

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>"""
_PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
_DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="styles.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/>
</Relationships>"""


def _styles(*styles: tuple[str, str | None]) -> str:
    """styles.xml with paragraph styles (id, basedOn id or None)."""
    body = "".join(
        f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{sid}"/>'
        + (f'<w:basedOn w:val="{base}"/>' if base else "")
        + "</w:style>"
        for sid, base in styles
    )
    return f'{_XML}<w:styles xmlns:w="{_W}">{body}</w:styles>'


def _paragraph(text: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}<w:r><w:t>{text}</w:t></w:r></w:p>"


def _document(body: str) -> str:
    return f'{_XML}<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'


def docx_bytes(document: str | bytes, styles: str) -> bytes:
    """A minimal .docx (document, styles, their relationships), byte for byte reproducible."""
    parts: list[tuple[str, str | bytes]] = [
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _PACKAGE_RELS),
        ("word/_rels/document.xml.rels", _DOCUMENT_RELS),
        ("word/document.xml", document),
        ("word/styles.xml", styles),
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = content.encode("utf-8") if isinstance(content, str) else content
            archive.writestr(info, data, compresslevel=9)
    return out.getvalue()


def docx_style_cycle() -> bytes:
    """Paragraph styles A and B based on each other; the paragraphs use A (and B)."""
    lines = [line for line in GOOD_POLICY.split("\n") if line.strip()]
    body = "".join(_paragraph(line, "StyleA" if i % 2 == 0 else "StyleB") for i, line in enumerate(lines))
    return docx_bytes(_document(body), _styles(("StyleA", "StyleB"), ("StyleB", "StyleA")))


def docx_zip_bomb(unzipped: int = 24_000_000) -> bytes:
    """A document.xml of ``unzipped`` bytes of empty paragraphs (compresses ~700:1)."""
    head = f'{_XML}<w:document xmlns:w="{_W}"><w:body>'
    tail = "</w:body></w:document>"
    count = (unzipped - len(head) - len(tail)) // len("<w:p/>")
    document = head.encode() + b"<w:p/>" * count + tail.encode()
    return docx_bytes(document, _styles(("Normal", None)))


# ---------------------------------------------------------------------- HTML


def html_nested_inline(pairs: int = 600) -> bytes:
    """``pairs`` unclosed <b><i> pairs, each with a little text (~13 KB)."""
    head = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>嵌套的行内标签</title></head><body><p>'
    return (head + "<b><i>加粗斜体" * pairs + "</p></body></html>").encode("utf-8")


def html_nested_div(levels: int = 15_000) -> bytes:
    """``levels`` unclosed nested <div> (no text)."""
    return ("<!DOCTYPE html><html><body>" + "<div>" * levels + "</body></html>").encode("ascii")


# ---------------------------------------------------------------------- PDF

_PDF_PADDING = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def pdf_bytes(*pages: str, user_password: str | None = None) -> bytes:
    """A PDF with one page per text in ``pages`` (ASCII, Helvetica); with ``user_password``
    it is encrypted by the standard security handler (revision 2, 40-bit RC4)."""
    file_id = hashlib.md5(b"policykb hostile corpus").digest()
    key = b""
    encrypt = ""
    if user_password is not None:
        owner = (user_password + "-owner").encode("latin-1")
        padded_owner = (owner + _PDF_PADDING)[:32]
        padded_user = (user_password.encode("latin-1") + _PDF_PADDING)[:32]
        o_value = _rc4(hashlib.md5(padded_owner).digest()[:5], padded_user)
        permissions = -4  # every permission
        key = hashlib.md5(padded_user + o_value + struct.pack("<i", permissions) + file_id).digest()[:5]
        u_value = _rc4(key, _PDF_PADDING)
        encrypt = f"/Filter /Standard /V 1 /R 2 /O <{o_value.hex()}> /U <{u_value.hex()}> /P {permissions}"

    def crypt(number: int, data: bytes) -> bytes:
        if not key:
            return data
        object_key = hashlib.md5(key + struct.pack("<i", number)[:3] + b"\x00\x00").digest()[:10]
        return _rc4(object_key, data)

    # Objects: 1 catalog, 2 page tree, 3 font, then a page and its content stream per page.
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, text in enumerate(pages):
        page, content_number = 4 + 2 * i, 5 + 2 * i
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
            f" /Contents {content_number} 0 R >>".encode()
        )
        assert len(objects) == page
        content = crypt(content_number, f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    if encrypt:
        objects.append(f"<< {encrypt} >>".encode("latin-1"))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = f"/Size {len(objects) + 1} /Root 1 0 R /ID [<{file_id.hex()}> <{file_id.hex()}>]"
    if encrypt:
        trailer += f" /Encrypt {len(objects)} 0 R"
    out += f"trailer\n<< {trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode("latin-1")
    return bytes(out)


def pdf_truncated() -> bytes:
    whole = pdf_bytes("Article 1. This file was cut in half while it was being copied.")
    return whole[: len(whole) // 2]


def pdf_encrypted() -> bytes:
    return pdf_bytes("Article 1. Readable only with the password.", user_password="secret")


# ---------------------------------------------------------------------- text


def text_utf8_gbk_mixed() -> bytes:
    """A file saved piecewise in two encodings, with stray bytes between the pieces."""
    lines = [line for line in GOOD_POLICY.split("\n") if line.strip()]
    pieces = [
        lines[0].encode("utf-8"),
        lines[1].encode("gbk"),
        b"\xff\xfe\x80",
        lines[2].encode("utf-8"),
        lines[3].encode("gbk"),
        b"\xc0\xaf",  # an overlong UTF-8 "/"
    ]
    return b"\n\n".join(pieces) + b"\n"


def good_policy() -> bytes:
    return GOOD_POLICY.encode("utf-8")


FILES = {
    "docx_style_cycle.docx": docx_style_cycle,
    "docx_zip_bomb.docx": docx_zip_bomb,
    "html_nested_inline.html": html_nested_inline,
    "html_nested_div.html": html_nested_div,
    "pdf_truncated.pdf": pdf_truncated,
    "pdf_encrypted.pdf": pdf_encrypted,
    "text_utf8_gbk_mixed.txt": text_utf8_gbk_mixed,
    "good_policy.txt": good_policy,
}


def make_runtime_files(folder: Path) -> list[Path]:
    """The hostile inputs git cannot hold, made in ``folder``: a file whose name holds a
    newline and ANSI escapes (with undecodable bytes in it) and a symlink loop."""
    odd = folder / ODD_NAME
    odd.write_bytes(text_utf8_gbk_mixed())
    loop_a, loop_b = folder / "loop_a.txt", folder / "loop_b.txt"
    os.symlink(loop_b.name, loop_a)
    os.symlink(loop_a.name, loop_b)
    return [odd, loop_a, loop_b]


def write(out: Path) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, make in FILES.items():
        data = make()
        (out / name).write_bytes(data)
        sizes[name] = len(data)
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder to write (default {OUT})")
    args = parser.parse_args(argv)
    sizes = write(args.out)
    for name, size in sizes.items():
        print(f"{size:>9,}  {args.out / name}")
    print(f"{sum(sizes.values()):>9,}  bytes in {len(sizes)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
