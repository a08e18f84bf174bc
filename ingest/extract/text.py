"""Plain text bytes → str, with the encoding detected from the bytes, not the name."""

from __future__ import annotations

# Tried in order: strict decoding fails fast on the wrong encoding. GB18030 is a
# superset of GBK and GB2312, the encodings Chinese government sites still publish in.
ENCODINGS = ("utf-8-sig", "gb18030")
MAX_CONTROL_SHARE = 0.01


class TextFileToText:
    """Decode UTF-8 (with or without BOM) or GB18030/GBK; reject binary data."""

    def convert(self, data: bytes) -> str:
        from ingest.extract import ExtractionError

        if b"\x00" in data[:4096]:
            raise ExtractionError("binary data (NUL bytes), not text")
        for encoding in ENCODINGS:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            controls = sum(1 for c in text[:20000] if ord(c) < 32 and c not in "\n\r\t\f")
            if controls > MAX_CONTROL_SHARE * min(len(text), 20000):
                raise ExtractionError("binary data (control characters), not text")
            return text.replace("\r\n", "\n").replace("\r", "\n")
        raise ExtractionError("undecodable bytes (not UTF-8 or GB18030/GBK)")
