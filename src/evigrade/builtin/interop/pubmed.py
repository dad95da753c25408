"""The built-in ``pubmed`` importer: MEDLINE / PubMed XML (docs/import-pubmed.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ...hookspecs import hookimpl
from ...kinds import Importer, ImportRecord, Registry

__all__ = ["IMPORTER", "evigrade_register_importers"]


def _read(path: str, registry: Registry) -> Iterator[ImportRecord]:
    from ...interop.pubmed import read_pubmed

    return read_pubmed(path)


IMPORTER = Importer(
    "pubmed",
    "MEDLINE / PubMed XML",
    _read,
    "MedlineCitationSet or PubmedArticleSet XML, plain or gzip: one study per article "
    "(docs/import-pubmed.md).",
)


@hookimpl
def evigrade_register_importers(register: Callable[[Importer], None]) -> None:
    register(IMPORTER)
