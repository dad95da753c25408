"""The built-in importers (``pubmed``, ``ctgov``, ``fhir``) and exporter (``fhir``), one plugin
module per source. Each registers an entry whose ``read`` or ``write`` imports its reader or
writer (in :mod:`evigrade.interop`) when first called, so a command that neither imports nor
exports never loads them.
"""
