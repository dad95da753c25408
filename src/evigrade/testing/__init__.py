"""Tools for testing evigrade and its plugins: Hypothesis strategies that generate valid evidence
files (:mod:`evigrade.testing.strategies`) and a conformance kit that checks a grading scheme
against the properties every scheme must have (:mod:`evigrade.testing.conformance`).

Needs Hypothesis: ``pip install "evigrade[testing]"``.
"""
