"""Reading an article: plain text, Markdown or HTML to blocks of text, and blocks to sentences.

HTML goes through trafilatura (main-content extraction, keeping lists, headings and the
reference list), Markdown through markdown-it-py (the parser rich already brings), and the
sentences come from syntok's segmenter, which keeps "et al.", "e.g.", "n = 40" and "p < .05"
inside their sentences. Every sentence keeps its exact text and its place: the block (line or
paragraph) it is in, the heading above it, and its character offsets in the article's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import attrs

from . import require

__all__ = ["Article", "Block", "Sentence", "content_words", "read_article", "segment"]

KINDS = ("auto", "text", "markdown", "html")

_FUNCTION_WORDS = frozenset(
    {
        *("the", "and", "with", "for", "from", "that", "this", "these", "those", "were"),
        *("there", "found", "have", "been", "into", "than", "then", "such", "their"),
        *("which", "when", "while", "study", "studies", "trial", "people", "patients"),
    }
)


def content_words(text: str) -> set[str]:
    """The words of a text that carry its content, cut to their first five letters, to compare
    what two passages speak of ("fatigue" and "fatigued" agree)."""
    return {w[:5] for w in re.findall(r"[a-z][a-z-]{3,}", text.lower()) if w not in _FUNCTION_WORDS}


@attrs.frozen
class Block:
    """One block of the article: a paragraph, list item or heading, with where it starts."""

    index: int
    text: str
    start: int
    heading: bool = False
    item: bool = False


@attrs.frozen
class Sentence:
    """One sentence: its exact text, its index in the article, its block and the heading it
    falls under, and its offsets in the article's text."""

    index: int
    text: str
    block: int
    start: int
    end: int
    heading: str = ""
    is_heading: bool = False
    item: bool = False


@attrs.frozen
class Article:
    """An article as read: its title, its text, its blocks and its sentences."""

    text: str
    blocks: tuple[Block, ...]
    sentences: tuple[Sentence, ...]
    title: str = ""
    name: str = ""
    kind: str = "text"

    def sentence(self, index: int) -> Sentence:
        return self.sentences[index]

    def in_block(self, block: int) -> tuple[Sentence, ...]:
        return tuple(s for s in self.sentences if s.block == block)


_HTML = re.compile(r"<\s*(?:html|body|p|div|article|h[1-6]|ul|ol|li|span|a)\b[^>]*>", re.I)
_MARKDOWN = re.compile(r"^(?:#{1,6} |\s*[-*+] |\s*\d+\. )|\]\(https?://|^\s*>", re.M)


def detect_kind(text: str, name: str = "") -> str:
    """``html``, ``markdown`` or ``text``: from the file name's suffix, else from the text."""
    lowered = name.lower()
    if lowered.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if lowered.endswith((".md", ".markdown")):
        return "markdown"
    if lowered.endswith(".txt"):
        return "text"
    if len(_HTML.findall(text[:20000])) >= 2:
        return "html"
    if re.search(r"^#{1,6} \S", text, re.M) or re.search(r"\]\(https?://", text):
        return "markdown"
    return "text"


def _html_to_text(html: str) -> tuple[str, str]:
    """The main text of an HTML page (lists as "- " lines, headings on their own lines), and
    its title."""
    trafilatura = require("trafilatura")

    text = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_links=False,
        favor_recall=True,
        deduplicate=False,
    )
    if not text:
        text = trafilatura.html2txt(html) or ""
    title = ""
    metadata = trafilatura.extract_metadata(html)
    if metadata is not None and metadata.title:
        title = metadata.title
    return text, title


def _markdown_to_text(markdown: str) -> str:
    """Markdown as plain text: one line per paragraph, heading or list item ("- " before
    items), links as their text followed by the URL in parentheses."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(markdown)
    lines: list[str] = []
    depth = 0
    heading = False
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "heading_open":
            heading = True
        elif token.type == "heading_close":
            heading = False
            lines.append("")
        elif token.type == "inline":
            parts: list[str] = []
            link: str | None = None
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
                elif child.type == "link_open":
                    link = str(child.attrs.get("href", ""))
                elif child.type == "link_close":
                    if link and link.startswith(("http://", "https://")):
                        parts.append(f" ({link})" if parts and link not in parts[-1] else "")
                    link = None
            line = "".join(parts).strip()
            if not line:
                continue
            prefix = "- " if depth and not heading else ""
            lines.append(prefix + line)
            if not heading and not depth:
                lines.append("")
        elif token.type in ("fence", "code_block"):
            lines.append(token.content.strip())
    return "\n".join(lines)


def _blocks(text: str) -> Iterator[Block]:
    """Each non-empty line is a block (plain text puts one paragraph on a line); a paragraph
    wrapped over several lines is joined when its lines do not end a sentence."""
    index = 0
    offset = 0
    pending: tuple[int, str] | None = None
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        stripped = line.strip()
        start = offset + (len(line) - len(line.lstrip()))
        offset += len(raw)
        if not stripped:
            if pending is not None:
                yield _block(index, *pending)
                index += 1
                pending = None
            continue
        item = bool(re.match(r"(?:[-*•·]|\d{1,3}[.)])\s+\S", stripped))
        if (
            pending is not None
            and not item
            and not re.search(r"[.!?:;]['\"”’)\]]*$|\]$", pending[1])
            and (len(pending[1]) > 80 and stripped[:1].islower())
        ):
            pending = (pending[0], pending[1] + " " + stripped)
            continue
        if pending is not None:
            yield _block(index, *pending)
            index += 1
        pending = (start, stripped)
    if pending is not None:
        yield _block(index, *pending)


def _block(index: int, start: int, text: str) -> Block:
    item = bool(re.match(r"(?:[-*•·]|\d{1,3}[.)])\s+\S", text))
    words = len(text.split())
    ends = text.rstrip()[-1:]
    heading = (
        not item
        and words <= 14
        and not (ends == "?" and words <= 3)  # "The results?": a question in the text
        and ends not in (".", ",", ";", "]", ")")
        and not re.search(r"\[\s*\d", text)
    )
    return Block(index, text, start, heading=heading, item=item)


_CITATION_ONLY = re.compile(r"^[\s\[\](),;.\d–—-]*$")


def segment(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """The sentences of one block as (start, end) offsets, ``offset`` added.

    Fragments that hold only citation markers ("[7], [8].") are joined to the sentence before
    them, where they belong."""
    segmenter = require("syntok.segmenter")

    spans: list[tuple[int, int]] = []
    for paragraph in segmenter.analyze(text):
        for sentence in paragraph:
            tokens = list(sentence)
            if not tokens:
                continue
            start = tokens[0].offset
            last = tokens[-1]
            end = last.offset + len(last.value)
            if spans and _CITATION_ONLY.match(text[start:end]):
                spans[-1] = (spans[-1][0], end)
                continue
            spans.append((start, end))
    return [(start + offset, end + offset) for start, end in spans]


def _sentences(text: str, blocks: Sequence[Block]) -> Iterator[Sentence]:
    heading = ""
    index = 0
    for block in blocks:
        if block.heading:
            heading = block.text
            yield Sentence(
                index,
                block.text,
                block.index,
                block.start,
                block.start + len(block.text),
                heading,
                is_heading=True,
            )
            index += 1
            continue
        body = block.text
        skip = 0
        if block.item:
            marker = re.match(r"(?:[-*•·]|\d{1,3}[.)])\s+", body)
            skip = marker.end() if marker else 0
        for start, end in segment(body[skip:], block.start + skip):
            yield Sentence(
                index, text[start:end], block.index, start, end, heading, item=block.item
            )
            index += 1


def read_article(source: str | bytes, *, name: str = "", kind: str = "auto") -> Article:
    """Read an article from its text (or bytes, decoded as UTF-8). ``kind`` is ``text``,
    ``markdown``, ``html`` or ``auto`` (from ``name``'s suffix, else the text itself)."""
    if isinstance(source, bytes):
        source = source.decode("utf-8", errors="replace")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    source = source.lstrip("\ufeff")
    if kind == "auto":
        kind = detect_kind(source, name)
    title = ""
    if kind == "html":
        text, title = _html_to_text(source)
    elif kind == "markdown":
        text = _markdown_to_text(source)
    else:
        text = source
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    blocks = tuple(_blocks(text))
    if not title:
        title = next((b.text for b in blocks if not b.item), "")
    sentences = tuple(_sentences(text, blocks))
    return Article(text, blocks, sentences, title=title, name=name, kind=kind)
