"""The ``ctgov`` importer: ClinicalTrials.gov API v2 study JSON.

A file holds one study (``{"protocolSection": ...}``), a list of studies, or a page of them as
the API returns it (``{"studies": [...], "nextPageToken": ...}``). Each study becomes one
:class:`~evigrade.model.Study`; where results are posted, each outcome measure with a usable
between-group analysis (an estimate on a known scale) becomes a claim named after the outcome,
with the study's effect as its evidence. The mapping, field by field, is in
docs/import-ctgov.md; the choices made there are marked in the code where they are made.

A study that cannot be read (a required part missing, a value of the wrong type or outside the
API's enumerations) is an :class:`~evigrade.interop.ImportRecord` carrying a
:class:`~evigrade.validation.Problem` with the JSON Pointer of the offending value and its line
and column; malformed JSON is one such problem for the whole file.

The modules, by concern: :mod:`.reading` reads a file's studies, :mod:`.study` maps one study
with the design mapping of :mod:`.design` and the outcome analyses of :mod:`.outcomes`, and
:mod:`.fields` reads the record's values with their JSON Pointers.
"""

from __future__ import annotations

from .design import (
    BLINDING,
    CONTROL,
    EXTENSION,
    STATUS,
    STUDY_URL,
    Blinding,
    Control,
    StudyStatus,
)
from .outcomes import Measure, lower_is_better, measure_of, slug
from .reading import read, read_text_records
from .study import convert

__all__ = [
    "BLINDING",
    "CONTROL",
    "EXTENSION",
    "STATUS",
    "STUDY_URL",
    "Blinding",
    "Control",
    "Measure",
    "StudyStatus",
    "convert",
    "lower_is_better",
    "measure_of",
    "read",
    "read_text_records",
    "slug",
]
