"""The ``pubmed`` importer: MEDLINE / PubMed XML (plain or gzip) into studies.

Reads ``MedlineCitationSet`` (the MEDLINE baseline and update files) and ``PubmedArticleSet``
(PubMed's E-utilities and "Save > XML"), streamed record by record with expat, so a 30,000-article
baseline file is imported in bounded memory. Each article becomes one study with id
``pmid-<PMID>``; its design is read from the publication types, refined by cues in the title,
abstract and MeSH headings. The mapping, and the reasons for it, are in docs/import-pubmed.md.

Nothing is guessed: a study size comes only from a clear statement in the abstract ("40
patients", "n = 215", "215 participants were randomized"), otherwise it is ``null`` ("not
reported"). Articles that are not studies (editorials, comments, letters, news, errata) are
kept as ``expert-opinion`` and say what they are in ``x-pubmed``.

The modules, by concern: :mod:`.reading` streams the XML, :mod:`.record` reads one record's
fields, :mod:`.design` classifies its design with the publication types and text cues of
:mod:`.cues`, and :mod:`.size` finds the number enrolled.
"""

from __future__ import annotations

from .design import Classification, classify
from .reading import read_pubmed
from .size import extract_n

__all__ = [
    "Classification",
    "classify",
    "extract_n",
    "read_pubmed",
]
