"""Reading a MEDLINE / PubMed XML file (plain or gzip): streamed record by record with expat,
each record built as a small element tree and read into a study (:mod:`.record`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

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

#: The longest text of one element read: a citation's longest field (an abstract) is a few
#: thousand characters; a record with a longer one is malformed, and never held whole.
MAX_TEXT = 1 << 20
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
            yield from _parse(_Gunzip(raw).read, path)
        else:
            yield from _parse(raw.read, path)


class _Gunzip:
    """A gzip stream's bytes (its members one after another), every byte decompressed before
    a truncation or corruption given first: the error (``EOFError``, ``zlib.error``) is raised
    by the read after them, so the whole records before a break are kept. Each read inflates
    a bounded amount, however well the data compresses."""

    def __init__(self, raw: BinaryIO) -> None:
        import zlib

        self.raw = raw
        self.inflate: Any = zlib.decompressobj(wbits=31)
        self.pending = b""  # compressed bytes read and not yet inflated
        self.buffer = b""
        self.error: Exception | None = None
        self.ended = False

    def read(self, size: int) -> bytes:
        while len(self.buffer) < size and not self.ended:
            self._inflate(size)
        if not self.buffer and self.error is not None:
            error, self.error = self.error, None
            raise error
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def _inflate(self, size: int) -> None:
        import zlib

        if not self.pending:
            self.pending = self.raw.read(_CHUNK)
            if not self.pending:
                self.ended = True
                if not self.inflate.eof:
                    self.error = EOFError("the compressed file ends before its end marker")
                return
        try:
            self.buffer += self.inflate.decompress(self.pending, size)
        except zlib.error as error:
            self.ended, self.error = True, error
            return
        self.pending = self.inflate.unconsumed_tail
        if self.inflate.eof:
            rest = self.inflate.unused_data + self.pending
            self.pending = rest
            if rest.startswith(_GZIP_MAGIC):
                self.inflate = zlib.decompressobj(wbits=31)
            elif rest.strip(b"\0"):
                self.ended, self.error = (
                    True,
                    zlib.error("data after the end of the compressed file"),
                )
            else:
                self.pending = b""  # padding with NULs, as gzip allows
                self.inflate = _Ended()


class _Ended:
    """A finished gzip stream: what follows it is padding, read and dropped."""

    eof = True
    unused_data = b""
    unconsumed_tail = b""

    def decompress(self, data: bytes, size: int) -> bytes:
        if data.strip(b"\0"):
            import zlib

            raise zlib.error("data after the end of the compressed file")
        return b""


def _unreadable(path: str, message: str) -> ImportRecord:
    return ImportRecord(problem=Problem(message, file=path, kind="unreadable"))


def _parse(read: Callable[[int], bytes], path: str) -> Iterator[ImportRecord]:
    import zlib
    from xml.etree.ElementTree import TreeBuilder
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.buffer_text = True
    ready: list[tuple[Element, int, int, int] | Problem] = []
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
        length = 0  # characters of the current text node
        too_long: str | None = None  # the element whose text went past MAX_TEXT

        def data(text: str) -> None:
            nonlocal length, too_long
            if too_long is not None:
                return  # the rest of the record's text is dropped
            length += len(text)
            if length > MAX_TEXT:
                too_long = current[-1]
                return
            builder.data(text)

        current = [tag]

        def start_inside(name: str, attributes: dict[str, str]) -> None:
            nonlocal skipping, length
            length = 0
            if skipping:
                skipping += 1
            elif name in _UNUSED:
                skipping = 1
                parser.CharacterDataHandler = None
            else:
                current.append(name)
                builder.start(name, attributes)

        def end_inside(name: str) -> None:
            nonlocal count, depth, skipping, length
            length = 0
            if skipping:
                skipping -= 1
                if not skipping and too_long is None:
                    parser.CharacterDataHandler = data
                return
            current.pop()
            if builder.end(name) is top:
                count += 1
                element = builder.close()
                if too_long is not None:
                    ready.append(_oversized(element, too_long, path, line, column, count))
                else:
                    ready.append((element, line, column, count))
                depth -= 1
                parser.StartElementHandler = start
                parser.EndElementHandler = end
                parser.CharacterDataHandler = None

        parser.StartElementHandler = start_inside
        parser.EndElementHandler = end_inside
        parser.CharacterDataHandler = data

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end

    def flush() -> Iterator[ImportRecord]:
        while ready:
            item = ready.pop(0)
            if isinstance(item, Problem):
                yield ImportRecord(problem=item)
            else:
                yield _record(*item, path)
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
        except LookupError as error:  # the XML declaration names an encoding Python lacks
            yield from flush()
            yield ImportRecord(
                problem=Problem(
                    f"malformed XML: {error}: expected UTF-8 (or another encoding the XML "
                    "declaration can name)",
                    file=path,
                    line=parser.CurrentLineNumber,
                    column=parser.CurrentColumnNumber + 1,
                    kind="syntax",
                    keyword="xml",
                )
            )
            return
        yield from flush()
        if not chunk:
            return


def _oversized(
    element: Element, tag: str, path: str, line: int, column: int, index: int
) -> Problem:
    pmid = text(element.find(".//PMID"))
    which = f"record {index}" + (f" (PMID {pmid})" if pmid else "")
    return Problem(
        f"{which}: <{element.tag}> malformed: the text of <{tag}> is longer than "
        f"{MAX_TEXT:,} characters (expected a citation's title, abstract or field)",
        file=path,
        line=line,
        column=column,
        kind="schema",
        keyword="pubmed-record",
    )


class _Stop(Exception):
    """Stop parsing: the file is not one we read."""


def _record(element: Element, line: int, column: int, index: int, path: str) -> ImportRecord:
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
