"""spaCy over the analyzer's tokens: Doc construction, sentences and phrase matching.

spaCy never segments text here: a :class:`spacy.tokens.Doc` is built from the jieba
tokens the pipeline already computed (``Passage.tokens``), with the gaps between them
(punctuation, whitespace) added as tokens of their own so that the sentencizer sees
。；！？ and line breaks. The Doc's text is the *normalised* passage text (same length as
the display text), so every character offset maps back to the passage.

spaCy is imported inside the constructors only: code that merely imports the enrichment
package (the query side, the CLI) does not pay for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

# Sentence-final punctuation (full- and half-width) and line breaks.
SENTENCE_PUNCT = ("。", "！", "？", "；", "!", "?", ";", "\n")


class TokenLike(Protocol):
    """What enrichment needs of a token: the analyzer's Token (text, start, end)."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


def cover_words(text: str, tokens: Iterable[TokenLike]) -> list[str]:
    """Words that cover ``text`` exactly: each token, and every gap split into
    single characters (punctuation) or whitespace runs (a line break on its own)."""
    words: list[str] = []
    pos = 0
    for tok in tokens:
        if tok.start < pos:  # overlapping or unsorted tokens: keep the text covered once
            continue
        if tok.start > pos:
            _gap(text, pos, tok.start, words)
        words.append(text[tok.start : tok.end])
        pos = tok.end
    if pos < len(text):
        _gap(text, pos, len(text), words)
    return words


def _gap(text: str, start: int, end: int, out: list[str]) -> None:
    i = start
    while i < end:
        ch = text[i]
        if ch.isspace() and ch != "\n":
            j = i + 1
            while j < end and text[j].isspace() and text[j] != "\n":
                j += 1
            out.append(text[i:j])
            i = j
        else:
            out.append(ch)
            i += 1


class Nlp:
    """A blank spaCy vocabulary with a sentencizer; builds Docs from analyzer tokens."""

    def __init__(self, punct_chars: Sequence[str] = SENTENCE_PUNCT) -> None:
        from spacy.pipeline import Sentencizer
        from spacy.vocab import Vocab

        # A bare Vocab: spacy.blank("zh") would load spaCy's own Chinese segmenter.
        self.vocab = Vocab()
        self._sentencizer = Sentencizer(punct_chars=list(punct_chars))
        self._punct = frozenset(punct_chars)
        # The Sentencizer lets a sentence go on over tokens that are is_punct; with no
        # lexical attribute getters (a bare Vocab) no token is, and its rule is one of
        # the words alone (see sentence_spans).
        self._words_rule = getattr(self.vocab, "lex_attr_getters", None) == {}

    def doc(self, text: str, tokens: Iterable[TokenLike]) -> Doc:
        """A Doc over the normalised ``text`` from its tokens (no re-segmentation)."""
        return self.doc_of(cover_words(text, tokens))

    def doc_of(self, words: list[str]) -> Doc:
        """A Doc of ``words`` (see :func:`cover_words`), no spaces between them."""
        from spacy.tokens import Doc

        return Doc(self.vocab, words=words, spaces=[False] * len(words))

    def sentences(self, doc: Doc) -> list[tuple[int, int]]:
        """Character spans of the sentences of ``doc``."""
        self._sentencizer(doc)
        return [(sent.start_char, sent.end_char) for sent in doc.sents]

    def sentence_spans(self, words: list[str]) -> list[tuple[int, int]]:
        """:meth:`sentences` of a Doc of ``words``, without building the Doc.

        The Sentencizer's rule: after a sentence punctuation word, the next word that is
        none starts a sentence.
        """
        if not self._words_rule:
            return self.sentences(self.doc_of(words))
        punct = self._punct
        spans: list[tuple[int, int]] = []
        start = pos = 0
        seen_period = False
        for word in words:
            if word in punct:
                seen_period = True
            elif seen_period:
                spans.append((start, pos))
                start = pos
                seen_period = False
            pos += len(word)
        if words:
            spans.append((start, pos))
        return spans


class PhraseTagger:
    """Whole-token phrase matching of alias tables (agencies, talent categories).

    Each table maps a normalised alias to its canonical name; patterns are made from the
    same analyzer's tokens of each alias, so an alias matches exactly where the analyzer
    cut the passage into the same words. Overlapping matches of one table keep the
    longest (北京市人力资源和社会保障局 rather than a shorter alias inside it).
    """

    def __init__(
        self,
        nlp: Nlp,
        tables: Mapping[str, Mapping[str, str]],
        words: Callable[[str], Sequence[TokenLike]],
    ) -> None:
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        # ORTH, not LOWER/NORM: a bare Vocab has no lexical attribute getters (every
        # LOWER would be empty and every pattern would match everywhere), and the words
        # are already normalised (lowercase, half-width) by the analyzer.
        self._matcher: Any = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._keys: dict[int, tuple[str, str]] = {}
        firsts: set[str] = set()
        for label, table in tables.items():
            by_name: dict[str, list[Doc]] = {}
            for alias, canonical in table.items():
                pattern_words = cover_words(alias, words(alias))
                if pattern_words:
                    by_name.setdefault(canonical, []).append(Doc(nlp.vocab, words=pattern_words))
                    firsts.add(pattern_words[0])
            for canonical, patterns in by_name.items():
                key = f"{label}\x1f{canonical}"
                self._keys[nlp.vocab.strings.add(key)] = (label, canonical)
                self._matcher.add(key, patterns)
        # The first word of every pattern: a Doc none of whose words is one of them has
        # no match. Those that can be a gap piece of a Doc (one character, a whitespace
        # run) rather than a token are looked for in the text itself.
        self._firsts = frozenset(firsts)
        self._gap_firsts = tuple(sorted(w for w in firsts if len(w) == 1 or w.isspace()))

    def may_match(self, text: str, words: Iterable[str]) -> bool:
        """Whether a Doc of ``text`` (see :meth:`Nlp.doc`) can hold a match, where
        ``words`` are the texts of its tokens: False means :meth:`spans` would find
        nothing, so the Doc need not be built. A match starts with its pattern's first
        word, which is then one of the tokens or one of the gap pieces between them."""
        if not self._firsts.isdisjoint(words):
            return True
        return any(word in text for word in self._gap_firsts)

    def spans(self, doc: Doc) -> dict[str, list[tuple[str, int, int]]]:
        """Per table: (canonical, start token, end token) of non-overlapping matches."""
        by_label: dict[str, list[tuple[str, int, int]]] = {}
        for match_id, start, end in self._matcher(doc):
            label, canonical = self._keys[match_id]
            by_label.setdefault(label, []).append((canonical, start, end))
        return {label: _longest_first(found) for label, found in by_label.items()}


def _longest_first(found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Greedy non-overlapping selection preferring longer spans, returned in text order."""
    taken: list[tuple[str, int, int]] = []
    used: set[int] = set()
    for item in sorted(found, key=lambda f: (f[1] - f[2], f[1])):
        if not any(i in used for i in range(item[1], item[2])):
            taken.append(item)
            used.update(range(item[1], item[2]))
    taken.sort(key=lambda f: f[1])
    return taken
