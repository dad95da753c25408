"""Reading a MEDLINE / PubMed XML file (plain or gzip): streamed record by record with expat,
each record built as a small element tree and read into a study (:mod:`.record`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ...kinds import ImportRecord
from ...problems import Problem
from .record import RecordError, study_of, text

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

__all__ = ["read_pubmed"]


#: Root elements of the files we read, and the record elements under them.
_SETS = frozenset({"MedlineCitationSet", "PubmedArticleSet", "PubmedBookArticleSet"})
_RECORDS = frozenset({"MedlineCitation", "PubmedArticle", "PubmedBookArticle"})
#: Children of a set that are not articles (deletion lists in baseline update files).
_NOT_RECORDS = frozenset({"DeleteCitation", "DeleteDocument"})

#: Parts of a record that nothing here reads: not built, to save time and memory.
_UNUSED = frozenset(
    {
        "ReferenceList",
        "AffiliationInfo",
        "GrantList",
        "ChemicalList",
        "History",
        "KeywordList",
        "SupplMeshList",
        "InvestigatorList",
        "OtherAbstract",
        "GeneSymbolList",
        "PersonalNameSubjectList",
        "Pagination",
        "DateCompleted",
        "DateRevised",
        "DateCreated",
        "Identifier",
    }
)
_CHUNK = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"


def read_pubmed(path: str) -> Iterator[ImportRecord]:
    """Each article of a MEDLINE / PubMed XML file, as a study or a problem, streamed.

    The file may be gzip-compressed (recognised by its magic number, whatever its name). A
    record that is well-formed but not a citation is a problem at the record's line and
    column; an XML syntax error is a problem at the parser's position, and ends the file; a
    file that cannot be opened or decompressed is an "unreadable" problem.
    """
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as error:
        yield _unreadable(path, f"cannot read file: {error.strerror or error}")
        return
    with raw:
        try:
            magic = raw.read(2)
            raw.seek(0)
        except OSError as error:
            yield _unreadable(path, f"cannot read file: {error.strerror or error}")
            return
        if magic == _GZIP_MAGIC:
            import gzip

            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield from _parse(unzipped.read, path)
        else:
            yield from _parse(raw.read, path)


def _unreadable(path: str, message: str) -> ImportRecord:
    return ImportRecord(problem=Problem(message, file=path, kind="unreadable"))


def _parse(read: Callable[[int], bytes], path: str) -> Iterator[ImportRecord]:
    import zlib
    from xml.etree.ElementTree import TreeBuilder
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.buffer_text = True
    ready: list[tuple[Element, int, int, int]] = []
    problems: list[Problem] = []
    depth = 0
    record_depth = 2
    count = 0

    # Outside a record only the depth is kept. Inside one, a C TreeBuilder builds the record
    # (text goes to it directly), leaving out the subtrees nothing here reads (references,
    # affiliations, grants ...), and the record is ready when its own element closes.
    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal depth, record_depth
        depth += 1
        if depth == 1:
            if tag in _RECORDS:
                record_depth = 1
            elif tag not in _SETS:
                problems.append(
                    Problem(
                        "not a MEDLINE / PubMed file: expected a MedlineCitationSet or "
                        f"PubmedArticleSet root element, found <{tag}>",
                        file=path,
                        line=parser.CurrentLineNumber,
                        column=parser.CurrentColumnNumber + 1,
                        kind="schema",
                        keyword="pubmed-root",
                    )
                )
                raise _Stop
        if depth == record_depth and tag in _RECORDS:
            begin(tag, attributes)

    def begin(tag: str, attributes: dict[str, str]) -> None:
        builder = TreeBuilder()
        line, column = parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        top = builder.start(tag, attributes)
        skipping = 0

        def start_inside(name: str, attributes: dict[str, str]) -> None:
            nonlocal skipping
            if skipping:
                skipping += 1
            elif name in _UNUSED:
                skipping = 1
                parser.CharacterDataHandler = None
            else:
                builder.start(name, attributes)

        def end_inside(name: str) -> None:
            nonlocal count, depth, skipping
            if skipping:
                skipping -= 1
                if not skipping:
                    parser.CharacterDataHandler = builder.data
            elif builder.end(name) is top:
                count += 1
                ready.append((builder.close(), line, column, count))
                depth -= 1
                parser.StartElementHandler = start
                parser.EndElementHandler = end
                parser.CharacterDataHandler = None

        parser.StartElementHandler = start_inside
        parser.EndElementHandler = end_inside
        parser.CharacterDataHandler = builder.data

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end

    def flush() -> Iterator[ImportRecord]:
        while ready:
            element, line, column, index = ready.pop(0)
            yield _record(element, path, line, column, index)
        while problems:
            yield ImportRecord(problem=problems.pop(0))

    while True:
        try:
            chunk = read(_CHUNK)
        except (OSError, EOFError, zlib.error) as error:
            yield from flush()
            yield _unreadable(path, f"cannot decompress file: {error}")
            return
        try:
            parser.Parse(chunk, not chunk)
        except _Stop:
            yield from flush()
            return
        except expat.ExpatError as error:
            yield from flush()
            before = f"{count} record{'s' if count != 1 else ''} read before it"
            yield ImportRecord(
                problem=Problem(
                    f"malformed XML: {expat.errors.messages[error.code]} ({before})",
                    file=path,
                    line=error.lineno,
                    column=error.offset + 1,
                    kind="syntax",
                    keyword="xml",
                )
            )
            return
        yield from flush()
        if not chunk:
            return


class _Stop(Exception):
    """Stop parsing: the file is not one we read."""


def _record(element: Element, path: str, line: int, column: int, index: int) -> ImportRecord:
    try:
        return ImportRecord(study=study_of(element))
    except RecordError as error:
        pmid = text(element.find(".//PMID"))
        which = f"record {index}" + (f" (PMID {pmid})" if pmid else "")
        return ImportRecord(
            problem=Problem(
                f"{which}: <{element.tag}> {error}",
                file=path,
                line=line,
                column=column,
                kind="schema",
                keyword="pubmed-record",
            )
        )
