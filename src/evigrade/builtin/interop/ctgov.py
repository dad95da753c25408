"""The built-in ``ctgov`` importer: ClinicalTrials.gov API v2 study JSON
(docs/import-ctgov.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ...hookspecs import hookimpl
from ...kinds import Importer, ImportRecord, Registry

__all__ = ["IMPORTER", "evigrade_register_importers"]


def _read(path: str, registry: Registry) -> Iterator[ImportRecord]:
    from ...interop.ctgov import read

    return read(path, registry)


IMPORTER = Importer(
    "ctgov",
    "ClinicalTrials.gov API v2 study JSON",
    _read,
    description='One study per file, a list of studies, or an API page {"studies": [...]}; '
    "results' outcome analyses become claims with effects (docs/import-ctgov.md).",
)


@hookimpl
def evigrade_register_importers(register: Callable[[Importer], None]) -> None:
    register(IMPORTER)
