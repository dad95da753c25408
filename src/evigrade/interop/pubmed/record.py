"""One PubMed record (``MedlineCitation``, ``PubmedArticle`` or ``PubmedBookArticle``) as a
study: its bibliographic fields, its design (:mod:`.design`) and its size (:mod:`.size`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ...model import Study
from .design import classify
from .size import extract_n

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

__all__ = ["RecordError", "study_of", "text"]


class RecordError(ValueError):
    """A record that is well-formed XML but not a citation we can read."""


def _find(element: Element | None, path: str) -> Element | None:
    """``element.find(path)`` for a path of plain tags, one step at a time (in C, and faster)."""
    for tag in path.split("/"):
        if element is None:
            return None
        element = element.find(tag)
    return element


def _findall(element: Element, path: str) -> Iterator[Element]:
    """``element.iterfind(path)`` for a path of plain tags."""
    first, _, rest = path.partition("/")
    for child in element.findall(first):
        if rest:
            yield from _findall(child, rest)
        else:
            yield child


def text(element: Element | None) -> str:
    """The text of an element and its descendants, spaces collapsed ("" for no element)."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _year(article: Element | None, citation: Element) -> int | None:
    candidates: list[Element | None] = []
    if article is not None:
        candidates += [
            _find(article, "Journal/JournalIssue/PubDate/Year"),
            _find(article, "Journal/JournalIssue/PubDate/MedlineDate"),
            _find(article, "ArticleDate/Year"),
        ]
    candidates += [
        _find(citation, "Book/PubDate/Year"),
        _find(citation, "Book/PubDate/MedlineDate"),
    ]
    for element in candidates:
        match = re.search(r"\b(1[6-9]\d\d|2[01]\d\d)\b", text(element))
        if match:
            return int(match.group(1))
    return None


def _authors(container: Element | None) -> tuple[str, ...]:
    if container is None:
        return ()
    names: list[str] = []
    for author_list in container.findall("AuthorList"):
        if author_list.get("Type", "authors") != "authors":
            continue
        for author in author_list.findall("Author"):
            if author.get("ValidYN", "Y") == "N":
                continue
            collective = text(author.find("CollectiveName"))
            last = text(author.find("LastName"))
            if not last:
                if collective:
                    names.append(collective)
                continue
            initials = text(author.find("Initials"))
            if not initials:
                fore = text(author.find("ForeName"))
                initials = "".join(part[0] for part in re.split(r"[\s-]+", fore) if part)
            names.append(f"{last}, {initials}" if initials else last)
    return tuple(names)


def _doi(record: Element, article: Element | None) -> str | None:
    candidates: list[str] = []
    if article is not None:
        candidates += [
            text(e)
            for e in article.findall("ELocationID")
            if e.get("EIdType") == "doi" and e.get("ValidYN", "Y") != "N"
        ]
    candidates += [
        text(e)
        for e in _findall(record, "PubmedData/ArticleIdList/ArticleId")
        if e.get("IdType") == "doi"
    ]
    candidates += [
        text(e) for e in _findall(record, "BookDocument/ELocationID") if e.get("EIdType") == "doi"
    ]
    for doi in candidates:
        doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)
        if re.fullmatch(r"10\.[0-9]{4,9}/\S+", doi):
            return doi
    return None


def _nct(citation: Element) -> str | None:
    found = {
        text(number)
        for bank in _findall(citation, "Article/DataBankList/DataBank")
        if text(bank.find("DataBankName")) == "ClinicalTrials.gov"
        for number in _findall(bank, "AccessionNumberList/AccessionNumber")
    }
    found = {value for value in found if re.fullmatch(r"NCT[0-9]{8}", value)}
    return next(iter(found)) if len(found) == 1 else None


def study_of(record: Element) -> Study:
    """The study a ``MedlineCitation``, ``PubmedArticle`` or ``PubmedBookArticle`` describes."""
    if record.tag == "PubmedBookArticle":
        citation = record.find("BookDocument")
        if citation is None:
            raise RecordError("expected a BookDocument in PubmedBookArticle, found none")
        article: Element | None = None
        title = text(citation.find("ArticleTitle")) or text(_find(citation, "Book/BookTitle"))
        journal = text(_find(citation, "Book/BookTitle")) or None
        ptypes = [text(p) for p in citation.findall("PublicationType")]
        abstract_parent: Element = citation
        authors = _authors(citation)
    else:
        found = record if record.tag == "MedlineCitation" else record.find("MedlineCitation")
        if found is None:
            raise RecordError("expected a MedlineCitation in PubmedArticle, found none")
        citation = found
        article = citation.find("Article")
        if article is None:
            raise RecordError("expected an Article in MedlineCitation, found none")
        title = text(article.find("ArticleTitle")) or text(article.find("VernacularTitle"))
        journal = (
            text(_find(article, "Journal/Title"))
            or text(_find(article, "Journal/ISOAbbreviation"))
            or text(_find(citation, "MedlineJournalInfo/MedlineTA"))
            or None
        )
        ptypes = [text(p) for p in _findall(article, "PublicationTypeList/PublicationType")]
        abstract_parent = article
        authors = _authors(article)
    pmid = text(citation.find("PMID"))
    if not pmid:
        raise RecordError("expected a PMID, found none")
    if not re.fullmatch(r"[1-9][0-9]{0,8}", pmid):
        raise RecordError(f"expected a PMID of digits, found {pmid!r}")
    abstract = " ".join(
        text(part)
        for part in _findall(abstract_parent, "Abstract/AbstractText")
        if part is not None
    )
    mesh = [text(d) for d in _findall(citation, "MeshHeadingList/MeshHeading/DescriptorName")]
    retracted_in = any(
        c.get("RefType") == "RetractionIn"
        for c in _findall(citation, "CommentsCorrectionsList/CommentsCorrections")
    )
    if retracted_in and "Retracted Publication" not in ptypes:
        ptypes.append("Retracted Publication")
    found_class = classify(ptypes, title, abstract, mesh)
    extension: dict[str, Any] = {
        "publication_types": ptypes,
        "design_basis": found_class.basis,
    }
    if found_class.article_type is not None:
        extension["article_type"] = found_class.article_type
    design = found_class.design
    n: int | None = None
    if design == "case-report":
        n = 1
    elif design not in (
        "expert-opinion",
        "narrative-review",
        "guideline",
        "in-vitro",
        "mechanistic",
    ):
        size = extract_n(abstract)
        if size is not None:
            n = size[0]
            extension["n_basis"] = size[1]
    year = _year(article, citation)
    return Study(
        id=f"pmid-{pmid}",
        design=design,
        n=n,
        title=title or None,
        authors=authors,
        year=year,
        journal=journal,
        doi=_doi(record, article),
        pmid=pmid,
        nct=_nct(citation) if article is not None else None,
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        species=found_class.species,
        pilot=found_class.pilot,
        randomized=found_class.randomized,
        status=found_class.status,  # type: ignore[arg-type]
        of=found_class.of,
        extensions={"x-pubmed": extension},
    )
