"""The reference list of an article and each reference's parts and identifiers.

The list is the run of entries under the last "References" (or "Sources", "Bibliography" ...)
heading. Each entry is parsed into its authors, year, title, journal, DOI, PMID, NCT id and URL
as the common citation styles write them (Harvard, APA, Vancouver, web pages with "Available
at"); DOIs are normalised with idutils. What cannot be read from an entry is left empty, never
guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from . import require
from .text import Article, Block

__all__ = ["Reference", "find_references", "normalise_doi", "parse_reference"]

_HEADING = re.compile(
    r"^(?:references?|bibliography|sources|works cited|literature cited|citations|"
    r"reference list|further reading)\s*:?\s*$",
    re.I,
)
_NUMBER = re.compile(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})[.)])\s+")
_BULLET = re.compile(r"^\s*[-*•·]\s+")
_URL = re.compile(r"https?://[^\s<>\"]+", re.I)
_DOI = re.compile(r"\b(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/[^\s\"<>]+)", re.I)
_PMID = re.compile(r"\bPMID:?\s*(\d{1,9})\b", re.I)
_NCT = re.compile(r"\b(NCT\d{8})\b", re.I)
_YEAR = re.compile(
    r"\((?P<paren>(?:19|20)\d{2})[a-z]?(?:,[^)]*)?\)|\((?P<nd>n\.\s?d\.)\)|"
    r"(?:,|\.)\s(?P<bare>(?:19|20)\d{2})[a-z]?(?=[.;,:)]|\s)"
)
_SURNAME_INITIALS = re.compile(
    r"(?:[A-Z][A-Za-zÀ-ÿ'’\-]+(?:\s(?:van|von|de|der|den|da|di|le|la)\s[A-Z][A-Za-zÀ-ÿ'’\-]+)?"
    r"(?:\s[A-Z][A-Za-zÀ-ÿ'’\-]+)?),\s?[A-Z]\.(?:\s?-?[A-Z]\.)*(?:\s?[A-Z](?![A-Za-z.]))?"
)
_VANCOUVER_AUTHOR = re.compile(r"^[A-Z][A-Za-zÀ-ÿ'’\-]+(?:\s[A-Z][A-Za-zÀ-ÿ'’\-]+)?\s[A-Z]{1,3}$")
_JOURNAL_VOLUME = re.compile(
    r"(?:^|\.\s+)(?P<journal>[A-Za-z][^.]*?),\s*(?:vol\.\s*)?\d+\s*(?:\([^)]*\))?\s*(?:[,:.]|$)"
)
_VANCOUVER_JOURNAL = re.compile(
    r"\.\s+(?P<journal>[A-Z][^.]*?)\.\s*(?P<year>(?:19|20)\d{2})\s*[;:]"
)
_WEB = re.compile(r"\b(?:available (?:at|from)|accessed|retrieved from|viewed)\b", re.I)


@attrs.frozen
class Reference:
    """One reference as the article prints it, and what could be read from it.

    ``id`` is the reference's number as the article's citations print it (its place in the
    list when the list is not numbered). ``listed`` is false for a number the text cites that
    no reference list gives. ``kind`` is ``scholarly`` (a journal, a DOI or a PMID),
    ``web-page`` (a URL and no journal) or ``unlisted``.
    """

    id: str
    text: str = ""
    listed: bool = True
    authors: tuple[str, ...] = ()
    year: int | None = None
    title: str = ""
    journal: str = ""
    doi: str | None = None
    pmid: str | None = None
    nct: str | None = None
    url: str | None = None
    kind: str = "scholarly"
    block: int | None = None

    @property
    def first_author_surname(self) -> str:
        if not self.authors:
            return ""
        return self.authors[0].split(",")[0].split()[0 if "," in self.authors[0] else -1]

    def describe(self) -> str:
        """Authors and year, as an in-text citation would name the reference."""
        if not self.authors:
            return f"reference {self.id}"
        lead = self.authors[0].split(",")[0]
        more = (
            " et al."
            if len(self.authors) > 2
            else (f" and {self.authors[1].split(',')[0]}" if len(self.authors) == 2 else "")
        )
        return f"{lead}{more} {self.year or 'n.d.'}"


def normalise_doi(value: str) -> str | None:
    """A DOI as the evidence format writes it (``10.1177/...``), or None if it is not one."""
    idutils = require("idutils")

    value = value.strip().rstrip(".,;)]")
    if not idutils.is_doi(value):
        return None
    doi: str = idutils.normalize_doi(value)
    if not re.fullmatch(r"10\.\d{4,9}/\S+", doi):
        return None
    return doi


def _authors(head: str) -> tuple[str, ...]:
    head = head.strip().rstrip(",:; ")
    if not head.rstrip("."):
        return ()
    people = [m.group(0).strip() for m in _SURNAME_INITIALS.finditer(head)]
    if people and sum(len(p) for p in people) >= 0.5 * len(re.sub(r"\b(?:and|&)\b", "", head)):
        return tuple(re.sub(r"\s+", " ", p).replace(". ", ".").strip() for p in people)
    parts = [p.strip() for p in re.split(r",\s*", head)]
    if len(parts) > 1 and all(_VANCOUVER_AUTHOR.match(p) or p == "et al" for p in parts if p):
        return tuple(p for p in parts if p and p != "et al")
    return (head.rstrip(". "),)  # an organisation: "NHS", "Courier Pharmacy"


def parse_reference(entry: str, id: str, block: int | None = None) -> Reference:
    """Parse one reference-list entry (its number or bullet already removed)."""
    text = entry.strip()
    doi = None
    for found in _DOI.finditer(text):
        doi = normalise_doi(found.group(1))
        if doi:
            break
    pmid_match = _PMID.search(text)
    nct_match = _NCT.search(text)
    urls = [u.rstrip(".,;)") for u in _URL.findall(text) if "doi.org/" not in u.lower()]
    body = _URL.sub("", text)
    body = re.sub(r"\b(?:doi:\s*)?10\.\d{4,9}/\S+", "", body, flags=re.I)
    body = re.sub(r"\(\s*(?:accessed|retrieved|viewed)[^)]*\)", "", body, flags=re.I)
    year: int | None = None
    authors: tuple[str, ...] = ()
    title, journal = "", ""
    vancouver = _VANCOUVER_JOURNAL.search(body)
    head = body.partition(". ")[0]
    if vancouver is not None and (
        len(_authors(head)) > 1 or _VANCOUVER_AUTHOR.match(head.split(",")[0].strip())
    ):
        journal = vancouver.group("journal").strip()
        year = int(vancouver.group("year"))
        authors = _authors(head)
        title = _clean_title(body[len(head) + 2 : vancouver.start()])
    else:
        rest = body
        match = _YEAR.search(body)
        if match is not None:
            value = match.group("paren") or match.group("bare")
            year = int(value) if value else None
            authors = _authors(body[: match.start()])
            rest = body[match.end() :]
        title, journal = _title_and_journal(rest)
    kind = "scholarly"
    if not journal and not doi and not pmid_match and (urls or _WEB.search(text)):
        kind = "web-page"
    return Reference(
        id=id,
        text=text,
        authors=authors,
        year=year,
        title=title,
        journal=journal,
        doi=doi,
        pmid=pmid_match.group(1).lstrip("0") if pmid_match else None,
        nct=nct_match.group(1).upper() if nct_match else None,
        url=urls[0] if urls else None,
        kind=kind,
        block=block,
    )


def _title_and_journal(rest: str) -> tuple[str, str]:
    rest = rest.strip().lstrip(".,: ").strip()
    rest = _WEB.split(rest)[0].strip()
    journal_match = None
    for candidate in _JOURNAL_VOLUME.finditer(rest):
        journal_match = candidate
        break
    if journal_match is not None and journal_match.start() > 0:
        title = rest[: journal_match.start()].strip().rstrip(".")
        journal = journal_match.group("journal").strip()
        return _clean_title(title), journal
    first = re.split(r"(?<=[.?!])\s+(?=[A-Z])", rest, maxsplit=1)[0]
    return _clean_title(first.rstrip(".")), ""


def _clean_title(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip().strip(".").strip()
    title = re.sub(
        r"^(?:featured article|editorial|research article)\s*:\s*", "", title, flags=re.I
    )
    return title


def _looks_like_reference(block: Block) -> bool:
    text = block.text
    if len(text) < 15:
        return False
    return bool(
        re.search(r"\b(?:19|20)\d{2}\b|\bn\.\s?d\.", text) or _URL.search(text) or _DOI.search(text)
    )


def find_references(article: Article) -> tuple[Reference, ...]:
    """The article's reference list, parsed; empty if it has none."""
    blocks: Sequence[Block] = article.blocks
    start = None
    for block in blocks:
        if _HEADING.match(block.text.strip("#*- ").strip()) and not block.item:
            start = block.index + 1
    if start is None:
        for block in blocks:
            if _HEADING.match(block.text.strip("#*- ").strip()):
                start = block.index + 1
    if start is None:
        return ()
    references: list[Reference] = []
    for block in blocks[start:]:
        if not _looks_like_reference(block):
            if references:
                break
            continue
        entry = block.text
        number = _NUMBER.match(entry)
        if number is not None:
            ref_id = number.group(1) or number.group(2)
            entry = entry[number.end() :]
        else:
            ref_id = str(len(references) + 1)
            entry = _BULLET.sub("", entry)
        references.append(parse_reference(entry, ref_id, block.index))
    return tuple(references)


def unlisted(ref_id: str) -> Reference:
    """A reference the text cites by number that no reference list gives."""
    return Reference(id=ref_id, listed=False, kind="unlisted")
