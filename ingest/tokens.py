"""Analyzer tokens packed into two flat values, to send them between processes.

A passage's tokens are many small tuples; pickling them one by one costs more than
segmenting the text. Packed, they are one string (the words, NUL-separated) and one
array of start offsets: ends follow from the words, whose normalised text has the same
length as their span.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.text import Token

_SEP = "\x00"  # never inside a token: tokens are words of the text, NUL is not text
_new = tuple.__new__


@dataclass(frozen=True)
class PackedTokens:
    words: str
    starts: bytes  # array("I") of start offsets

    @classmethod
    def pack(cls, tokens: Sequence[Token]) -> PackedTokens:
        return cls(_SEP.join(t.text for t in tokens), array("I", [t.start for t in tokens]).tobytes())

    def unpack(self) -> list[Token]:
        starts = array("I")
        starts.frombytes(self.starts)
        if not starts:
            return []
        words = self.words.split(_SEP)
        ends = map(int.__add__, starts, map(len, words))
        # tuple.__new__ skips the NamedTuple constructor's Python frame: ~40% faster, and
        # the parent process unpacks every token of a run.
        return [_new(Token, fields) for fields in zip(words, starts, ends, strict=True)]
