"""The built-in ``fhir`` importer and exporter: HL7 FHIR R5 EBM resources (docs/fhir.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ...hookspecs import hookimpl
from ...kinds import Exporter, Importer, ImportRecord, Registry

if TYPE_CHECKING:
    from ...model import EvidenceFile

__all__ = ["EXPORTER", "IMPORTER", "evigrade_register_exporters", "evigrade_register_importers"]


def _read(path: str, registry: Registry) -> Iterator[ImportRecord]:
    from ...interop.fhir import read_fhir

    return read_fhir(path, registry)


def _write(evidence: EvidenceFile, registry: Registry) -> Any:
    from ...interop.fhir import export_bundle

    return export_bundle(evidence, registry)


IMPORTER = Importer(
    "fhir",
    "HL7 FHIR R5 EBM resources",
    _read,
    "Citation (a study), Evidence (a claim with its certainty) and ArtifactAssessment "
    "(certainty of evidence) resources, alone or in Bundles (docs/fhir.md).",
)

EXPORTER = Exporter(
    "fhir",
    "HL7 FHIR R5 Bundle",
    _write,
    "A collection Bundle: a Citation per study, an Evidence per claim with its GRADE "
    "certainty per domain (docs/fhir.md).",
)


@hookimpl
def evigrade_register_importers(register: Callable[[Importer], None]) -> None:
    register(IMPORTER)


@hookimpl
def evigrade_register_exporters(register: Callable[[Exporter], None]) -> None:
    register(EXPORTER)
