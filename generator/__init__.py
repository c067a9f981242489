"""Hinahon's site generator: content/ (YAML) -> one Material for MkDocs site per language.

The pipeline, one module per stage: load -> validate -> link -> render -> build.
"""
