"""The built-in importers (``pubmed``, ``ctgov``, ``fhir``) and exporter (``fhir``).

They are registered as the built-in plugins ``evigrade.interop.pubmed``,
``evigrade.interop.ctgov`` and ``evigrade.interop.fhir`` (see
``evigrade.plugins.DEFAULT_PLUGINS``) through the classes in :data:`PLUGINS`, whose hooks
register the entries below. Each entry's ``read`` or ``write`` imports its module when first
called, so a command that neither imports nor exports never loads the readers and writers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ..hookspecs import hookimpl
from . import Exporter, Importer, ImportRecord

if TYPE_CHECKING:
    from ..model import EvidenceFile
    from ..plugins import Registry

__all__ = [
    "CTGOV_IMPORTER",
    "FHIR_EXPORTER",
    "FHIR_IMPORTER",
    "PLUGINS",
    "PUBMED_IMPORTER",
    "CtgovPlugin",
    "FhirPlugin",
    "PubmedPlugin",
]


def _read_pubmed(path: str) -> Iterator[ImportRecord]:
    from .pubmed import read_pubmed

    return read_pubmed(path)


def _read_ctgov(path: str) -> Iterator[ImportRecord]:
    from .ctgov import read

    return read(path)


def _read_fhir(path: str) -> Iterator[ImportRecord]:
    from .fhir import read_fhir

    return read_fhir(path)


def _write_fhir(evidence: EvidenceFile, registry: Registry) -> Any:
    from .fhir import export_bundle

    return export_bundle(evidence, registry)


PUBMED_IMPORTER = Importer(
    "pubmed",
    "MEDLINE / PubMed XML",
    _read_pubmed,
    "MedlineCitationSet or PubmedArticleSet XML, plain or gzip: one study per article "
    "(docs/import-pubmed.md).",
)

CTGOV_IMPORTER = Importer(
    "ctgov",
    "ClinicalTrials.gov API v2 study JSON",
    _read_ctgov,
    description='One study per file, a list of studies, or an API page {"studies": [...]}; '
    "results' outcome analyses become claims with effects (docs/import-ctgov.md).",
)

FHIR_IMPORTER = Importer(
    "fhir",
    "HL7 FHIR R5 EBM resources",
    _read_fhir,
    "Citation (a study), Evidence (a claim with its certainty) and ArtifactAssessment "
    "(certainty of evidence) resources, alone or in Bundles (docs/fhir.md).",
)

FHIR_EXPORTER = Exporter(
    "fhir",
    "HL7 FHIR R5 Bundle",
    _write_fhir,
    "A collection Bundle: a Citation per study, an Evidence per claim with its GRADE "
    "certainty per domain (docs/fhir.md).",
)


class PubmedPlugin:
    """The plugin ``evigrade.interop.pubmed``: the ``pubmed`` importer."""

    @staticmethod
    @hookimpl
    def evigrade_register_importers(register: Callable[[Importer], None]) -> None:
        register(PUBMED_IMPORTER)


class CtgovPlugin:
    """The plugin ``evigrade.interop.ctgov``: the ``ctgov`` importer."""

    @staticmethod
    @hookimpl
    def evigrade_register_importers(register: Callable[[Importer], None]) -> None:
        register(CTGOV_IMPORTER)


class FhirPlugin:
    """The plugin ``evigrade.interop.fhir``: the ``fhir`` importer and exporter."""

    @staticmethod
    @hookimpl
    def evigrade_register_importers(register: Callable[[Importer], None]) -> None:
        register(FHIR_IMPORTER)

    @staticmethod
    @hookimpl
    def evigrade_register_exporters(register: Callable[[Exporter], None]) -> None:
        register(FHIR_EXPORTER)


#: The plugin registered under each built-in module's name in place of the module.
PLUGINS: dict[str, type] = {
    "evigrade.interop.pubmed": PubmedPlugin,
    "evigrade.interop.ctgov": CtgovPlugin,
    "evigrade.interop.fhir": FhirPlugin,
}
